from django import forms
from django.utils.translation import gettext_lazy as _

from anwen.forms import DateField


class EventFilterForm(forms.Form):
    start = DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    actor = forms.CharField(label=_("Actor"), required=False, max_length=150)
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=80,
        help_text=_("The start of the action code, e.g. orgs.person"),
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The end date is before the start date."))
        return data

    def filters(self) -> dict:
        """The valid filters, or none at all when the form is invalid."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "start": data.get("start"),
            "end": data.get("end"),
            "actor": (data.get("actor") or "").strip(),
            "action": (data.get("action") or "").strip(),
        }
