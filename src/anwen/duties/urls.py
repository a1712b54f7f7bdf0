from django.urls import path

from anwen.duties import views

app_name = "duties"
urlpatterns = [
    path("", views.index, name="index"),
    path("schools/<int:pk>/", views.school, name="school"),
    path("my-letter/", views.my_letter, name="my_letter"),
    path("letters/<int:pk>/", views.letter, name="letter"),
    path("staff/<int:pk>/paper/", views.paper, name="paper"),
    path("library/", views.library, name="library"),
    path("library/load/", views.library_load, name="library_load"),
    path("library/deadlines/", views.config, name="config"),
    path("library/<int:pk>/", views.library_edit, name="library_edit"),
    path("five/", views.five_list, name="five"),
    path("five/<int:pk>/", views.five_school, name="five_school"),
    path("commitments/", views.commitment_list, name="commitments"),
    path("commitments/new/", views.commitment_new, name="commitment_new"),
    path("commitments/<int:pk>/", views.commitment, name="commitment"),
]
