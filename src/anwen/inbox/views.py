from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from anwen.inbox.selectors import inbox_for


@login_required
def index(request):
    return render(request, "inbox/index.html", {"inbox": inbox_for(request.user)})
