"""How an action code reads to a person: `inspections.inspection.submitted` → 提交检查记录.

Codes are namespaced `<app>.<thing>.<verb>` (STYLE: pretix-style audit codes), so a label is
made from two small vocabularies, of things and of verbs, rather than one entry per code: a
new action of a known thing and verb reads right with no entry at all. A code whose parts are
not known shows as it is, so nothing is ever hidden behind a wrong word. The object column
reads the same way (`orgs.person` → 教职工).
"""

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import pgettext, pgettext_lazy

THINGS: dict[str, Promise] = {
    "account": pgettext_lazy("audit", "account"),
    "login": pgettext_lazy("audit", "login"),
    "password": pgettext_lazy("audit", "password"),
    "token": pgettext_lazy("audit", "API token"),
    "two_factor": pgettext_lazy("audit", "two-factor login"),
    "confidential": pgettext_lazy("audit", "confidential record"),
    "trail": pgettext_lazy("audit", "audit trail"),
    "override": pgettext_lazy("audit", "calendar adjustment"),
    "semester": pgettext_lazy("audit", "semester"),
    "sensitive_period": pgettext_lazy("audit", "sensitive period"),
    "district": pgettext_lazy("audit", "demo district"),
    "demo": pgettext_lazy("audit", "demo data"),
    "five_in_place": pgettext_lazy("audit", "five-in-place report"),
    "letter": pgettext_lazy("audit", "responsibility letter"),
    "library": pgettext_lazy("audit", "duty list"),
    "commitment": pgettext_lazy("audit", "public commitment"),
    "file": pgettext_lazy("audit", "evidence file"),
    "list": pgettext_lazy("audit", "list"),
    "self_check": pgettext_lazy("audit", "fire self-check"),
    "accountability": pgettext_lazy("audit", "commendation or accountability"),
    "area": pgettext_lazy("audit", "grid area"),
    "finding": pgettext_lazy("audit", "finding"),
    "inspection": pgettext_lazy("audit", "inspection record"),
    "template": pgettext_lazy("audit", "checklist"),
    "boundary": pgettext_lazy("audit", "district boundary"),
    "obligation": pgettext_lazy("audit", "plan obligation"),
    "plan": pgettext_lazy("audit", "work plan"),
    "record": pgettext_lazy("audit", "routine record"),
    "org": pgettext_lazy("audit", "organisation"),
    "person": pgettext_lazy("audit", "staff member"),
    "role": pgettext_lazy("audit", "role"),
    "school": pgettext_lazy("audit", "school profile"),
    "delivery": pgettext_lazy("audit", "notification"),
    "preference": pgettext_lazy("audit", "notification settings"),
    "checkpoint": pgettext_lazy("audit", "patrol checkpoint"),
    "round": pgettext_lazy("audit", "patrol round"),
    "scan": pgettext_lazy("audit", "patrol scan"),
    "schedule": pgettext_lazy("audit", "patrol schedule"),
    "hazard": pgettext_lazy("audit", "hazard"),
    "reception": pgettext_lazy("audit", "leader's reception"),
    "user": pgettext_lazy("audit", "account"),
    "auditevent": pgettext_lazy("audit", "audit event"),
    "inspectionanswer": pgettext_lazy("audit", "checklist answer"),
}

VERBS: dict[str, Promise] = {
    "activated": pgettext_lazy("audit", "Activated"),
    "deactivated": pgettext_lazy("audit", "Deactivated"),
    "unlocked": pgettext_lazy("audit", "Unlocked"),
    "changed": pgettext_lazy("audit", "Changed"),
    "created": pgettext_lazy("audit", "Created"),
    "revoked": pgettext_lazy("audit", "Revoked"),
    "enrolled": pgettext_lazy("audit", "Set up"),
    "viewed": pgettext_lazy("audit", "Viewed"),
    "exported": pgettext_lazy("audit", "Exported"),
    "deleted": pgettext_lazy("audit", "Deleted"),
    "updated": pgettext_lazy("audit", "Changed"),
    "loaded": pgettext_lazy("audit", "Loaded"),
    "saved": pgettext_lazy("audit", "Saved"),
    "submitted": pgettext_lazy("audit", "Submitted"),
    "edited": pgettext_lazy("audit", "Edited"),
    "stored": pgettext_lazy("audit", "Uploaded"),
    "started": pgettext_lazy("audit", "Started"),
    "added": pgettext_lazy("audit", "Added"),
    "published": pgettext_lazy("audit", "Published"),
    "uploaded": pgettext_lazy("audit", "Uploaded"),
    "replaced": pgettext_lazy("audit", "Replaced"),
    "logged": pgettext_lazy("audit", "Recorded"),
    "removed": pgettext_lazy("audit", "Withdrew"),
    "assigned": pgettext_lazy("audit", "Assigned"),
    "retried": pgettext_lazy("audit", "Sent again"),
    "acknowledged": pgettext_lazy("audit", "Acknowledged"),
    "evaluated": pgettext_lazy("audit", "Evaluated"),
    "recorded": pgettext_lazy("audit", "Recorded"),
    "reported": pgettext_lazy("audit", "Reported"),
    "assigned_to": pgettext_lazy("audit", "Assigned"),
    "verified": pgettext_lazy("audit", "Verified"),
    "closed": pgettext_lazy("audit", "Closed"),
    "reopened": pgettext_lazy("audit", "Reopened"),
    "sent_back": pgettext_lazy("audit", "Sent back"),
    "escalated": pgettext_lazy("audit", "Escalated"),
}


# Codes a verb and a thing do not say well: the whole label.
CODES: dict[str, Promise] = {
    "accounts.login.succeeded": pgettext_lazy("audit", "Logged in"),
    "accounts.login.failed": pgettext_lazy("audit", "Failed login"),
    "accounts.login.locked": pgettext_lazy("audit", "Account locked after failed logins"),
    "accounts.login.address_blocked": pgettext_lazy("audit", "Address paused after failed logins"),
    "accounts.login.password_accepted": pgettext_lazy(
        "audit", "Password accepted, second factor asked"
    ),
    "audit.trail.purged": pgettext_lazy("audit", "Purged the expired part of the audit trail"),
    "audit.confidential.viewed": pgettext_lazy("audit", "Viewed a confidential record"),
    "fire.self_check.form_received": pgettext_lazy(
        "audit", "Received the signed fire self-check form"
    ),
    "fire.assessment.report_attached": pgettext_lazy(
        "audit", "Attached the fire risk assessment report"
    ),
    "demo.buses.loaded": pgettext_lazy("audit", "Loaded the demo school buses, crews and trips"),
    "fire.demo.equipment_loaded": pgettext_lazy(
        "audit", "Loaded the demo fire equipment and assessments"
    ),
    "inspections.template.draft_started": pgettext_lazy("audit", "Started a new checklist version"),
    "inspections.template.item_added": pgettext_lazy("audit", "Added a checklist item"),
    "inspections.template.item_changed": pgettext_lazy("audit", "Changed a checklist item"),
    "inspections.template.item_removed": pgettext_lazy("audit", "Removed a checklist item"),
    "inspections.template.standard_loaded": pgettext_lazy(
        "audit", "Loaded the standard checklists"
    ),
    "obligations.plan.rules_changed": pgettext_lazy("audit", "Changed the rules of the work plan"),
    "obligations.plan.cloned": pgettext_lazy("audit", "Copied the work plan to a new year"),
    "obligations.record.removed": pgettext_lazy("audit", "Withdrew a routine record"),
    "orgs.person.contact_viewed": pgettext_lazy("audit", "Viewed a staff member's contact details"),
    "duties.letter.online": pgettext_lazy("audit", "Signed a responsibility letter online"),
    "duties.letter.paper": pgettext_lazy("audit", "Recorded a paper responsibility letter"),
    "receptions.reception.planned": pgettext_lazy("audit", "Scheduled a leader's reception"),
    "receptions.reception.held": pgettext_lazy("audit", "Recorded a leader's reception as held"),
    "receptions.reception.cancelled": pgettext_lazy("audit", "Cancelled a leader's reception"),
}


# Codes made from declarations (a workflow's steps: `hazards.hazard.verify`), named by the
# mechanism that declares them when it registers them: (thing, step).
_STEPS: dict[str, tuple[Any, Any]] = {}


def name_steps(prefix: str, thing: Any, steps: Mapping[str, Any]) -> None:
    """Say how the codes `<prefix>.<step>` read: "隐患：验收销号" for a hazard's verify step."""
    for step, label in steps.items():
        _STEPS[f"{prefix}.{step}"] = (thing, label)


def action_label(code: str) -> str:
    """`提交检查记录` for `inspections.inspection.submitted`; the code itself when unknown."""
    if code in CODES:
        return str(CODES[code])
    if code in _STEPS:
        thing, step = _STEPS[code]
        return pgettext("audit", "%(thing)s: %(step)s") % {"thing": thing, "step": step}
    parts = code.split(".")
    if len(parts) != 3 or parts[1] not in THINGS or parts[2] not in VERBS:
        return code
    return pgettext("audit", "%(verb)s %(thing)s") % {
        "verb": VERBS[parts[2]],
        "thing": THINGS[parts[1]],
    }


def object_label(object_type: str, object_id: str) -> str:
    """`教职工 #3` for `orgs.person` #3; the model label when unknown."""
    if not object_type:
        return ""
    thing = THINGS.get(object_type.rpartition(".")[2])
    return f"{thing if thing is not None else object_type} #{object_id}"
