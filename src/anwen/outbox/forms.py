from django import forms
from django.utils.translation import gettext_lazy as _


class PreferenceForm(forms.Form):
    """Which channels beyond the app a person receives (the app itself cannot be switched off)."""

    email = forms.BooleanField(label=_("By e-mail"), required=False)
    sms = forms.BooleanField(label=_("By SMS"), required=False)
