from django.urls import path

from anwen.maps import views

app_name = "maps"
urlpatterns = [
    path("", views.index, name="index"),
    path("data.json", views.data, name="data"),
    path("boundary/", views.boundary_upload, name="boundary"),
    path("boundary/delete/", views.boundary_delete, name="boundary_delete"),
    path("boundary/<int:bureau>.json", views.boundary_json, name="boundary_json"),
]
