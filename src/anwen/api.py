"""The JSON API at /api/v1/: token auth, the UI's scoping, OpenAPI at /api/v1/openapi.json."""

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from anwen.accounts.api import TokenAuth
from anwen.errors import AppError
from anwen.orgs.api import router as orgs_router

api = NinjaAPI(
    title="anwen API",
    version="1",
    auth=TokenAuth(),
    urls_namespace="api",
)
api.add_router("/", orgs_router)


@api.exception_handler(AppError)
def app_error(request: HttpRequest, exc: AppError) -> HttpResponse:
    # A service refused the request: the client gets the user's message and the input it names
    # (null when it names none), not a 500. 422 like ninja's own schema refusals.
    return api.create_response(request, {"detail": str(exc), "field": exc.field}, status=422)
