from django.urls import path

from anwen.obligations import views

app_name = "obligations"
urlpatterns = [
    path("", views.index, name="index"),
    path("school/<int:pk>/", views.school, name="school"),
    path("log/", views.log, name="log"),
    path("log/<int:pk>/withdraw/", views.log_delete, name="log_delete"),
    path("plan/", views.plan, name="plan"),
    path("plan/<int:pk>/rules/", views.plan_rules, name="plan_rules"),
    path("plan/<int:pk>/clone/", views.plan_clone, name="plan_clone"),
    path("plan/<int:pk>/publish/", views.plan_publish, name="plan_publish"),
    path("plan/add/", views.obligation_add, name="obligation_add"),
    path("plan/<int:pk>/", views.obligation_edit, name="obligation_edit"),
]
