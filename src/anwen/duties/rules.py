"""The deadlines of the yearly duties, declared here and kept in the bureau's yearly plan
(`obligations.plans`): letters by 31 March, at the start of the spring term; the five in place
by 30 November, before the year-end assessment."""

from django.utils.translation import gettext_lazy as _

from anwen.obligations.plans import MonthDay, PlanRule


def _redue_periods(*, plan, by) -> None:
    """The rhythm engine's periods of the plan's year follow the new deadlines (the board and
    the assessment count on them); other years keep theirs."""
    from anwen.duties.services import KIND_FIVE, KIND_LETTER
    from anwen.obligations.services import periods_redue

    periods_redue(owner=plan.owner, record_kinds=[KIND_LETTER, KIND_FIVE], year=plan.year)


LETTER_DUE = PlanRule(
    "duties.letter_due",
    MonthDay(3, 31),
    label=_("Letters signed by (month-day)"),
    help_text=_("Each member of staff signs the year's safety responsibility letter by this day."),
    on_change=_redue_periods,
)
FIVE_DUE = PlanRule(
    "duties.five_due",
    MonthDay(11, 30),
    label=_("Five in place submitted by (month-day)"),
    help_text=_(
        "The legal representative submits the year's five-in-place self-assessment by this day."
    ),
    on_change=_redue_periods,
)
RULES = (LETTER_DUE, FIVE_DUE)
