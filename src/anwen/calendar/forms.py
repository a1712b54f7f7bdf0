"""Plain forms: they validate input and nothing else; the services enforce the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from anwen.calendar.models import DayKind, SensitiveKind, Term


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class _SpanForm(forms.Form):
    """A form with a first and a last day, the last not before the first."""

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The last day cannot be before the first day."))
        return data


class DayOverrideForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=DateInput())
    kind = forms.ChoiceField(label=_("Kind"), choices=DayKind.choices)
    name = forms.CharField(label=pgettext_lazy("calendar", "Name"), max_length=80,
                           help_text=_("For example: Spring Festival, or flood closure."))
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class SemesterForm(_SpanForm):
    start_year = forms.IntegerField(
        label=_("School year starting in"), min_value=2000, max_value=2100,
        help_text=_("2026 for the 2026-2027 school year."),
    )
    term = forms.ChoiceField(label=_("Term"), choices=Term.choices)
    start = forms.DateField(label=_("First day"), widget=DateInput())
    end = forms.DateField(label=_("Last day"), widget=DateInput())
    name = forms.CharField(label=pgettext_lazy("calendar", "Name"), max_length=60,
                           required=False,
                           help_text=_("Optional, for example 2026-2027学年第一学期."))


class SemesterEditForm(_SpanForm):
    """The school year and term of a semester stay; its dates and name change."""

    start = forms.DateField(label=_("First day"), widget=DateInput())
    end = forms.DateField(label=_("Last day"), widget=DateInput())
    name = forms.CharField(label=pgettext_lazy("calendar", "Name"), max_length=60,
                           required=False)


class SensitivePeriodForm(_SpanForm):
    name = forms.CharField(label=pgettext_lazy("calendar", "Name"), max_length=80)
    kind = forms.ChoiceField(label=_("Kind"), choices=SensitiveKind.choices)
    start = forms.DateField(label=_("First day"), widget=DateInput())
    end = forms.DateField(label=_("Last day"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=255, required=False)
