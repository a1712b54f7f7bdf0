from django.urls import include, path

from anwen.api import api

urlpatterns = [
    path("", include("anwen.accounts.urls")),
    path("", include("anwen.web.urls")),
    path("orgs/", include("anwen.orgs.urls")),
    path("audit/", include("anwen.audit.urls")),
    path("calendar/", include("anwen.calendar.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
]
