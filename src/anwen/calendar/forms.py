"""Plain forms: they validate input and nothing else; the services enforce the rules."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from anwen.calendar.models import DayKind, SensitiveKind, Term
from anwen.forms import DateField

NATIONAL = "national"  # the owner value of the national arrangement


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class _CalendarForm(forms.Form):
    """A form whose last day, when it has one, is not before its first.

    A form for a new row also says whom the row is for (`owners`: value and label pairs, the
    national arrangement and the bureaus the user manages); the view refuses any other owner
    before the form is read. Edits keep the row's owner, so they have no such field."""

    def __init__(self, *args, owners: list[tuple[str, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if owners is not None:
            # Not required: the view has already decided the owner (the page's by default).
            field = forms.ChoiceField(label=_("For"), choices=owners, required=False)
            if len(owners) == 1:
                field.widget = forms.HiddenInput()
            field.initial = owners[0][0] if owners else None
            self.fields = {"owner": field, **self.fields}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The last day cannot be before the first day."))
        return data

    @property
    def values(self) -> dict[str, Any]:
        """The cleaned fields a service takes (the owner is passed on its own; the view's
        one-time form token is claimed by the view)."""
        return {k: v for k, v in self.cleaned_data.items() if k not in ("owner", "once")}


class DayOverrideForm(_CalendarForm):
    day = DateField(label=_("Date"), widget=DateInput())
    kind = forms.ChoiceField(label=_("Kind"), choices=DayKind.choices)
    name = forms.CharField(
        label=pgettext_lazy("calendar", "Name"),
        max_length=80,
        help_text=_("For example: Spring Festival, or flood closure."),
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, local: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if local:
            # A bureau's own days are closures; the arrangement itself is national.
            kind = self.fields["kind"]
            assert isinstance(kind, forms.ChoiceField)
            kind.choices = [(DayKind.CLOSURE, DayKind.CLOSURE.label)]
            kind.initial = DayKind.CLOSURE


class SemesterForm(_CalendarForm):
    start_year = forms.IntegerField(
        label=_("School year starting in"),
        min_value=2000,
        max_value=2100,
        help_text=_("2026 for the 2026-2027 school year."),
    )
    term = forms.ChoiceField(label=_("Term"), choices=Term.choices)
    start = DateField(label=_("First day"), widget=DateInput())
    end = DateField(label=_("Last day"), widget=DateInput())
    name = forms.CharField(
        label=pgettext_lazy("calendar", "Name"),
        max_length=60,
        required=False,
        help_text=_("Optional, for example 2026-2027学年第一学期."),
    )


class SemesterEditForm(_CalendarForm):
    """The school year, term and owner of a semester stay; its dates and name change."""

    start = DateField(label=_("First day"), widget=DateInput())
    end = DateField(label=_("Last day"), widget=DateInput())
    name = forms.CharField(label=pgettext_lazy("calendar", "Name"), max_length=60, required=False)


class SensitivePeriodForm(_CalendarForm):
    name = forms.CharField(label=pgettext_lazy("calendar", "Name"), max_length=80)
    kind = forms.ChoiceField(label=_("Kind"), choices=SensitiveKind.choices)
    start = DateField(label=_("First day"), widget=DateInput())
    end = DateField(label=_("Last day"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=255, required=False)
