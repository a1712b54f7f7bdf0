"""The forms of the case engine, built from a type's declaration: the registration form (the
common fields, the type's own), and each step's form (a note and the step's fields)."""

from datetime import UTC, date, datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from anwen.forms import MAX_DATE, MIN_DATE
from anwen.forms import DateField as BoundedDateField
from anwen.once.tokens import OnceField

from .types import CaseType

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(MAX_DATE.year + 1, 1, 1, tzinfo=UTC)  # a margin of hours, whatever the zone


def _bound_dates(form: forms.Form, data: dict) -> None:
    """Refuse a date or a moment of a type's own field outside the years a school's records
    can have (`anwen.forms.DateField`'s range), whatever field class the type declared: a
    moment in year 1 cannot even be turned into Beijing time (a 500 where a clock counts
    from it), one in 9999 overflows the first day added to it. A refused field leaves
    `cleaned_data`, so the type's `validate` never sees it."""
    for name, value in list(data.items()):
        if name == "received_at":
            continue
        if isinstance(value, datetime):
            # In Beijing time, as the clerk typed it: 2000-01-01 00:00 is inside.
            zone = timezone.get_current_timezone()
            out = not datetime(MIN_DATE.year, 1, 1, tzinfo=zone) <= value < LATEST
        elif isinstance(value, date):
            out = not MIN_DATE <= value <= MAX_DATE
        else:
            continue
        if out:
            form.add_error(
                name,
                forms.ValidationError(
                    BoundedDateField.default_error_messages["out_of_range"],
                    code="out_of_range",
                    params={"min": MIN_DATE.isoformat(), "max": MAX_DATE.isoformat()},
                ),
            )


class RegisterForm(forms.Form):
    once = OnceField()
    subject = forms.CharField(label=pgettext_lazy("case", "Subject"), max_length=200)
    content = forms.CharField(
        label=_("Content"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    received_at = forms.DateTimeField(
        label=_("Received at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    same_matter = forms.CharField(
        label=_("Same matter as (number)"),
        max_length=30,
        required=False,
        help_text=_("An earlier case on the same matter; the same writer's are linked anyway."),
    )
    name = forms.CharField(label=_("Name"), max_length=60, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)

    def __init__(self, *args, case_type: CaseType, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.case_type = case_type
        self.fields["org"] = forms.ChoiceField(
            label=_("Registered by"), choices=[(str(o.pk), o.name) for o in orgs]
        )
        self.orgs = {str(o.pk): o for o in orgs}
        if case_type.channels is not None:
            self.fields["channel"] = forms.ChoiceField(
                label=_("How it came in"), choices=case_type.channels.choices
            )
        if case_type.subject_label:
            self.fields["subject"].label = case_type.subject_label
        if case_type.content_label:
            self.fields["content"].label = case_type.content_label
        if not case_type.people_label:
            del self.fields["name"], self.fields["phone"]
        else:
            self.fields["name"].label = _("%(who)s: name") % {"who": case_type.people_label}
            self.fields["phone"].label = _("%(who)s: phone") % {"who": case_type.people_label}
        for f in case_type.fields:
            if f.register:
                self.fields[f.name] = f.form_field()
        # As a clerk fills it in from the letter: where and how it came, who, what.
        self.order_fields(
            ["once", "org", "channel", "received_at", "name", "phone", "subject", "content"]
        )
        if not self.is_bound:
            self.initial.setdefault("received_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))

    def clean_received_at(self):
        value = self.cleaned_data["received_at"]
        if value > timezone.now():
            raise forms.ValidationError(_("It cannot have been received in the future."))
        if value < EARLIEST:
            # Year 1 cannot even be stored in UTC (a 500); nothing older is a live matter.
            raise forms.ValidationError(_("Give a date from the year 2000 on."))
        return value

    def clean(self):
        data = super().clean() or {}
        _bound_dates(self, data)
        if self.case_type.validate:
            for field, message in self.case_type.validate(data).items():
                self.add_error(field, message)
        return data

    @property
    def org(self):
        return self.orgs.get(self.cleaned_data.get("org", ""))

    def details(self) -> tuple[dict, dict]:
        """(the type's fields everyone sees, its confidential fields), as JSON values."""
        face: dict = {}
        private: dict = {}
        for f in self.case_type.fields:
            value = self.cleaned_data.get(f.name)
            if value in (None, ""):
                continue
            (private if f.private else face)[f.name] = (
                value if isinstance(value, int | str | bool) else str(value)
            )
        return face, private


class StepForm(forms.Form):
    once = OnceField()
    note = forms.CharField(
        label=_("Note"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, case, user, case_type: CaseType, name: str, **kwargs):
        super().__init__(*args, **kwargs)
        step = case_type.step(name)
        fields = (
            step.fields(case, user)
            if callable(step.fields)
            else {k: make() for k, make in step.fields.items()}
        )
        for key, field in fields.items():
            self.fields[key] = field
        # The step's own fields first, the note under them.
        self.order_fields([*fields, "note", "once"])
        transition = case_type.workflow.transition(name)
        if transition.note_required:
            self.fields["note"].required = True
            # Not always a reason: the text of a written report, the urging, the explanation.
            # A step that asks for its note in its own words keeps its label.
            if "note" not in fields:
                self.fields["note"].label = _("Note (required)")

    def clean(self):
        data = super().clean() or {}
        _bound_dates(self, data)
        return data
