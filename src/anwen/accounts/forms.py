"""Plain forms: they only validate. Counting, lockout and auditing are in `services`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from anwen.once.tokens import OnceField


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)


class CodeForm(forms.Form):
    code = forms.CharField(label=_("6-digit code"), max_length=12)

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if len(code) != 6 or not code.isdigit():
            raise forms.ValidationError(_("Enter the 6 digits your authenticator app shows."))
        return code


class TokenForm(forms.Form):
    # Sent twice (a double tap, a resent page), the form makes one token: a second one would be
    # a working credential whose key nobody saw.
    once = OnceField()
    name = forms.CharField(
        label=_("Token name"),
        max_length=80,
        help_text=_("What the token is for, e.g. the script that uses it."),
    )
