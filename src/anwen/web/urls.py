from django.urls import path

from anwen.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("focus/", views.focus, name="focus"),
    path("focus/search/", views.focus_search, name="focus_search"),
    path("ping/", views.ping, name="ping"),
]
