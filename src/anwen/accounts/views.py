from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render


def login_view(request):
    return auth_views.LoginView.as_view(template_name="accounts/login.html")(request)


@login_required
def security(request):
    return render(request, "accounts/security.html")
