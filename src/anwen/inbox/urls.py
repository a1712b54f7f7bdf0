from django.urls import path

from anwen.inbox import views

app_name = "inbox"
urlpatterns = [
    path("", views.index, name="index"),
]
