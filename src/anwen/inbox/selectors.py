"""The to-do inbox (PL5): everything waiting on one person, from every engine, by deadline.

Engines speak the protocol of `anwen.todo` (each installed anwen app may have a `todo` module
with `waiting_on(user, *, today)`); the inbox finds those modules once, asks each, and merges
their answers. It adds no query of its own per item, so its query count is the providers'
(fixed, whatever the history) plus nothing.

A provider that raises is a bug. In development and in the test suite (setting
`ANWEN_INBOX_RAISE`, default DEBUG) it raises, so nobody misses it; in production the others'
items are still shown, with a notice naming what is missing, and the log gets the provider's
name and where it failed (never the message, which may hold personal data).
"""

import importlib
import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from django.apps import apps
from django.conf import settings
from django.utils import timezone
from django_stubs_ext import StrOrPromise

from anwen.todo import Todo

logger = logging.getLogger(__name__)

SUMMARY_ITEMS = 5


@dataclass(frozen=True)
class Provider:
    name: str  # the app's label: "patrol"
    label: StrOrPromise  # the app's name for people (lazy): "电子巡更"
    waiting_on: Callable[..., list[Todo]]


@cache
def providers() -> tuple[Provider, ...]:
    """The `waiting_on` of every installed anwen app that has a `todo` module, in the order of
    INSTALLED_APPS. Found once per process."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("anwen."):
            continue
        module_name = f"{config.name}.todo"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        waiting_on = getattr(module, "waiting_on", None)
        if callable(waiting_on):
            found.append(Provider(config.label, config.verbose_name, waiting_on))
    return tuple(found)


@dataclass(frozen=True)
class Item:
    todo: Todo
    state: str  # overdue / soon / open / done
    days: int | None  # due minus today: negative when overdue, None when undated

    @property
    def late(self) -> int:
        """Days overdue (for "逾期 3 天")."""
        return -self.days if self.days is not None and self.days < 0 else 0


@dataclass
class Inbox:
    today: date
    items: list[Item] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # labels of providers that failed

    def _of(self, *states: str) -> list[Item]:
        return [item for item in self.items if item.state in states]

    @property
    def overdue(self) -> list[Item]:
        return self._of("overdue")

    @property
    def soon(self) -> list[Item]:
        return self._of("soon")

    @property
    def later(self) -> list[Item]:
        return [item for item in self._of("open") if item.todo.due is not None]

    @property
    def undated(self) -> list[Item]:
        """Waiting without a due day: not "later", since nothing says when."""
        return [item for item in self._of("open") if item.todo.due is None]

    @property
    def done(self) -> list[Item]:
        return self._of("done")

    @property
    def waiting(self) -> list[Item]:
        """Everything not done, overdue first."""
        return self._of("overdue", "soon", "open")

    @property
    def counts(self) -> dict[str, int]:
        return {
            "overdue": len(self.overdue),
            "soon": len(self.soon),
            "open": len(self.waiting),
            "done": len(self.done),
        }

    @property
    def groups(self) -> list[tuple[str, list[Item]]]:
        """(state, items) for the page's sections, empty ones left out."""
        return [
            (state, items)
            for state, items in (
                ("overdue", self.overdue),
                ("soon", self.soon),
                ("open", self.later),
                ("undated", self.undated),
                ("done", self.done),
            )
            if items
        ]


def _must_raise() -> bool:
    return getattr(settings, "ANWEN_INBOX_RAISE", settings.DEBUG)


def _where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "?"
    last = frames[-1]
    return f"{last.filename.rsplit('/', 1)[-1]}:{last.lineno} in {last.name}"


def order_key(item: Item):
    """Overdue first (the oldest deadline first), then by due date; undated last; done after
    everything."""
    todo = item.todo
    return (todo.done, todo.due is None, todo.due or date.max, todo.title)


def inbox_for(user, *, today: date | None = None) -> Inbox:
    today = today or timezone.localdate()
    inbox = Inbox(today=today)
    if not getattr(user, "is_authenticated", False):
        return inbox
    for provider in providers():
        try:
            todos = list(provider.waiting_on(user, today=today))
        except Exception as exc:
            if _must_raise():
                raise
            # The provider and the place only: an exception's message may name people.
            logger.error(
                "inbox provider %s failed: %s at %s", provider.name, type(exc).__name__, _where(exc)
            )
            inbox.failed.append(str(provider.label))
            continue
        for todo in todos:
            days = (todo.due - today).days if todo.due is not None else None
            inbox.items.append(Item(todo, todo.state(today), days))
    inbox.items.sort(key=order_key)
    return inbox


@dataclass
class Summary:
    """The home page's box: the counts, the first few items, and whether there are more."""

    counts: dict[str, int]
    items: list[Item]
    more: int
    failed: list[str]
    today: date


def inbox_summary(user, *, today: date | None = None, size: int = SUMMARY_ITEMS) -> Summary:
    inbox = inbox_for(user, today=today)
    waiting = inbox.waiting
    return Summary(
        counts=inbox.counts,
        items=waiting[:size],
        more=max(0, len(waiting) - size),
        failed=inbox.failed,
        today=inbox.today,
    )
