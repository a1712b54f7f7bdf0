from django.urls import path

from anwen.evidence import views

app_name = "evidence"
urlpatterns = [
    path("", views.index, name="index"),
    path("<uuid:pk>/", views.file, name="file"),
    path("<uuid:pk>/display/", views.display, name="display"),
]
