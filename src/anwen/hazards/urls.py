from django.urls import path

from . import board_views, views

app_name = "hazards"
urlpatterns = [
    path("", views.index, name="index"),
    path("report/", views.report, name="report"),
    path("board/", board_views.board, name="board"),
    path("<int:pk>/", views.detail, name="detail"),
    # One route per step (`/hazards/7/verify/`), each posted to by its form on the page.
    *[
        path(f"<int:pk>/{name}/", views.step, {"name": name}, name=f"step_{name}")
        for name in views.STEPS
    ],
]
