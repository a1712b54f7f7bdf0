from django.urls import path

from . import views

app_name = "buses"

urlpatterns = [
    path("check/", views.check, name="check"),
    path("trips/", views.trips, name="trips"),
]
