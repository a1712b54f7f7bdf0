"""Clocks counted by a rule of the yearly plan, for the case types that declare them: a
number of days (calendar or working, the rule says) or of hours from the moment a clock
starts, read from the plan in force for the case's org on the day it starts."""

from datetime import timedelta

from django.utils import timezone

from anwen import calendar
from anwen.obligations.plans import PlanRule, rule


def plan_days(declaration: PlanRule, *, from_receipt: bool = False):
    """`Clock.due`: the last day of the rule's period from the day the clock starts (or, with
    `from_receipt`, from the day the case was received: the law counts some from receipt)."""

    def due(case, start):
        day = timezone.localtime(case.received_at if from_receipt else start).date()
        return calendar.due(day, rule(declaration, org=case.org, on=day), org=case.org)

    return due


def plan_hours(declaration: PlanRule, *, from_receipt: bool = False):
    """`Clock.due` of a clock in hours: the moment the rule's hours after the start (or the
    receipt) run out."""

    def due(case, start):
        if from_receipt:
            start = case.received_at
        hours = rule(declaration, org=case.org, on=timezone.localtime(start).date())
        return start + timedelta(hours=hours)

    return due
