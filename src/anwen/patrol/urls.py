from django.urls import path

from anwen.patrol import views

app_name = "patrol"
urlpatterns = [
    path("", views.index, name="index"),
    path("rounds/", views.rounds, name="rounds"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/acknowledge/", views.round_acknowledge, name="round_acknowledge"),
    path("checkpoints/add/", views.checkpoint_add, name="checkpoint_add"),
    path("checkpoints/<int:pk>/", views.checkpoint_edit, name="checkpoint_edit"),
    path("schedules/add/", views.schedule_add, name="schedule_add"),
    path("schedules/<int:pk>/", views.schedule_edit, name="schedule_edit"),
    path("codes.pdf", views.sheet, name="sheet"),
    # The address inside each posted QR code: keep it short, it makes the code smaller.
    path("s/<str:token>/", views.scan, name="scan"),
]
