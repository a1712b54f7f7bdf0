"""Plain forms: they validate input; the services enforce the patrol's rules."""

from datetime import date, time

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anwen.forms import DateField, IdMultipleChoiceField
from anwen.patrol.models import Checkpoint, RoundStatus


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class CheckpointForm(forms.Form):
    name = forms.CharField(
        label=_("Checkpoint"),
        max_length=80,
        help_text=_("For example: main gate, dormitory 2, boiler room."),
    )
    place = forms.CharField(
        label=_("Where"),
        max_length=120,
        required=False,
        help_text=_("Where the code is posted, for example: east wall of the main gate."),
    )
    sort_order = forms.IntegerField(
        label=_("Order"),
        min_value=0,
        max_value=9999,
        initial=0,
        help_text=_("Checkpoints are listed and printed in this order."),
    )


class CheckpointEditForm(CheckpointForm):
    is_active = forms.BooleanField(label=_("In use"), required=False)
    new_code = forms.BooleanField(
        label=_("Issue a new QR code"),
        required=False,
        help_text=_("The old code stops working at once; print and post the new sheet."),
    )


class ScheduleForm(forms.Form):
    name = forms.CharField(label=_("Schedule name"), max_length=80, initial=_("Night patrol"))
    start_time = forms.TimeField(label=_("Starts at"), widget=TimeInput(), initial=time(22, 0))
    end_time = forms.TimeField(
        label=_("Ends at"),
        widget=TimeInput(),
        initial=time(6, 0),
        help_text=_("An end before the start means the next morning."),
    )
    grace_minutes = forms.IntegerField(
        label=_("Grace (minutes)"),
        min_value=0,
        max_value=600,
        initial=30,
        help_text=_("A checkpoint first scanned later than the end plus these minutes is late."),
    )
    judged_at = forms.TimeField(
        label=_("Judged at"),
        widget=TimeInput(),
        initial=time(8, 0),
        help_text=_("The round is judged at this time after it ends; later scans do not count."),
    )
    starts_on = DateField(label=_("In use from"), widget=DateInput())
    checkpoints = IdMultipleChoiceField(
        label=_("Checkpoints to visit"),
        queryset=Checkpoint.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checkpoints"].queryset = Checkpoint.objects.filter(org=org, is_active=True)

    def clean_starts_on(self):
        # Nights already gone are judged by the morning run: a schedule put in use "from last
        # month" would flag every one of those nights as missed.
        day = self.cleaned_data["starts_on"]
        earliest = min(timezone.localdate(), self.initial.get("starts_on") or date.max)
        if day < earliest:
            raise forms.ValidationError(
                _("A schedule is put in use from today or a later day, not from a past one.")
            )
        return day


class ScheduleEditForm(ScheduleForm):
    is_active = forms.BooleanField(label=_("In use"), required=False)


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: talked to the guard on duty; the east gate reader was broken."),
    )


class RoundFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + list(RoundStatus.choices)
    )
    start = DateField(label=_("From"), required=False, widget=DateInput())
    end = DateField(label=_("To"), required=False, widget=DateInput())
