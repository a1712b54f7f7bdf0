"""What the public pages keep of their visitors: which check questions were answered (each
answers once) and when an address last posted (the per-address limit). No address is kept
as it is: the limit counts a keyed digest of it."""

from django.db import models


class UsedChallenge(models.Model):
    """A check question that was answered (rightly or not): it is never accepted again."""

    nonce = models.CharField(max_length=32, unique=True)
    used_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.nonce


class Hit(models.Model):
    """One post from one address (a digest of it) to one of the public forms."""

    bucket = models.CharField(max_length=16)
    key = models.CharField(max_length=32)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["bucket", "key", "at"])]

    def __str__(self) -> str:
        return f"{self.bucket} {self.at:%Y-%m-%d %H:%M}"
