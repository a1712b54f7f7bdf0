from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from anwen.orgs.selectors import overview


@login_required
def home(request):
    return render(request, "web/home.html", {"ov": overview(request.user)})
