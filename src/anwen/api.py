"""The JSON API at /api/v1/: token auth, the UI's scoping, OpenAPI at /api/v1/openapi.json.

Every operation answers 401 without a valid token, 404 for what is missing or outside the
user's scope, and 422 for parameters that do not validate (paging included: `anwen.apischema`);
the schema documents those answers on every operation, whoever adds it."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.openapi.schema import REF_TEMPLATE, OpenAPISchema

from anwen.accounts.api import TokenAuth
from anwen.apischema import ERROR_RESPONSES, VALIDATION_MESSAGE
from anwen.cases.api import router as cases_router
from anwen.devices.api import router as devices_router
from anwen.errors import AppError
from anwen.hazards.api import router as hazards_router
from anwen.orgs.api import router as orgs_router
from anwen.public_api import router as public_router


class AnwenAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> OpenAPISchema:
        schema = super().get_openapi_schema(**kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for _status, (_text, model) in ERROR_RESPONSES.items():
            model_schema = model.model_json_schema(ref_template=REF_TEMPLATE)
            components.update(model_schema.pop("$defs", {}))
            components[model.__name__] = model_schema
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, (text, model) in ERROR_RESPONSES.items():
                    responses.setdefault(
                        status,
                        {
                            "description": text,
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": REF_TEMPLATE.format(model=model.__name__)}
                                }
                            },
                        },
                    )
        return schema


JSON_ONLY = gettext_lazy("Send the request body as JSON.")

api = AnwenAPI(
    title="anwen API",
    version="1",
    auth=TokenAuth(),
    urls_namespace="api",
)


@api.exception_handler(RawPostDataException)
def form_body(request: HttpRequest, exc: RawPostDataException) -> HttpResponse:
    """A form or upload posted where the API reads JSON: the upload limit parsed the form
    already, so the body cannot be read as JSON again. Said as a client error, like bad JSON."""
    return api.create_response(
        request,
        {"message": str(VALIDATION_MESSAGE), "detail": [{"msg": str(JSON_ONLY)}]},
        status=422,
    )


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(
        request, {"message": str(VALIDATION_MESSAGE), "detail": exc.errors}, status=422
    )


api.add_router("/", orgs_router)
api.add_router("/", hazards_router)
api.add_router("/", cases_router)
api.add_router("/", devices_router)
# The public write-in page's operations, no token (their own limit and check question).
api.add_router("/public/", public_router)


@api.exception_handler(AppError)
def app_error(request: HttpRequest, exc: AppError) -> HttpResponse:
    # A service refused the request: the client gets the user's message and the input it names
    # (null when it names none), not a 500. 422 like ninja's own schema refusals.
    return api.create_response(request, {"detail": str(exc), "field": exc.field}, status=422)
