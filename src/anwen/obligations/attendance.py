"""Who attended a logged session (SM8.3: the bus drivers' monthly training, the bus crews'
weekly safety study): the people present, picked from those the record kind expects
(`RecordKind.attendance`), and how many were absent. One row per record, written with it by
`services.routine_log`, deleted with it when the log entry is withdrawn."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Attendance(models.Model):
    record = models.OneToOneField(
        "obligations.Record", on_delete=models.CASCADE, related_name="attendance"
    )
    present = models.ManyToManyField("orgs.Person", related_name="+", verbose_name=_("present"))
    absent = models.PositiveSmallIntegerField(_("absent"), default=0)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self) -> str:
        return f"{self.record_id}: {self.absent} absent"
