"""Forms of the schedule pages: they only read and check input; the services decide."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from anwen.forms import DateField, IdChoiceField
from anwen.once.tokens import OnceField

from .models import ReceptionKind


class LeaderChoice(IdChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj)


class ReceptionForm(forms.Form):
    once = OnceField()
    leader = LeaderChoice(
        label=_("Leader"),
        queryset=get_user_model().objects.none(),
        empty_label=_("Choose a leader"),  # not Django's "---------"
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ReceptionKind.choices)
    # The browser's date and time pickers read and write ISO values, whatever the language.
    date = DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    time = forms.TimeField(
        label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    place = forms.CharField(label=_("Venue"), max_length=120)
    topic = forms.CharField(
        label=_("Topic"),
        max_length=120,
        help_text=_("A few words on the matter; no names or other personal details."),
    )
    case_number = forms.CharField(
        label=_("Case number"),
        required=False,
        max_length=30,
        help_text=_("The number of the case the reception is about, if there is one."),
    )

    def __init__(self, *args, leaders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders


class CloseForm(forms.Form):
    once = OnceField()
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


PERIODS = [("upcoming", _("This month and upcoming")), ("past", _("Earlier"))]


class ScheduleFilter(forms.Form):
    period = forms.ChoiceField(label=_("When"), required=False, choices=PERIODS)
    leader = LeaderChoice(
        label=_("Leader"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("All"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *ReceptionKind.choices]
    )

    def __init__(self, *args, leaders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders

    def values(self) -> dict:
        return self.cleaned_data if self.is_valid() else {}
