"""The project's URLs plus a view that fails, to see the 500 page (test_error_pages.py)."""

from django.urls import path

from anwen.urls import handler403, handler404, handler500
from anwen.urls import urlpatterns as project_urls

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]


def _fails(request):
    raise RuntimeError("a test of the 500 page")


def _denied(request):
    from django.core.exceptions import PermissionDenied

    raise PermissionDenied


urlpatterns = [path("test-fails/", _fails), path("test-denied/", _denied), *project_urls]
