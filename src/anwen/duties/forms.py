"""Forms of the duties app: they only validate what was typed; the rules live in services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anwen.duties.models import CommitmentKind, Part, Rating
from anwen.forms import DateField
from anwen.once.tokens import OnceField


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class SignForm(forms.Form):
    accepted = forms.BooleanField(
        label=_("I have read the duties above and promise to fulfil them"),
        required=True,
        error_messages={"required": _("Tick the box to confirm you have read the duties.")},
    )
    signature = forms.CharField(
        label=_("Signature: type your full name"),
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "name", "autocapitalize": "off"}),
    )


class PaperLetterForm(forms.Form):
    signed_on = DateField(label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date"}))
    scan = forms.FileField(
        label=_("Scan or photo of the signed letter"),
        help_text=_("A PDF, JPEG or PNG of the page bearing the signature."),
    )

    def clean_signed_on(self):
        value = self.cleaned_data["signed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The signing date cannot be in the future."))
        return value


class LibraryEditForm(forms.Form):
    items = forms.CharField(
        label=_("Duties, one per line"),
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=8000,
    )

    def clean_items(self):
        items = [line.strip() for line in self.cleaned_data["items"].splitlines()]
        items = [line for line in items if line]
        if not items:
            raise forms.ValidationError(_("Write at least one duty."))
        return items


class FiveForm(forms.Form):
    """Five parts, each with a self-rating, a statement, new evidence files and the files to
    take off. Fields are named `<part>-rating`, `<part>-statement`, `<part>-files`,
    `<part>-remove`."""

    # A phone re-sending a slow save must not attach its files twice: each shown form saves once.
    once = OnceField()

    def __init__(self, *args, evidence: dict[str, list] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        evidence = evidence or {}
        for code in Part.values:
            self.fields[f"{code}-rating"] = forms.ChoiceField(
                label=_("Self-rating"),
                required=False,
                choices=[("", "—")] + list(Rating.choices),
                widget=forms.RadioSelect,
            )
            self.fields[f"{code}-statement"] = forms.CharField(
                label=_("Statement"),
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
            self.fields[f"{code}-files"] = MultipleFileField(label=_("Add evidence files"))
            self.fields[f"{code}-remove"] = forms.MultipleChoiceField(
                label=_("Remove"),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                choices=[(str(f.pk), f.name) for f in evidence.get(code, [])],
            )

    def sections(self):
        """(part code, label, rating field, statement field, files field, remove field)."""
        return [
            (
                code,
                label,
                self[f"{code}-rating"],
                self[f"{code}-statement"],
                self[f"{code}-files"],
                self[f"{code}-remove"],
            )
            for code, label in Part.choices
        ]


class CommitmentForm(forms.Form):
    once = OnceField()  # sent twice, recorded once
    school = forms.TypedChoiceField(label=_("School"), coerce=int)
    kind = forms.ChoiceField(label=_("Kind"), choices=CommitmentKind.choices)
    date = DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("Title"), max_length=120)
    content = forms.CharField(
        label=_("Content"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("The text of the commitment, or what was known, checked and fixed."),
    )
    location = forms.CharField(
        label=_("Where published"),
        max_length=120,
        required=False,
        help_text=_("Where the commitment is posted, e.g. the notice board at the main gate."),
    )
    signer = forms.CharField(label=_("Signed by"), max_length=60)
    risks_found = forms.IntegerField(
        label=_("Risks found"), min_value=0, max_value=999, initial=0, required=False
    )
    risks_fixed = forms.IntegerField(
        label=_("Risks fixed"), min_value=0, max_value=999, initial=0, required=False
    )
    # A declared field: the form's metaclass moves it into base_fields, so it does not shadow
    # BaseForm.files (the uploads) at run time, as the stubs assume.
    files = MultipleFileField(label=_("Evidence files"))  # type: ignore[assignment]

    def __init__(self, *args, schools=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = [(s.pk, s.name) for s in schools]

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value

    def clean(self):
        data = super().clean()
        data["risks_found"] = data.get("risks_found") or 0
        data["risks_fixed"] = data.get("risks_fixed") or 0
        if data.get("kind") == CommitmentKind.PUBLIC and not data.get("location", "").strip():
            self.add_error("location", _("Say where the commitment is published."))
        if data["risks_fixed"] > data["risks_found"]:
            self.add_error("risks_fixed", _("More risks fixed than found: check the numbers."))
        return data
