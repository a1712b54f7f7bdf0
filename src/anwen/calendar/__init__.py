"""Working days, semesters, sensitive periods and deadline rules.

`from anwen import calendar;
calendar.due(received_on, calendar.DeadlineRule(5, "working"), org=school)`. Every question
takes the org it is asked for: the national arrangement applies everywhere, a bureau's closures,
semesters and sensitive periods to the orgs under it (see `rules` and `models`).
Inside this package always import absolutely: the stdlib `calendar` must keep resolving.

The calendar imports no other app of anwen but the audit trail: it takes an org as anything
with a materialised `path`, and its pages live in the web layer (`anwen.web.calendar_views`).
"""

_RULES = {
    "CalendarError",
    "Counting",
    "DeadlineRule",
    "OrgLike",
    "clear_cache",
    "due",
    "ends_at",
    "is_overdue",
    "is_working_day",
    "next_working_day",
    "owner_ids",
    "working_day_on_or_after",
    "working_days_between",
}
_SELECTORS = {
    "in_sensitive_period",
    "semester_of",
    "semesters_between",
    "sensitive_periods_between",
    "sensitive_periods_on",
    "special_days",
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
