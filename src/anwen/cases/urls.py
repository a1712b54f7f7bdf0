from django.urls import path

from . import import_views, views

app_name = "cases"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/<slug:type_code>/", views.register, name="register"),
    path("<int:pk>/", views.detail, name="detail"),
    # One route for every step of every type (`/cases/7/step/accept/`).
    path("<int:pk>/step/<slug:name>/", views.step, name="step"),
    *import_views.urlpatterns,  # the supervision platform's items: /cases/import/platform/
]
