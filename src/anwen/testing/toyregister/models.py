from django.db import models

from anwen.orgs.models import Org


class Gadget(models.Model):
    class Kind(models.TextChoices):
        LAMP = "lamp", "Lamp"
        SIREN = "siren", "Siren"

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    code = models.CharField("code", max_length=20)
    kind = models.CharField("kind", max_length=10, choices=Kind.choices)
    working = models.BooleanField("working", default=True)
    count = models.PositiveIntegerField("count", default=1)
    checked_on = models.DateField("checked on", null=True, blank=True)
    check_due = models.DateField("check due", null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "code"], name="toy_gadget_unique_code")
        ]

    def __str__(self) -> str:
        return self.code
