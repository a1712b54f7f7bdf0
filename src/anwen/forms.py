"""Form fields every app's forms use for choices of database rows, and for dates.

Django's model choice fields hand whatever the client sent to the database: an id beyond the
64-bit range the database stores (`?ids=99999999999999999999`) raises OverflowError deep in the
driver, a 500 instead of a form error. These fields refuse such a value, and any id that is not
a plain number, as an invalid choice before a query is made. Every `ModelChoiceField` and
`ModelMultipleChoiceField` of the project is one of these (a test greps for the bare ones).

Likewise a date: Python's date runs from year 1 to 9999, and `?end=9999-12-31` plus one day,
or local midnight of year 1 made UTC, overflow (a 500). `DateField` accepts only dates a
school's records can have, 2000-01-01 to 2100-12-31, so no arithmetic downstream meets the
type's edges; every form's date field is one (a test greps for the bare ones).
"""

from datetime import date
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import formats
from django.utils.translation import gettext_lazy as _

# The largest primary key a BigAutoField holds (signed 64 bits): SQLite and PostgreSQL alike.
MAX_ID = 2**63 - 1

_M = TypeVar("_M", bound=Model)


def is_id(value: Any) -> bool:
    """Whether `value` (as a client sends it) can be a primary key: ASCII digits, in range."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return 0 < value <= MAX_ID
    text = str(value).strip()
    # 19 digits hold every 64-bit id; a longer string is refused before int() (which itself
    # refuses 4,300 digits with a ValueError).
    return len(text) <= 19 and text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID


class IdChoiceField(forms.ModelChoiceField[_M]):
    """A ModelChoiceField that refuses out-of-range and non-numeric ids as invalid choices."""

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values or isinstance(value, Model) or self.to_field_name:
            return super().to_python(value)
        if not is_id(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField[_M]):
    """A ModelMultipleChoiceField that refuses out-of-range and non-numeric ids."""

    def _check_values(self, value: Any) -> Any:
        if not self.to_field_name:
            try:
                values = frozenset(value)
            except TypeError:
                raise ValidationError(
                    self.error_messages["invalid_list"], code="invalid_list"
                ) from None
            for pk in values:
                if not isinstance(pk, Model) and not is_id(pk):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)  # type: ignore[misc]  # private, not in the stubs


MIN_DATE = date(2000, 1, 1)
MAX_DATE = date(2100, 12, 31)


class DateField(forms.DateField):
    """A date between MIN_DATE and MAX_DATE; anything else is refused with a message."""

    default_error_messages = {
        "out_of_range": _("Enter a date between %(min)s and %(max)s."),
    }

    def to_python(self, value: Any) -> date | None:
        day = super().to_python(value)
        if day is not None and not MIN_DATE <= day <= MAX_DATE:
            raise ValidationError(
                self.error_messages["out_of_range"],
                code="out_of_range",
                params={
                    "min": formats.date_format(MIN_DATE, "Y-m-d"),
                    "max": formats.date_format(MAX_DATE, "Y-m-d"),
                },
            )
        return day

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if getattr(widget, "input_type", "") == "date":
            attrs.setdefault("min", MIN_DATE.isoformat())
            attrs.setdefault("max", MAX_DATE.isoformat())
        return attrs
