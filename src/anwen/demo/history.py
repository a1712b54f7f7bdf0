"""Three months of invented history for the demo district: each engine app builds its own part
(`<app>/demo.py: load_demo(*, bureau, today, rng)`), in an order where each finds what it needs
(the plan before the inspections that fulfil it), and the rhythm engine counts the periods
last."""

import random
import time
from datetime import date
from importlib import import_module

from django.db import transaction

# Order matters: the plan first, then the engines whose records fulfil it.
HISTORY_APPS = ["obligations", "inspections", "patrol", "fire", "duties", "hazards", "cases"]


@transaction.atomic
def load_history(*, bureau, today: date, seed: int = 2021) -> dict[str, float]:
    """Build every app's history under `bureau`; returns seconds spent per app."""
    from anwen.obligations import services as obligations

    timings: dict[str, float] = {}
    for app in HISTORY_APPS:
        started = time.perf_counter()
        # One generator per app, so adding an app's history does not change the others'.
        rng = random.Random(f"{seed}:{app}")
        import_module(f"anwen.{app}.demo").load_demo(bureau=bureau, today=today, rng=rng)
        timings[app] = time.perf_counter() - started
    started = time.perf_counter()
    obligations.recount()
    obligations.ensure_periods(through=today)
    timings["periods"] = time.perf_counter() - started
    return timings
