"""The battle map's page (挂图作战, SM4.2): the district board beside the school map coloured by
the hazards layer. Thin: `board` computes the figures, the maps app draws the map."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from anwen.maps.views import echarts_static

from . import board as figures


@login_required
@require_GET
def board(request):
    if not figures.may_see_board(request.user):
        raise Http404  # a school's people have its list; another's board does not exist for them
    return render(
        request,
        "hazards/board.html",
        {
            "board": figures.board(request.user, today=timezone.localdate()),
            "data_url": reverse("maps:data") + "?" + urlencode({"layer": "hazards"}),
            "echarts": echarts_static(),
        },
    )
