"""Pages of the duties app: sign rates, the letter a member of staff signs, the duty library,
the five in place, commitments. Each view guards, validates, calls a service, and renders."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from anwen.duties import selectors, services
from anwen.duties.forms import (
    CommitmentForm,
    FiveForm,
    LibraryEditForm,
    PaperLetterForm,
    SignForm,
)
from anwen.duties.models import (
    Commitment,
    CommitmentKind,
    FiveInPlace,
    FiveStatus,
    Part,
    ResponsibilityLetter,
)
from anwen.duties.services import DutyError, PartInput
from anwen.exports.xlsx import Column, Exporter
from anwen.http import int_param
from anwen.once.tokens import AlreadySent, claim
from anwen.orgs.exporting import export_response
from anwen.orgs.models import Org, OrgKind, Person, Position
from anwen.orgs.scope import (
    access,
    access_org,
    full_scope_paths,
    has_perm,
    perm_required,
    person_of,
    schools_with,
    scope_paths,
)
from anwen.paging import paginate

PAGE_SIZE = 50


def _year(request) -> int:
    today = timezone.localdate()
    return (
        int_param(request.GET, "year", today.year, minimum=2000, maximum=today.year + 1)
        or today.year
    )


def _years() -> list[int]:
    this = timezone.localdate().year
    return list(range(this, this - 5, -1))


def _under(request) -> Org | None:
    pk = request.GET.get("under")
    return access_org(request.user, pk, perm="duties.view") if pk else None


def _tabs(request, active: str) -> list[tuple[str, str, bool]]:
    user = request.user
    tabs = []
    if has_perm(user, "duties.view"):
        tabs.append(("letters", reverse("duties:index"), _("Responsibility letters")))
    if has_perm(user, "duties.sign"):
        tabs.append(("mine", reverse("duties:my_letter"), _("My letter")))
    if has_perm(user, "duties.view"):
        tabs.append(("five", reverse("duties:five"), _("Five in place")))
        tabs.append(
            ("commitments", reverse("duties:commitments"), _("Commitments and self-checks"))
        )
    tabs.append(("library", reverse("duties:library"), _("Duty lists")))
    return [(url, label, key == active) for key, url, label in tabs]


def _page(request, rows):
    return paginate(request, rows, per_page=PAGE_SIZE)


# --- sign rates -------------------------------------------------------------------------------


def _percent(value):
    return "" if value is None else value


RATE_COLUMNS = [
    Column(gettext_lazy("Centre"), lambda r: r.org.parent.name if r.org.parent else "", 26),
    Column(gettext_lazy("School"), lambda r: r.org.name, 34),
    Column(gettext_lazy("Staff to sign"), lambda r: r.staff),
    Column(gettext_lazy("Signed"), lambda r: r.signed),
    Column(gettext_lazy("Not signed"), lambda r: r.unsigned),
    Column(gettext_lazy("Sign rate (%)"), lambda r: _percent(r.rate)),
]
CENTRE_COLUMNS = [
    Column(gettext_lazy("Centre"), lambda r: r.org.name, 34),
    Column(gettext_lazy("Staff to sign"), lambda r: r.staff),
    Column(gettext_lazy("Signed"), lambda r: r.signed),
    Column(gettext_lazy("Not signed"), lambda r: r.unsigned),
    Column(gettext_lazy("Sign rate (%)"), lambda r: _percent(r.rate)),
]


def _letter_of(person):
    return person.letters[0] if person.letters else None


STAFF_COLUMNS = [
    Column(pgettext_lazy("person", "Name"), lambda p: p.name),
    Column(gettext_lazy("Staff number"), lambda p: p.staff_no),
    Column(gettext_lazy("Positions"), lambda p: "、".join(x.name for x in p.positions.all()), 24),
    Column(gettext_lazy("Status"), lambda p: _("Signed") if _letter_of(p) else _("Not signed")),
    Column(
        gettext_lazy("Signed on"),
        lambda p: _letter_of(p).signed_on.isoformat() if _letter_of(p) else "",
    ),
    Column(
        gettext_lazy("How signed"),
        lambda p: _letter_of(p).get_method_display() if _letter_of(p) else "",
    ),
]


@login_required
def index(request):
    """Sign rates of the responsibility letters: per centre and school for the bureau and the
    centres, the staff list for a school. A member of staff who only signs goes to their own
    letter."""
    user = request.user
    if not has_perm(user, "duties.view"):
        if has_perm(user, "duties.sign"):
            return redirect("duties:my_letter")
        raise Http404
    year = _year(request)
    roots = list(Org.objects.filter(path__in=scope_paths(user), is_active=True))
    if len(roots) == 1 and roots[0].kind == OrgKind.SCHOOL:
        return _school_page(request, roots[0], year)
    under = _under(request)
    rows = selectors.sign_rates(user=user, year=year, under=under)
    # The whole scope's schools add up to the centres: one count of the staff, not two.
    centres = (
        selectors.roll_up(rows)
        if under is None
        else selectors.sign_rates(user=user, year=year, group="centre")
    )
    if request.GET.get("format") == "xlsx":
        if request.GET.get("group") == "centre":
            return export_response(
                request,
                Exporter(_("Sign rates by centre"), CENTRE_COLUMNS, centres),
                "letters-centres",
                period=str(year),
            )
        return export_response(
            request,
            Exporter(_("Sign rates by school"), RATE_COLUMNS, rows),
            "letters-schools",
            scope=under,
            period=str(year),
        )
    sort = request.GET.get("sort", "rate")
    if sort == "rate":  # the centres' table and the schools' list alike: weakest first
        for table in (rows, centres):
            table.sort(key=lambda r: (r.rate is None, r.rate or 0, r.org.path))
    return render(
        request,
        "duties/index.html",
        {
            "tabs": _tabs(request, "letters"),
            "year": year,
            "years": _years(),
            "under": under,
            "centres": centres if len(centres) > 1 else [],
            "page": _page(request, rows),
            "total": selectors.total(rows if under else centres),
            "sort": sort,
        },
    )


def _school_page(request, school: Org, year: int):
    status = request.GET.get("status", "")
    q = request.GET.get("q", "").strip()
    people = selectors.staff_letters(school=school, year=year, status=status, q=q)
    if request.GET.get("format") == "xlsx":
        return export_response(
            request,
            Exporter(_("Responsibility letters"), STAFF_COLUMNS, people),
            "letters-staff",
            scope=school,
            period=str(year),
        )
    [figures] = selectors.sign_rates(user=request.user, year=year, under=school) or [
        selectors.RateRow(org=school)
    ]
    return render(
        request,
        "duties/school.html",
        {
            "tabs": _tabs(request, "letters"),
            "school": school,
            "year": year,
            "years": _years(),
            "status": status,
            "q": q,
            "page": _page(request, people),
            "figures": figures,
            "can_record": has_perm(request.user, "duties.manage", school)
            and year == timezone.localdate().year,
        },
    )


@perm_required("duties.view")
def school(request, pk: int):
    org = access_org(request.user, pk, perm="duties.view")
    if org.kind != OrgKind.SCHOOL:
        raise Http404
    return _school_page(request, org, _year(request))


# --- letters ----------------------------------------------------------------------------------


@perm_required("duties.sign")
@require_http_methods(["GET", "POST"])
def my_letter(request):
    """The phone page where a member of staff reads their duties and signs."""
    year = timezone.localdate().year
    person = person_of(request.user)
    context = {"tabs": _tabs(request, "mine"), "year": year, "person": person}
    if person is None or not has_perm(request.user, "duties.sign", person.org):
        return render(request, "duties/my_letter.html", context)
    context["earlier"] = (
        ResponsibilityLetter.objects.filter(person=person).exclude(year=year).order_by("-year")
    )
    letter = ResponsibilityLetter.objects.filter(person=person, year=year).first()
    if letter is not None:
        context["letter"] = letter
        return render(request, "duties/my_letter.html", context)
    form = SignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.letter_sign(
                person=person,
                year=year,
                by=request.user,
                accepted=form.cleaned_data["accepted"],
                signature=form.cleaned_data["signature"],
            )
        except DutyError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Signed. Thank you: your %(year)d responsibility letter is on record.")
                % {"year": year},
            )
            return redirect("duties:my_letter")
    positions, content = services.letter_content(person)
    context.update(
        {
            "form": form,
            "positions": positions,
            "content": content,
            "has_duties": any(block["items"] for block in content["duties"]),
        }
    )
    return render(request, "duties/my_letter.html", context)


@login_required
def letter(request, pk: int):
    letters = ResponsibilityLetter.objects.select_related("org", "scan", "signed_by", "person")
    own = letters.filter(pk=pk, person__user=request.user).first()
    obj = own or access(letters, request.user, pk, perm="duties.view")
    return render(
        request,
        "duties/letter.html",
        {
            "tabs": _tabs(request, "mine" if own else "letters"),
            "letter": obj,
        },
    )


@perm_required("duties.manage")
@require_http_methods(["GET", "POST"])
def paper(request, pk: int):
    """The school's safety officer records a letter a member of staff signed on paper."""
    person = access(
        Person.objects.filter(is_active=True, org__kind=OrgKind.SCHOOL).select_related("org"),
        request.user,
        pk,
        perm="duties.manage",
    )
    year = timezone.localdate().year
    done = ResponsibilityLetter.objects.filter(person=person, year=year).first()
    if done is not None:
        messages.info(
            request,
            _("%(name)s has already signed the letter for %(year)d.")
            % {"name": person.name, "year": year},
        )
        return redirect("duties:letter", done.pk)
    form = PaperLetterForm(
        request.POST or None, request.FILES or None, initial={"signed_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.letter_record_paper(
                person=person,
                year=year,
                signed_on=form.cleaned_data["signed_on"],
                scan=form.cleaned_data["scan"],
                by=request.user,
            )
        except DutyError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("The paper letter of %(name)s is recorded.") % {"name": person.name}
            )
            return redirect(reverse("duties:school", args=[person.org_id]) + "?status=unsigned")
    positions, content = services.letter_content(person)
    return render(
        request,
        "duties/paper.html",
        {
            "tabs": _tabs(request, "letters"),
            "person": person,
            "year": year,
            "form": form,
            "positions": positions,
        },
    )


# --- the library ------------------------------------------------------------------------------


def _library_owner(request) -> Org:
    user = request.user
    if not (has_perm(user, "duties.view") or has_perm(user, "duties.sign")):
        raise Http404
    paths = full_scope_paths(user)
    owner = Org.objects.filter(pk=int(paths[0].split("/")[0])).first() if paths else None
    if owner is None:
        raise Http404
    return owner


@login_required
def library(request):
    owner = _library_owner(request)
    can_edit = services.can_edit_library(request.user, owner)
    letter_due, five_due = selectors.due_dates(owner.pk, timezone.localdate().year)
    rows = selectors.library(owner.pk)
    return render(
        request,
        "duties/library.html",
        {
            "tabs": _tabs(request, "library"),
            "owner": owner,
            "rows": rows,
            "can_edit": can_edit,
            "missing": sum(1 for _position, items in rows if not items),
            "letter_due": letter_due,
            "five_due": five_due,
            "can_edit_plan": has_perm(request.user, "obligations.manage", owner),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def library_edit(request, pk: int):
    owner = _library_owner(request)
    position = Position.objects.filter(pk=pk).first()
    if position is None or not services.can_edit_library(request.user, owner):
        raise Http404
    items = [
        d.text for _p, duties in selectors.library(owner.pk) if _p.pk == position.pk for d in duties
    ]
    form = LibraryEditForm(request.POST or None, initial={"items": "\n".join(items)})
    if request.method == "POST" and form.is_valid():
        try:
            services.position_duties_set(
                owner=owner, position=position, items=form.cleaned_data["items"], by=request.user
            )
        except DutyError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("The duty list of %(position)s is saved. Letters signed before keep their text.")
                % {"position": position.name},
            )
            return redirect("duties:library")
    return render(
        request,
        "duties/library_edit.html",
        {
            "tabs": _tabs(request, "library"),
            "owner": owner,
            "position": position,
            "form": form,
        },
    )


@login_required
@require_POST
def library_load(request):
    owner = _library_owner(request)
    if not services.can_edit_library(request.user, owner):
        raise Http404
    added = services.duty_library_load(owner=owner, by=request.user)
    messages.success(request, _("Standard duty lists loaded: %(n)d items added.") % {"n": added})
    return redirect("duties:library")


@login_required
def config(request):
    """The deadlines are rules of the yearly plan: they are set on the plan page."""
    return redirect(reverse("obligations:plan") + "#rules-duties")


# --- five in place ----------------------------------------------------------------------------


def _status_label(row) -> str:
    if row.assessment is None:
        return _("Not started")
    return row.assessment.get_status_display()


def _rating(part: int) -> Callable[[Any], str]:
    return lambda row: row.ratings[part][1]


FIVE_COLUMNS = [
    Column(gettext_lazy("Centre"), lambda r: r.org.parent.name if r.org.parent else "", 26),
    Column(gettext_lazy("School"), lambda r: r.org.name, 34),
    Column(gettext_lazy("Status"), _status_label),
    Column(
        gettext_lazy("Submitted at"),
        lambda r: (
            timezone.localtime(r.assessment.submitted_at).strftime("%Y-%m-%d %H:%M")
            if r.assessment and r.assessment.submitted_at
            else ""
        ),
        18,
    ),
    Column(
        gettext_lazy("Legal representative"),
        lambda r: r.assessment.submitted_name if r.assessment else "",
    ),
] + [Column(label, _rating(i), 12) for i, (_code, label) in enumerate(Part.choices)]


@perm_required("duties.view")
def five_list(request):
    year = _year(request)
    status = request.GET.get("status", "")
    rows = selectors.five_rows(user=request.user, year=year, under=_under(request), status=status)
    if request.GET.get("format") == "xlsx":
        return export_response(
            request,
            Exporter(_("Five in place"), FIVE_COLUMNS, rows),
            "five-in-place",
            period=str(year),
        )
    counts = {
        "submitted": sum(1 for r in rows if r.status == FiveStatus.SUBMITTED),
        "draft": sum(1 for r in rows if r.status == FiveStatus.DRAFT),
        "none": sum(1 for r in rows if r.assessment is None),
    }
    return render(
        request,
        "duties/five_list.html",
        {
            "tabs": _tabs(request, "five"),
            "year": year,
            "years": _years(),
            "status": status,
            "page": _page(request, rows),
            "counts": counts,
            "parts": Part.choices,
            "statuses": FiveStatus.choices,
        },
    )


@perm_required("duties.view")
@require_http_methods(["GET", "POST"])
def five_school(request, pk: int):
    """A school's five-in-place self-assessment for a year: the form while it is a draft of
    the current year and the user may fill it in, the record otherwise."""
    school = access_org(request.user, pk, perm="duties.view")
    if school.kind != OrgKind.SCHOOL:
        raise Http404
    year = _year(request)
    assessment = (
        FiveInPlace.objects.filter(org=school, year=year).select_related("submitted_by").first()
    )
    parts = {p.part: p for p in assessment.parts.prefetch_related("evidence")} if assessment else {}
    can_edit = (
        has_perm(request.user, "duties.manage", school)
        and year == timezone.localdate().year
        and not (assessment and assessment.is_submitted)
    )
    if request.method == "POST" and not can_edit:
        raise Http404
    evidence = {code: list(p.evidence.all()) for code, p in parts.items()}
    context = {
        "tabs": _tabs(request, "five"),
        "school": school,
        "year": year,
        "years": _years(),
        "assessment": assessment,
        "can_edit": can_edit,
        "can_submit": can_edit and services.can_submit_five(request.user, school),
        "sections": [(code, label, parts.get(code)) for code, label in Part.choices],
    }
    if not can_edit:
        return render(request, "duties/five_detail.html", context)
    if request.method == "POST":
        form = FiveForm(request.POST, request.FILES, evidence=evidence)
        if form.is_valid():
            data = form.cleaned_data
            inputs = {
                code: PartInput(
                    rating=data[f"{code}-rating"],
                    statement=data[f"{code}-statement"],
                    files=data[f"{code}-files"],
                    remove=data[f"{code}-remove"],
                )
                for code in Part.values
            }
            try:
                with transaction.atomic():
                    claim(data["once"])
                    saved = services.five_save(
                        school=school, year=year, parts=inputs, by=request.user
                    )
            except AlreadySent as exc:
                messages.info(request, str(exc))
                return redirect("duties:five_school", school.pk)
            except DutyError as exc:
                form.add_error(None, str(exc))
            else:
                if "submit" not in request.POST:
                    messages.success(request, _("The draft is saved."))
                    return redirect("duties:five_school", school.pk)
                try:
                    services.five_submit(assessment=saved, by=request.user)
                except DutyError as exc:
                    messages.error(
                        request, _("The draft is saved but not submitted: %(why)s") % {"why": exc}
                    )
                else:
                    messages.success(
                        request, _("The %(year)d self-assessment is submitted.") % {"year": year}
                    )
                return redirect("duties:five_school", school.pk)
    else:
        form = FiveForm(
            evidence=evidence,
            initial={
                key: value
                for code, p in parts.items()
                for key, value in ((f"{code}-rating", p.rating), (f"{code}-statement", p.statement))
            },
        )
    context.update(
        {
            "form": form,
            "evidence": evidence,
            "problems": services.five_problems(assessment) if assessment else [],
        }
    )
    return render(request, "duties/five_form.html", context)


# --- commitments ------------------------------------------------------------------------------


COMMITMENT_COLUMNS = [
    Column(gettext_lazy("Centre"), lambda c: c.org.parent.name if c.org.parent else "", 26),
    Column(gettext_lazy("School"), lambda c: c.org.name, 34),
    Column(gettext_lazy("Kind"), lambda c: c.get_kind_display(), 16),
    Column(gettext_lazy("Date"), lambda c: c.date.isoformat(), 12),
    Column(gettext_lazy("Title"), lambda c: c.title, 30),
    Column(gettext_lazy("Where published"), lambda c: c.location, 20),
    Column(gettext_lazy("Signed by"), lambda c: c.signer),
    Column(gettext_lazy("Risks found"), lambda c: c.risks_found),
    Column(gettext_lazy("Risks fixed"), lambda c: c.risks_fixed),
    Column(gettext_lazy("Evidence files"), lambda c: len(c.evidence.all())),
    Column(gettext_lazy("Content"), lambda c: c.content, 50),
]


@perm_required("duties.view")
def commitment_list(request):
    kind = request.GET.get("kind", "")
    year = request.GET.get("year", "")
    q = request.GET.get("q", "").strip()
    rows = selectors.commitments(
        user=request.user,
        kind=kind,
        year=_year(request) if year else None,
        under=_under(request),
        q=q,
    )
    if request.GET.get("format") == "xlsx":
        return export_response(
            request,
            Exporter(_("Commitments and self-checks"), COMMITMENT_COLUMNS, rows),
            "commitments",
            period=str(_year(request)) if year else "",
        )
    return render(
        request,
        "duties/commitment_list.html",
        {
            "tabs": _tabs(request, "commitments"),
            "page": _page(request, rows),
            "kind": kind,
            "kinds": CommitmentKind.choices,
            "year": year,
            "years": _years(),
            "q": q,
            "can_record": has_perm(request.user, "duties.manage"),
        },
    )


@perm_required("duties.manage")
@require_http_methods(["GET", "POST"])
def commitment_new(request):
    schools = schools_with(request.user, "duties.manage")
    if not schools:
        raise Http404
    legal = (
        schools[0].school.legal_representative
        if len(schools) == 1 and hasattr(schools[0], "school")
        else None
    )
    kind = request.GET.get("kind", CommitmentKind.PUBLIC)
    form = CommitmentForm(
        request.POST or None,
        request.FILES or None,
        schools=schools,
        initial={
            "school": schools[0].pk,
            "date": timezone.localdate(),
            "kind": kind if kind in CommitmentKind.values else CommitmentKind.PUBLIC,
            "signer": legal.name if legal else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        school = next(s for s in schools if s.pk == data["school"])
        try:
            with transaction.atomic():
                claim(data["once"])
                obj = services.commitment_record(
                    school=school,
                    kind=data["kind"],
                    date=data["date"],
                    title=data["title"],
                    content=data["content"],
                    location=data["location"],
                    signer=data["signer"],
                    risks_found=data["risks_found"],
                    risks_fixed=data["risks_fixed"],
                    files=data["files"],
                    by=request.user,
                )
        except AlreadySent as exc:
            messages.info(request, str(exc))
            return redirect("duties:commitments")
        except DutyError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Recorded."))
            return redirect("duties:commitment", obj.pk)
    return render(
        request,
        "duties/commitment_form.html",
        {
            "tabs": _tabs(request, "commitments"),
            "form": form,
            "schools": schools,
        },
    )


@perm_required("duties.view")
def commitment(request, pk: int):
    obj = access(
        Commitment.objects.select_related("org", "recorded_by").prefetch_related("evidence"),
        request.user,
        pk,
        perm="duties.view",
    )
    return render(
        request,
        "duties/commitment.html",
        {
            "tabs": _tabs(request, "commitments"),
            "c": obj,
        },
    )
