"""A form field for evidence uploads: one or several files, checked by content when the form
is validated, so a wrong file is reported with the rest of the form's errors before anything
is stored. The view still stores each file with `evidence_store` (which checks again).

    photos = EvidenceField(label=_("Photos"), kinds=PHOTO_KINDS, camera=True, required=False)
    ...
    for upload in form.cleaned_data["photos"]:
        evidence_store(upload=upload, org=school, by=request.user, kinds=PHOTO_KINDS)
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from anwen.evidence.content import (
    ALL_KINDS,
    CONTENT_TYPES,
    EXTENSIONS,
    EvidenceError,
    check_upload,
    kinds_label,
)
from anwen.evidence.models import FileKind

PHOTO_KINDS = frozenset({FileKind.JPEG, FileKind.PNG})
DOCUMENT_KINDS = frozenset({FileKind.PDF, FileKind.XLSX, FileKind.DOCX})


def accept_attr(kinds) -> str:
    """The file picker's filter: content types and extensions (WeChat's browser reads the
    extensions)."""
    parts = [CONTENT_TYPES[k] for k in sorted(kinds)] + [EXTENSIONS[k] for k in sorted(kinds)]
    if FileKind.JPEG in kinds:
        parts.append(".jpeg")
    return ",".join(parts)


def _accepted_text(kinds) -> str:
    return gettext("Accepted: %(kinds)s.") % {"kinds": kinds_label(kinds)}


_accepted = lazy(_accepted_text, str)


class EvidenceInput(forms.FileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Cleans to a list of uploaded files (empty when none was chosen and the field is not
    required). `kinds` limits the accepted types; `camera=True` asks a phone to open its
    camera (photos only); `multiple=False` takes one file."""

    default_error_messages = {
        "too_many": ngettext_lazy("Upload at most %(n)d file.", "Upload at most %(n)d files.", "n"),
    }

    def __init__(
        self,
        *,
        kinds=ALL_KINDS,
        multiple: bool = True,
        max_files: int = 10,
        camera: bool = False,
        **kwargs,
    ):
        self.kinds = frozenset(kinds)
        self.max_files = max_files if multiple else 1
        attrs = {"accept": accept_attr(self.kinds)}
        if camera:
            attrs["capture"] = "environment"
        widget = EvidenceInput(attrs) if multiple else forms.FileInput(attrs)
        kwargs.setdefault("widget", widget)
        kwargs.setdefault("help_text", _accepted(self.kinds))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, (list, tuple)) else [data]
        uploads = [u for u in uploads if u]
        if not uploads:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(uploads) > self.max_files:
            raise ValidationError(
                self.error_messages["too_many"] % {"n": self.max_files}, code="too_many"
            )
        cleaned, errors = [], []
        for upload in uploads:
            upload = super().clean(upload, initial)
            try:
                check_upload(upload, self.kinds)
            except EvidenceError as exc:
                errors.append(
                    ValidationError(
                        _("%(name)s: %(error)s"),
                        code="refused",
                        params={"name": upload.name, "error": str(exc)},
                    )
                )
            cleaned.append(upload)
        if errors:
            raise ValidationError(errors)
        return cleaned
