"""The moment the engine writes a step at: now, or — while writing history (the demo's year of
cases, an import of steps already taken elsewhere) — the moment the step happened, set with
`as_of`. Events, timers and the clocks they start all read it, so a step written as of last
March is dated and counted from last March, through the same code as a step taken today."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime

from django.utils import timezone

_AS_OF: ContextVar[datetime | None] = ContextVar("workflow_as_of", default=None)


def now() -> datetime:
    return _AS_OF.get() or timezone.now()


def today() -> date:
    return timezone.localtime(now()).date()


@contextmanager
def as_of(moment: datetime) -> Iterator[None]:
    if timezone.is_naive(moment):
        raise ValueError("as_of needs an aware datetime")
    token = _AS_OF.set(moment)
    try:
        yield
    finally:
        _AS_OF.reset(token)
