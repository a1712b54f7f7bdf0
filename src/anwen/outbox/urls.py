from django.urls import path

from anwen.outbox import views

app_name = "outbox"
urlpatterns = [
    path("", views.index, name="index"),
    path("read-all/", views.read_all, name="read_all"),
    path("<int:pk>/read/", views.read, name="read"),
    path("settings/", views.preferences, name="preferences"),
    path("failed/", views.failed, name="failed"),
    path("failed/<int:pk>/retry/", views.retry, name="retry"),
]
