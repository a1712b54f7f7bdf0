app_name = "calendar"
from django.urls import path
from django.http import HttpResponse
urlpatterns = [path("", lambda r: HttpResponse(""), name="index")]
