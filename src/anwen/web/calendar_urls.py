from django.urls import path

from anwen.web import calendar_views as views

app_name = "calendar"
urlpatterns = [
    path("", views.index, name="index"),
    path("overrides/add/", views.override_add, name="override_add"),
    path("overrides/<int:pk>/", views.override_edit, name="override_edit"),
    path("overrides/<int:pk>/delete/", views.override_delete, name="override_delete"),
    path("semesters/add/", views.semester_add, name="semester_add"),
    path("semesters/<int:pk>/", views.semester_edit, name="semester_edit"),
    path("semesters/<int:pk>/delete/", views.semester_delete, name="semester_delete"),
    path("sensitive/add/", views.period_add, name="period_add"),
    path("sensitive/<int:pk>/", views.period_edit, name="period_edit"),
    path("sensitive/<int:pk>/delete/", views.period_delete, name="period_delete"),
]
