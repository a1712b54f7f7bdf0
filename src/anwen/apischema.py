"""What every operation of the JSON API shares, so that no endpoint has to remember it: bounded
paging and the documented error answers. Below the apps' `api.py` modules (they import it);
`anwen.api` wires it into the one NinjaAPI."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

# A page holds at most this many rows; an offset beyond any table this installation can hold is
# refused rather than handed to the database (2**70 overflows the driver: a 500).
MAX_LIMIT = 500
MAX_OFFSET = 10_000_000
DEFAULT_LIMIT = 100


class Paging(LimitOffsetPagination):
    """`?limit=1..500&offset=0..10,000,000`; anything else answers 422 with the reason. The
    API's default paging (NINJA_PAGINATION_CLASS), so a bare `@paginate` uses it."""

    class Input(Schema):
        limit: int = Field(
            DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Rows per page, 1 to {MAX_LIMIT}."
        )
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description=f"Rows to skip, 0 to {MAX_OFFSET}.")

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_limit", MAX_LIMIT)
        super().__init__(**kwargs)


class ErrorOut(Schema):
    """401 (no valid token), 403, 404 (missing, or not in the token user's scope: the same
    answer)."""

    detail: str


class ValidationIssue(Schema):
    type: str
    loc: list[str | int]
    msg: str


class ValidationErrorOut(Schema):
    """422: the request's parameters or body do not validate; `detail` says which and why."""

    message: str
    detail: list[ValidationIssue]


VALIDATION_MESSAGE = _("The request's parameters are not valid.")

# The answers every operation may give besides its success, documented on each (OpenAPI).
ERROR_RESPONSES: dict[int, tuple[str, type[Schema]]] = {
    401: ("Unauthorized: no valid API token.", ErrorOut),
    404: ("Not found, or outside the scope of the token's user.", ErrorOut),
    422: ("The parameters or the body do not validate.", ValidationErrorOut),
}
