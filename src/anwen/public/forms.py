"""Forms of the public pages: they only read and check input; the case engine decides."""

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from anwen.evidence.content import size_label
from anwen.evidence.forms import DOCUMENT_KINDS, PHOTO_KINDS, EvidenceField
from anwen.once.tokens import OnceField

ATTACHMENT_KINDS = PHOTO_KINDS | DOCUMENT_KINDS
# A mainland mobile number: 11 digits beginning 13–19. Spaces, dashes and a +86 or 0086 in
# front are how people write it; they are dropped.
_MOBILE = re.compile(r"1[3-9]\d{9}")
_SEPARATORS = re.compile(r"[\s\-()（）]")


def mobile_number(value: str) -> str:
    digits = _SEPARATORS.sub("", value)
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) == 11 + len(prefix):
            digits = digits[len(prefix) :]
    if not _MOBILE.fullmatch(digits):
        raise ValidationError(
            _(
                "Enter a mainland mobile number of 11 digits, such as 13812345678, or leave it empty."
            ),
            code="mobile",
        )
    return digits


class WriteInForm(forms.Form):
    once = OnceField()
    bureau = forms.TypedChoiceField(label=_("Addressed to"), coerce=int, choices=())
    subject = forms.CharField(label=_("Subject (one line)"), max_length=200)
    content = forms.CharField(
        label=_("What happened, and what you ask for"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    name = forms.CharField(
        label=_("Your name (optional)"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Mobile number (optional)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("Only the staff who handle your matter see your name and number."),
    )

    def __init__(self, *args, bureaus, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bureau"].choices = [(b.pk, b.name) for b in bureaus]
        self.fields["files"] = EvidenceField(
            label=_("Attachments (optional)"),
            kinds=ATTACHMENT_KINDS,
            max_files=settings.ANWEN_PUBLIC_MAX_FILES,
            required=False,
        )

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        return mobile_number(phone) if phone else ""

    def clean_files(self) -> list:
        files = self.cleaned_data["files"]
        limit = settings.ANWEN_PUBLIC_MAX_UPLOAD_BYTES
        if sum(f.size or 0 for f in files) > limit:
            raise ValidationError(
                _(
                    "The attachments together are larger than %(limit)s: send fewer or smaller files."
                ),
                code="too_large",
                params={"limit": size_label(limit)},
            )
        return files


class ChallengeForm(forms.Form):
    challenge = forms.CharField(max_length=200, widget=forms.HiddenInput)
    answer = forms.IntegerField(
        label=_("Answer"),
        min_value=-99,
        max_value=999,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "-?[0-9]*"}
        ),
    )


class StatusForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        # No max_length: a code too long is as unknown as any other, and is told the same.
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "maxlength": "64",
            }
        ),
    )
