"""What the rhythm engine waits on a person for: the open periods they owe.

A period waits on its assignee (the owner of a grid area, the member of staff who signs a
letter), or, when it has none, on the holders of the obligation's role in the period's own org
(a principal of this school, not every school of the subtree). Only the current period and the
recent overdue ones are listed; a daily duty's missed days collapse into one line
("已漏 3 天"). The query count is fixed: it does not grow with the history behind it.
"""

from collections import defaultdict
from datetime import date, timedelta
from urllib.parse import urlencode

from django.db.models import Max, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from anwen.obligations.models import Period
from anwen.obligations.periods import DAILY_FREQUENCIES
from anwen.obligations.registry import is_loggable, kinds_outside_inbox
from anwen.obligations.registry import kind as record_kind
from anwen.orgs.models import RoleAssignment
from anwen.orgs.scope import has_perm, person_of
from anwen.todo import Todo

# How far back overdue periods are still listed: daily duties a week, the others a month.
DAILY_LOOKBACK = timedelta(days=7)
OTHER_LOOKBACK = timedelta(days=31)


def waiting_on(user, *, today: date) -> list[Todo]:
    if not getattr(user, "is_authenticated", False):
        return []
    staff = person_of(user)
    person = (staff.pk, staff.org_id) if staff else None
    roles = list(
        RoleAssignment.objects.filter(user=user, org__is_active=True).values_list("role", "org_id")
    )
    org_ids = {org for _role, org in roles} | ({person[1]} if person else set())
    if not org_ids:
        return []

    recent = Q(obligation__frequency__in=DAILY_FREQUENCIES, due__gte=today - DAILY_LOOKBACK) | (
        ~Q(obligation__frequency__in=DAILY_FREQUENCIES) & Q(due__gte=today - OTHER_LOOKBACK)
    )
    base = (
        Period.objects.filter(
            recent,
            done_at__isnull=True,
            start__lte=today,
            obligation__is_active=True,
            obligation__plan__is_active=True,
        )
        .exclude(obligation__record_kind__in=kinds_outside_inbox())
        .select_related("obligation__plan", "org")
    )
    periods: list[Period] = []
    if person is not None:
        periods += list(base.filter(assignee_id=person[0]))
    by_role: dict[str, set[int]] = defaultdict(set)
    for role, org in roles:
        by_role[role].add(org)
    if by_role:
        role_q = Q(pk__in=[])
        for role, orgs in by_role.items():
            role_q |= Q(obligation__role=role, org_id__in=orgs)
        periods += list(base.filter(role_q, assignee__isnull=True))
    if not periods:
        return []
    labels = _labels(periods)

    groups: dict[tuple[int, int, int], list[Period]] = defaultdict(list)
    for p in {p.pk: p for p in periods}.values():
        groups[(p.obligation_id, p.org_id, p.subject_id)].append(p)
    newest = _newest_starts(groups, today)
    # One duty across the years' plans: in January last year's gate log (due on the 1st) and
    # this year's are one entry, named as this year's plan names it.
    duties: dict[tuple[int, str, int, int], list[tuple[int, int, int]]] = defaultdict(list)
    for key, group in groups.items():
        o = group[0].obligation
        duties[(o.plan.owner_id, o.code, key[1], key[2])].append(key)
    items: list[Todo] = []
    for keys in duties.values():
        group = sorted((p for key in keys for p in groups[key]), key=lambda p: p.start)
        obligation = group[-1].obligation
        label = next((labels[k] for k in keys if labels.get(k)), "")
        newest_start = max((newest[k] for k in keys if k in newest), default=None)
        name = activity_label(obligation)
        title = f"{name}：{label}" if label else name
        current = [p for p in group if p.due >= today]
        overdue = [p for p in group if p.due < today]
        # A past period followed by a newer one is missed: today's check does not make up
        # Tuesday's, so it is no task to clear. It is said beside the current one (the board
        # keeps the count); only an overdue period nothing has followed yet is still a task.
        missed = [p for p in overdue if newest_start is not None and p.start < newest_start]
        overdue = [p for p in overdue if p not in missed]
        # One entry per duty: the newest period. An earlier one still within its due day
        # (yesterday's gate log, due by tonight) is said beside it, not listed again.
        still_open = current[:-1]
        for p in current[-1:]:
            parts = []
            if obligation.times > 1:
                parts.append(
                    _("%(done)d of %(times)d recorded")
                    % {"done": p.records, "times": obligation.times}
                )
            for earlier in still_open:
                parts.append(
                    _("%(start)s not recorded yet: still possible until %(due)s")
                    % {"start": _span(earlier), "due": earlier.due.isoformat()}
                )
            if missed:
                parts.append(_missed_text(obligation, missed))
            items.append(
                Todo(
                    kind=f"obligations.{obligation.record_kind}",
                    title=title,
                    url=_url(user, p, today),
                    org_name=p.org.name,
                    due=p.due,
                    detail="；".join(parts),
                )
            )
        for p in overdue:
            items.append(
                Todo(
                    kind=f"obligations.{obligation.record_kind}.overdue",
                    title=title,
                    url=_url(user, p, today),
                    org_name=p.org.name,
                    due=p.due,
                    detail=_missed_text(obligation, missed) if missed else "",
                )
            )
    items.sort(key=lambda t: (t.due or date.max, t.title))
    return items


def activity_label(obligation) -> str:
    """The name a duty goes by, here as on the log form: the plan's own wording."""
    return obligation.name


def _span(period: Period) -> str:
    if period.start == period.end:
        return period.start.isoformat()
    return f"{period.start.isoformat()} – {period.end.isoformat()}"


def _missed_text(obligation, missed: list[Period]) -> str:
    n = len(missed)
    if obligation.frequency in DAILY_FREQUENCIES:
        return ngettext("Missed %(n)d day before", "Missed %(n)d days before", n) % {"n": n}
    return ngettext("Missed %(n)d period before", "Missed %(n)d periods before", n) % {"n": n}


def _keys_q(keys) -> Q:
    """Rows (periods, targets) of these (obligation, org, subject) keys, one OR per
    obligation and org."""
    q = Q(pk__in=[])
    for ob, org in {(k[0], k[1]) for k in keys}:
        q |= Q(
            obligation_id=ob,
            org_id=org,
            subject_id__in=sorted({k[2] for k in keys if k[:2] == (ob, org)}),
        )
    return q


def _newest_starts(groups, today: date) -> dict[tuple[int, int, int], date]:
    """The start of the newest begun period of each group, done or not: one query."""
    if not groups:
        return {}
    rows = (
        Period.objects.filter(_keys_q(groups), start__lte=today)
        .values("obligation_id", "org_id", "subject_id")
        .annotate(newest=Max("start"))
        .order_by()
    )
    return {(r["obligation_id"], r["org_id"], r["subject_id"]): r["newest"] for r in rows}


def _labels(periods: list[Period]) -> dict[tuple[int, int, int], str]:
    from anwen.obligations.models import Target

    keys = {(p.obligation_id, p.org_id, p.subject_id) for p in periods if p.subject_id}
    if not keys:
        return {}
    return {
        (t.obligation_id, t.org_id, t.subject_id): t.label
        for t in Target.objects.filter(_keys_q(keys)).only(
            "obligation_id", "org_id", "subject_id", "label"
        )
    }


def _url(user, period: Period, today: date) -> str:
    code = period.obligation.record_kind
    known = record_kind(code)
    if known is not None and known.url is not None:
        return known.url(period)
    if is_loggable(code) and has_perm(user, "obligations.log", period.org):
        day = min(period.end, today)
        return (
            reverse("obligations:log")
            + "?"
            + urlencode({"org": period.org_id, "kind": code, "date": day.isoformat()})
        )
    if has_perm(user, "obligations.view", period.org):
        return reverse("obligations:school", args=[period.org_id])
    return ""
