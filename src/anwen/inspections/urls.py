from django.urls import path

from anwen.inspections import views

app_name = "inspections"
urlpatterns = [
    path("", views.index, name="index"),
    path("today/", views.today, name="today"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/finding/", views.finding_new, name="finding_add"),
    path("<int:pk>/accountability/", views.accountability_new, name="accountability_add"),
    path("areas/", views.areas, name="areas"),
    path("areas/<int:pk>/", views.area_edit, name="area_edit"),
    path("areas/<int:pk>/today/", views.area_check, name="area_check"),
    path("findings/", views.findings, name="findings"),
    path("accountability/", views.accountabilities, name="accountability"),
    path("checklists/", views.templates, name="templates"),
    path("checklists/standard/", views.standard_load, name="standard_load"),
    path("checklists/<int:pk>/", views.template_detail, name="template_detail"),
    path("checklists/items/<int:pk>/", views.item_edit, name="item_edit"),
]
