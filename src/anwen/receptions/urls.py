from django.urls import path

from . import views

app_name = "receptions"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/held/", views.held, name="held"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
]
