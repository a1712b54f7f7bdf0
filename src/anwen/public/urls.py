from django.urls import path

from . import views

app_name = "public"
urlpatterns = [
    path("", views.write_in, name="write_in"),
    path("done/", views.done, name="done"),
    path("status/", views.status, name="status"),
    path("challenge/new/", views.challenge_new, name="challenge_new"),
    path("challenge/<str:token>.png", views.challenge_picture, name="challenge"),
]
