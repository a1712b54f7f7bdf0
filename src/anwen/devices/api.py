"""The status feed of the security devices: a video platform (or any system with an API token
of a user who manages the devices) posts the state of the devices it watches, and anwen writes
it through the register's one import path (`registers.imports.apply_rows`, status columns
only): every row checked first, nothing written unless all are right, a device anwen does not
hold is one problem naming its row, and a feed posted twice changes nothing the second time."""

from datetime import date

from django.http import Http404, HttpRequest, HttpResponseNotAllowed
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from anwen import importing
from anwen.registers import imports

from .registers import DEVICES, STATUS

router = Router(tags=["devices"])


class DeviceStatusIn(Schema):
    school: str = Field(max_length=40, description="The school's code in anwen.")
    code: str = Field(max_length=100, description="The device's code within the school.")
    networked: bool | None = Field(None, description="Networked to the police; null: unchanged.")
    networked_on: date | None = None
    last_checked_on: date | None = None
    in_service: bool | None = None


class StatusFeedIn(Schema):
    devices: list[DeviceStatusIn] = Field(max_length=importing.MAX_ROWS)


class StatusOut(Schema):
    updated: int = Field(description="Devices whose status changed.")
    unchanged: int = Field(description="Devices already in that state.")


class ProblemOut(Schema):
    row: int = Field(description="The device's position in `devices`, from 1 (0: the feed).")
    column: str
    message: str


class StatusRefusedOut(Schema):
    detail: str
    problems: list[ProblemOut]


def _text(value: bool | date | None) -> str:
    if value is None:
        return ""  # the status update keeps what is stored
    if isinstance(value, bool):
        return "是" if value else "否"
    return value.isoformat()


@router.post("/devices/status", response={200: StatusOut, 422: StatusRefusedOut})
def post_status(request: HttpRequest, feed: StatusFeedIn):
    """Update the status of registered devices (networked, networked on, last checked,
    in service). All or nothing: 422 lists every bad row and nothing is written. 404 when
    the token's user manages no school's devices."""
    if not imports.manageable(request.user, DEVICES):
        raise Http404
    rows: list[importing.Row] = []
    for number, item in enumerate(feed.devices, start=1):
        row = {imports.ORG: item.school, "code": item.code}
        row.update({name: _text(getattr(item, name)) for name in STATUS})
        rows.append((number, row))
    result = imports.apply_rows(
        register=DEVICES, rows=rows, by=request.user, request=request, source="api", only=STATUS
    )
    if not result.ok:
        return Status(
            422,
            {
                "detail": _("The feed was not applied: nothing has been changed."),
                "problems": [
                    {"row": p.row, "column": p.column, "message": p.message}
                    for p in result.problems
                ],
            },
        )
    return Status(
        200,
        {
            "updated": result.updated.get(DEVICES.key, 0),
            "unchanged": result.skipped.get(DEVICES.key, 0),
        },
    )


@router.get("/devices/status", include_in_schema=False, url_name="post_status")
def status_not_gettable(request: HttpRequest):
    """A feed is posted; a GET with a token answers 405 (without one, 401, as every route)."""
    return HttpResponseNotAllowed(["POST"])
