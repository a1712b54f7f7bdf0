from django.urls import path

from anwen.orgs import views

app_name = "orgs"
urlpatterns = [
    path("schools/", views.school_list, name="school_list"),
    path("people/", views.people_list, name="people_list"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("positions/", views.position_list, name="positions"),
    path("import/", views.import_page, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("<int:pk>/", views.org_detail, name="org_detail"),
]
