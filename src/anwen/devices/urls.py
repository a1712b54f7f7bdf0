from django.urls import path

from . import views

app_name = "devices"

urlpatterns = [
    path("rates/", views.rate_board, name="rates"),
    path("status/", views.status_import, name="status"),
]
