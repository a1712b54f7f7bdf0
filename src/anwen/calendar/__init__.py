"""Working days, semesters, sensitive periods and deadline rules.

`from anwen import calendar; calendar.due(received_on, calendar.DeadlineRule(5, "working"))`.
Inside this package always import absolutely: the stdlib `calendar` must keep resolving.
"""

_RULES = {
    "CalendarError", "DeadlineRule", "clear_cache", "due", "ends_at", "is_overdue",
    "is_working_day", "next_working_day", "working_day_on_or_after", "working_days_between",
}
_SELECTORS = {
    "in_sensitive_period", "semester_of", "semesters_between", "sensitive_periods_between",
    "sensitive_periods_on",
}


def __getattr__(name):
    # Loaded on first use, so that importing the app at start-up does not load the holiday
    # tables or touch models before the app registry is ready.
    if name in _RULES:
        from anwen.calendar import rules

        return getattr(rules, name)
    if name in _SELECTORS:
        from anwen.calendar import selectors

        return getattr(selectors, name)
    raise AttributeError(name)
