from django.contrib.auth import views as auth_views
from django.urls import path

from anwen.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/code/", views.two_factor, name="two_factor"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", views.security, name="security"),
    path("account/password/", views.password_change, name="password_change"),
    path("account/tokens/", views.token_create, name="token_create"),
    path("account/tokens/revoke/", views.token_revoke, name="token_revoke"),
]
