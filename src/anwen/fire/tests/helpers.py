"""Running a fire self-check the way a school does, through the services."""

from anwen.fire import services
from anwen.fire.models import FireSelfCheck

PROBLEM = "教学楼二楼东侧灭火器压力不足，指针处于红区"


def run_check(
    world,
    *,
    checked_on,
    fail: str | None = PROBLEM,
    submit: bool = True,
    school="S1",
    officer="school",
) -> FireSelfCheck:
    """Start, answer (the first item failed with `fail`, the rest passed) and submit."""
    from anwen.inspections import services as inspections

    by = world.users[officer]
    check = services.fire_check_start(
        org=world.orgs[school], by=by, checked_on=checked_on, participants=[world.people[officer]]
    )
    items = list(check.inspection.version.items.order_by("sort_order", "pk"))
    for index, item in enumerate(items):
        failed = index == 0 and fail is not None
        inspections.inspection_answer(
            inspection=check.inspection,
            by=by,
            item=item,
            result="fail" if failed else "pass",
            note=(fail or "") if failed else "",
        )
    if submit:
        inspections.inspection_submit(inspection=check.inspection, by=by)
    check.refresh_from_db()
    check.inspection.refresh_from_db()
    return check
