from django.urls import path

from . import views

app_name = "guards"

urlpatterns = [
    path("shortfall/", views.shortfall, name="shortfall"),
]
