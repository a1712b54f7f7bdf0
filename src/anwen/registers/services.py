"""Writes of the registers from their forms: one record added, changed or removed, audited. An
import writes through `imports.apply_rows`, which keeps the same rules (derive, saved)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anwen import audit
from anwen.once.tokens import claim
from anwen.orgs.models import Org

from .declare import Register


def record_save(
    *,
    register: Register,
    org: Org,
    values: dict[str, Any],
    by,
    instance: models.Model | None = None,
    once: str = "",
    request=None,
) -> models.Model:
    """Add a record (`instance` None) or change one; the plan's derived fields are computed
    from the values first, so a form, an import and a feed store the same dates."""
    with transaction.atomic():
        if instance is None:
            claim(once)
        if register.derive is not None:
            values = register.derive(dict(values), org, timezone.localdate())
        record = instance if instance is not None else register.model(org=org)
        record.org = org  # type: ignore[attr-defined]
        for name, value in values.items():
            setattr(record, name, value)
        # The org is set: its unique constraints (one code a school) are checked too, so a
        # record named twice is a message on the form, not an IntegrityError.
        record.full_clean()
        try:
            with transaction.atomic():
                record.save()
        except IntegrityError:
            # Another post wrote the same record between the check and the save (on
            # PostgreSQL the unique index is the referee): the form is shown with a message.
            raise ValidationError(
                _("This %(noun)s was just registered by someone else; reload the list.")
                % {"noun": register.noun}
            ) from None
        if register.saved is not None:
            register.saved([record], by)
        audit.record(
            actor=by,
            action=f"registers.{register.key}.{'created' if instance is None else 'changed'}",
            obj=record,
            request=request,
        )
    return record


def record_delete(*, register: Register, record: models.Model, by, request=None) -> None:
    with transaction.atomic():
        audit.record(
            actor=by,
            action=f"registers.{register.key}.deleted",
            obj=record,
            data={"id": record.pk},
            request=request,
        )
        record.delete()
