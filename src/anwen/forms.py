"""Form fields every app's forms use for choices of database rows.

Django's model choice fields hand whatever the client sent to the database: an id beyond the
64-bit range the database stores (`?ids=99999999999999999999`) raises OverflowError deep in the
driver, a 500 instead of a form error. These fields refuse such a value, and any id that is not
a plain number, as an invalid choice before a query is made. Every `ModelChoiceField` and
`ModelMultipleChoiceField` of the project is one of these (a test greps for the bare ones).
"""

from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model

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
