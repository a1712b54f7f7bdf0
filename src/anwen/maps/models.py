"""A bureau's district boundary, drawn under the school map."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from anwen.orgs.models import Org


class Boundary(models.Model):
    """The one current boundary of a bureau: uploading again replaces it (the audit trail keeps
    who replaced which file). `geojson` is the checked, normalised text served to the map as
    is, so the page never parses megabytes per request."""

    bureau = models.OneToOneField(
        Org, on_delete=models.CASCADE, related_name="boundary", verbose_name=_("bureau")
    )
    file_name = models.CharField(_("file name"), max_length=200)
    geojson = models.TextField(editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    features = models.PositiveIntegerField(_("features"))
    vertices = models.PositiveIntegerField(_("vertices"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("district boundary")
        verbose_name_plural = _("district boundaries")

    def __str__(self) -> str:
        return f"{self.bureau} · {self.file_name}"
