"""The claimed one-time tokens of create forms (tokens.py): a row per form that was sent."""

from django.db import models


class Claim(models.Model):
    token = models.CharField(max_length=64, unique=True)
    claimed_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.token
