"""The to-do protocol: how an engine says "this waits on that person" without knowing the inbox.

An app that has work waiting on people adds a module `todo.py` with one function

    def waiting_on(user, *, today: date) -> Iterable[Todo]: ...

The inbox (anwen.inbox) finds those modules in the installed apps and shows their items
together, ordered by deadline. Engines import this module only, never the inbox. A provider
must answer in a fixed number of queries whatever the history (the inbox's query count may not
grow with the years of records behind it), and must only return what the user may open.
"""

from dataclasses import dataclass
from datetime import date, timedelta

SOON_DAYS = 3  # UI.md: due within 3 days is orange


@dataclass(frozen=True)
class Todo:
    kind: str  # namespaced like audit codes: "inspections.daily", "patrol.round_missed"
    title: str  # what to do, for people: "今日网格巡查：教学楼一楼"
    url: str  # where to do it
    org_name: str = ""  # which school or org it concerns
    due: date | None = None  # last day; None for "whenever"
    detail: str = ""  # one short line under the title
    done: bool = False  # for providers that also list what was finished today

    def state(self, today: date) -> str:
        """overdue / soon / open / done — the colour meaning of UI.md, said in words too."""
        if self.done:
            return "done"
        if self.due is None:
            return "open"
        if self.due < today:
            return "overdue"
        if self.due <= today + timedelta(days=SOON_DAYS):
            return "soon"
        return "open"
