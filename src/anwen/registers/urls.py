from django.urls import path

from . import views

app_name = "registers"

urlpatterns = [
    path("", views.index, name="index"),
    path("expiring/", views.expiring, name="expiring"),
    path("<slug:key>/", views.record_list, name="list"),
    path("<slug:key>/new/", views.record_form, name="new"),
    path("<slug:key>/<str:pk>/edit/", views.record_form, name="edit"),
    path("<slug:key>/<str:pk>/delete/", views.record_delete, name="delete"),
    path("<slug:key>/import/", views.record_import, name="import"),
    path("<slug:key>/template/", views.template, name="template"),
]
