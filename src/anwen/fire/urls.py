from django.urls import path

from anwen.fire import risk_views, views

app_name = "fire"
urlpatterns = [
    path("", views.index, name="index"),
    path("start/", views.start, name="start"),
    path("rule/", views.rule, name="rule"),
    path("checks/<int:pk>/", views.check_detail, name="check"),
    path("checks/<int:pk>/form.pdf", views.form_pdf, name="form_pdf"),
    path("checks/<int:pk>/upload/", views.upload, name="upload"),
    path("risk/", risk_views.risk, name="risk"),
    path("assessments/<str:pk>/", risk_views.assessment_report, name="assessment_report"),
]
