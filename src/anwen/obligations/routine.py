"""The routine activities that are logged in anwen itself (SM2.3 the "nine ones", SM2.4 the
routine safety systems): meetings, duty rosters, gate duty, patrols, gate log, dorm checks, home
visits, information reports … Each is a record kind registered with `loggable=True`; a school
logs one on the obligations' log form, and the record fulfils the obligation that names it."""

from django.utils.translation import gettext_lazy as _

from anwen.obligations.registry import RecordKind, register_kind

ROUTINE_KINDS: list[RecordKind] = [
    # SM2.4 routine systems (plan 二（一）2, 二（一）8)
    RecordKind("routine.safety_meeting", _("Safety meeting"), loggable=True),
    RecordKind("routine.holiday_duty", _("Leader on holiday duty"), loggable=True),
    RecordKind("routine.gate_duty", _("Peak-hour gate duty"), loggable=True),
    RecordKind("routine.campus_patrol", _("Campus patrol"), loggable=True),
    RecordKind("routine.gate_log", _("Gate visitor log"), loggable=True),
    RecordKind("routine.dorm_check", _("Dormitory night check"), loggable=True),
    RecordKind("routine.home_visit", _("Teacher home visits"), loggable=True),
    RecordKind("routine.info_report", _("Safety information report"), loggable=True),
    # SM2.3 the nine ones (a default list, see plan2021)
    RecordKind(
        "routine.dismissal_reminder",
        _("One-minute safety reminder before dismissal"),
        loggable=True,
    ),
    RecordKind("routine.class_meeting", _("Safety class meeting"), loggable=True),
    RecordKind("routine.safety_lesson", _("Safety and law lesson"), loggable=True),
    RecordKind("routine.drill", _("Emergency evacuation drill"), loggable=True),
    RecordKind("routine.fire_training", _("Staff fire training"), loggable=True),
    RecordKind("routine.parent_letter", _("Safety letter to parents"), loggable=True),
    RecordKind("routine.anti_bullying", _("Anti-bullying lesson"), loggable=True),
    RecordKind("routine.drowning_education", _("Drowning prevention lesson"), loggable=True),
    RecordKind("routine.clue_screening", _("Screening of clues and disputes"), loggable=True),
]


def register_routine_kinds() -> None:
    for kind in ROUTINE_KINDS:
        register_kind(kind)
