"""Plain forms: they validate input; the services enforce the rules of the self-check."""

from django import forms
from django.utils.translation import gettext_lazy as _

from anwen.fire.models import CheckStatus
from anwen.fire.selectors import OPEN
from anwen.forms import DateField, IdMultipleChoiceField
from anwen.orgs.models import Person


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class StartForm(forms.Form):
    checked_on = DateField(label=_("Date of the self-check"), widget=DateInput())
    participants = IdMultipleChoiceField(
        label=_("Inspectors"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Who takes part; their names are printed on the record form."),
    )

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = Person.objects.filter(
            org=org, is_active=True
        ).order_by("name")


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Signed and stamped record form"),
        help_text=_("A PDF scan, or a clear photo of each page (JPEG or PNG)."),
    )


class OverviewForm(forms.Form):
    semester = forms.IntegerField(required=False, widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), (OPEN, _("Not done yet"))] + list(CheckStatus.choices),
    )
    q = forms.CharField(label=_("School or centre"), required=False, max_length=100)
