"""The JSON API at /api/v1/: token auth, the UI's scoping, OpenAPI at /api/v1/openapi.json."""

from ninja import NinjaAPI

from anwen.accounts.api import TokenAuth
from anwen.orgs.api import router as orgs_router

api = NinjaAPI(
    title="anwen API",
    version="1",
    auth=TokenAuth(),
    urls_namespace="api",
)
api.add_router("/", orgs_router)
