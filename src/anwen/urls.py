from django.urls import include, path

from anwen.api import api

urlpatterns = [
    path("", include("anwen.accounts.urls")),
    path("", include("anwen.web.urls")),
    path("orgs/", include("anwen.orgs.urls")),
    path("audit/", include("anwen.web.audit_trail")),
    path("calendar/", include("anwen.web.calendar_urls")),
    path("inbox/", include("anwen.inbox.urls")),
    path("notifications/", include("anwen.outbox.urls")),
    path("obligations/", include("anwen.obligations.urls")),
    path("inspections/", include("anwen.inspections.urls")),
    path("patrol/", include("anwen.patrol.urls")),
    path("registers/", include("anwen.registers.urls")),
    path("guards/", include("anwen.guards.urls")),
    path("buses/", include("anwen.buses.urls")),
    path("funding/", include("anwen.funding.urls")),
    path("devices/", include("anwen.devices.urls")),
    path("fire/", include("anwen.fire.urls")),
    path("hazards/", include("anwen.hazards.urls")),
    path("cases/", include("anwen.cases.urls")),
    path("duties/", include("anwen.duties.urls")),
    path("maps/", include("anwen.maps.urls")),
    path("files/", include("anwen.evidence.urls")),
    path("receptions/", include("anwen.receptions.urls")),
    # The parents' write-in page: the only prefix an operator exposes outside (README).
    path("public/", include("anwen.public.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
]

# The app's own error pages (Chinese, inside the layout); Django uses them when DEBUG is off.
handler400 = "anwen.web.errors.bad_request"
handler404 = "anwen.web.errors.page_not_found"
handler403 = "anwen.web.errors.permission_denied"
handler500 = "anwen.web.errors.server_error"
