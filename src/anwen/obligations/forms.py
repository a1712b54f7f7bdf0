from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anwen.forms import DateField, IdMultipleChoiceField
from anwen.obligations.models import Category, Counting, Frequency
from anwen.obligations.plans import PlanRule
from anwen.obligations.registry import conditions, kinds, subject_providers
from anwen.obligations.selectors import FIRST_DAY, LAST_DAY, PRESETS
from anwen.once.tokens import OnceField
from anwen.orgs.models import OrgKind, SchoolType
from anwen.orgs.roles import RoleName

# Roles that can owe a school's or centre's routine work.
_OWING_ROLES = [
    RoleName.PRINCIPAL,
    RoleName.SAFETY_OFFICER,
    RoleName.TEACHER,
    RoleName.GUARD,
    RoleName.CENTRE_OFFICER,
]
NEW_ROUTINE = "__new_routine__"


class BoardForm(forms.Form):
    """The board's filters; bad values fall back to the defaults."""

    period = forms.ChoiceField(label=_("Period"), choices=list(PRESETS.items()), required=False)
    date = DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    obligation = forms.TypedChoiceField(
        label=_("Obligation"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, obligations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["obligation"].choices = [("", _("All obligations"))] + [
            (o.pk, o.name) for o in obligations
        ]

    def clean_date(self):
        day = self.cleaned_data.get("date")
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            raise forms.ValidationError(
                _("Choose a date between %(first)s and %(last)s."),
                params={"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()},
            )
        return day

    def values(self) -> tuple[str, object, int | None]:
        """The valid filters; a bad one falls back to its default, the others are kept."""
        data = {}
        if self.is_bound:
            self.is_valid()  # fills cleaned_data with the fields that are valid
            data = self.cleaned_data
        return (
            data.get("period") or "month",
            data.get("date") or timezone.localdate(),
            data.get("obligation"),
        )


class LogForm(forms.Form):
    once = OnceField()  # sent twice, logged once
    kind = forms.ChoiceField(label=_("Activity"))
    occurred_on = DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who took part, what was found, what was done."),
    )
    photo = forms.FileField(
        label=_("Photo or scan"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/*,application/pdf", "capture": "environment"}
        ),
    )

    def __init__(self, *args, kind_choices=(), attendees=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(kind_choices)
        if attendees is not None:
            # The school owes a session that takes attendance (the bus crews'): who was there,
            # from those expected, and how many were absent.
            self.fields["present"] = IdMultipleChoiceField(
                label=_("Present"),
                queryset=attendees,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=_("Bus crew sessions only: tick who attended."),
            )
            self.fields["absent"] = forms.IntegerField(
                label=_("Absent"),
                min_value=0,
                max_value=500,
                required=False,
                help_text=_("Empty: those not ticked."),
            )
            self.order_fields(["kind", "occurred_on", "present", "absent", "note", "photo"])


def _role_choices():
    return [("", _("The organisation as a whole"))] + [
        (r.value, r.label) for r in RoleName if r in _OWING_ROLES
    ]


class ObligationForm(forms.Form):
    """What the plan page may change (services.EDITABLE)."""

    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    frequency = forms.ChoiceField(label=_("Frequency"), choices=Frequency.choices)
    times = forms.IntegerField(label=_("Records per period"), min_value=1, max_value=100)
    due_days = forms.IntegerField(
        label=_("Days allowed after the period"), min_value=0, max_value=60
    )
    due_counting = forms.ChoiceField(label=_("Counting"), choices=Counting.choices)
    org_kind = forms.ChoiceField(
        label=_("Applies to"),
        choices=[
            (OrgKind.SCHOOL.value, OrgKind.SCHOOL.label),
            (OrgKind.CENTRE.value, OrgKind.CENTRE.label),
        ],
    )
    school_types = forms.MultipleChoiceField(
        label=_("School types"),
        choices=SchoolType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every type."),
    )
    boarding_only = forms.BooleanField(label=_("Boarding schools only"), required=False)
    condition = forms.ChoiceField(label=_("Only where"), required=False)
    role = forms.ChoiceField(label=_("Responsible role"), required=False)
    is_active = forms.BooleanField(label=_("In force"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices()
        self.fields["condition"].choices = [("", _("No further condition"))] + [
            (code, c.label) for code, c in sorted(conditions().items())
        ]

    def changes(self) -> dict:
        data = dict(self.cleaned_data)
        data["school_types"] = list(data.get("school_types") or [])
        return data


class ObligationCreateForm(ObligationForm):
    code = forms.SlugField(
        label=_("Code"),
        max_length=60,
        required=False,
        help_text=_(
            "Optional: leave it empty and anwen makes one from the name. Letters, digits and "
            "hyphens; unique in the plan."
        ),
    )
    record_kind = forms.ChoiceField(label=_("Fulfilled by"))
    per_subject = forms.ChoiceField(label=_("One per"), required=False)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)

    field_order = [
        "code",
        "name",
        "description",
        "category",
        "record_kind",
        "frequency",
        "times",
        "due_days",
        "due_counting",
        "org_kind",
        "school_types",
        "boarding_only",
        "condition",
        "role",
        "per_subject",
        "is_active",
    ]

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["record_kind"].choices = [
            (NEW_ROUTINE, _("A new routine activity, logged in anwen"))
        ] + sorted(
            ((code, f"{k.label}（{code}）") for code, k in kinds().items()), key=lambda c: c[0]
        )
        self.fields["per_subject"].choices = [("", _("The organisation (or role) as a whole"))] + [
            (code, p.label) for code, p in sorted(subject_providers().items())
        ]

    def clean(self):
        data = super().clean()
        if not data.get("code") and self.plan is not None and data.get("name"):
            # A clerk names the duty; the code is the machine's business.
            from anwen.obligations.selectors import free_code

            data["code"] = free_code(self.plan, data["name"])
        if data.get("record_kind") == NEW_ROUTINE and data.get("code"):
            data["record_kind"] = f"routine.{data['code']}"[:60]
        return data


class PlanRulesForm(forms.Form):
    """Every declared rule of the plan, each with the fields its type asks for (a deadline:
    days and counting). Validation is the declaration's own."""

    def __init__(self, *args, values: dict, **kwargs):
        from anwen.obligations.plans import rules_by_engine

        super().__init__(*args, **kwargs)
        self.groups: list[tuple[str, str, list[tuple[PlanRule, list[str]]]]] = []
        for engine, label, rules in rules_by_engine():
            entries = []
            for rule in rules:
                names = []
                initial = rule.kind.initial(values.get(rule.key, rule.default))
                for suffix, field in rule.kind.form_fields(rule).items():
                    name = f"{rule.key}.{suffix}" if suffix else rule.key
                    field.initial = initial.get(suffix)
                    self.fields[name] = field
                    names.append(name)
                entries.append((rule, names))
            self.groups.append((engine, label, entries))

    def bound_groups(self):
        """(engine, label, [(rule, [bound fields])]) for the template."""
        return [
            (engine, label, [(rule, [self[n] for n in names]) for rule, names in entries])
            for engine, label, entries in self.groups
        ]

    def refused(self) -> int:
        """How many fields (and form-wide reasons) were refused; the first refused field gets
        the focus, so the refused page opens on it."""
        names = [n for n in self.fields if n in self.errors]
        if names:
            self.fields[names[0]].widget.attrs["autofocus"] = True
        return len(names) + len(self.non_field_errors())

    def values(self) -> dict:
        """key -> value as the engine reads it; a value its type refuses becomes a form error
        on the rule's first field."""
        out = {}
        for _engine, _label, entries in self.groups:
            for rule, names in entries:
                if any(n not in self.cleaned_data for n in names):
                    continue
                data = {
                    n[len(rule.key) + 1 :] if n != rule.key else "": self.cleaned_data[n]
                    for n in names
                }
                try:
                    value = rule.kind.from_form(data)
                    rule.kind.check(value)
                except forms.ValidationError as error:
                    self.add_error(names[0], error)
                except ValueError:
                    self.add_error(names[0], _("Not a valid value."))
                else:
                    out[rule.key] = value
        return out


class PlanCloneForm(forms.Form):
    year = forms.IntegerField(label=_("Year of the new plan"), min_value=2000, max_value=2100)
