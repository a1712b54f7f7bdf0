"""Safety duties: the bureau's library of position duty lists (SM1.1), the yearly
responsibility letters staff sign from it (SM1.1), the legal representative's yearly "five in
place" self-assessment (SM1.2), and public commitments and self-check records (SM7.7)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PositionDuty(models.Model):
    """One item of a position's safety-duty list in a bureau's library."""

    owner = models.ForeignKey(
        "orgs.Org", on_delete=models.CASCADE, related_name="+", verbose_name=_("library of")
    )
    position = models.ForeignKey(
        "orgs.Position", on_delete=models.CASCADE, related_name="+", verbose_name=_("position")
    )
    text = models.TextField(_("duty"))
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("position duty")
        verbose_name_plural = _("position duties")
        ordering = ["owner", "position__sort_order", "sort_order", "pk"]
        indexes = [models.Index(fields=["owner", "position"])]

    def __str__(self) -> str:
        return self.text[:40]


class SignMethod(models.TextChoices):
    ONLINE = "online", _("Signed online")
    PAPER = "paper", _("Recorded from paper")


class ResponsibilityLetter(models.Model):
    """A member of staff's signed letter for one year. The positions and the duty text are a
    copy taken when it was signed: the letter stays as signed when the library changes."""

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("school")
    )
    person = models.ForeignKey(
        "orgs.Person",
        on_delete=models.PROTECT,
        related_name="responsibility_letters",
        verbose_name=_("person"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    person_name = models.CharField(_("name"), max_length=60)
    positions = models.CharField(_("positions"), max_length=255)
    # {"preamble": str, "duties": [{"position": name, "items": [str, ...]}, ...], "promise": str}
    content = models.JSONField(_("letter text"))
    method = models.CharField(_("how signed"), max_length=8, choices=SignMethod.choices)
    signed_on = models.DateField(_("signed on"))
    signed_at = models.DateTimeField(_("recorded at"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    signature = models.CharField(_("signature"), max_length=60, blank=True)
    scan = models.ForeignKey(
        "evidence.EvidenceFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scan of the signed paper letter"),
    )

    class Meta:
        verbose_name = _("responsibility letter")
        verbose_name_plural = _("responsibility letters")
        ordering = ["-year", "org", "person_name"]
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="duties_letter_once_a_year")
        ]
        indexes = [models.Index(fields=["org", "year"])]

    def __str__(self) -> str:
        return f"{self.person_name} {self.year}"


class Part(models.TextChoices):
    RESPONSIBILITY = "responsibility", _("Responsibility in place")
    INVESTMENT = "investment", _("Investment in place")
    TRAINING = "training", _("Training in place")
    MANAGEMENT = "management", _("Management in place")
    RESCUE = "rescue", _("Rescue in place")


class Rating(models.TextChoices):
    IN_PLACE = "in_place", _("In place")
    MOSTLY = "mostly", _("Mostly in place")
    NOT_IN_PLACE = "not_in_place", _("Not in place")


class FiveStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class FiveInPlace(models.Model):
    """The legal representative's yearly self-assessment of the "five in place"
    (责任、投入、培训、管理、救援五到位) of one school."""

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("school")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=10, choices=FiveStatus.choices, default=FiveStatus.DRAFT
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_name = models.CharField(_("legal representative"), max_length=60, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)

    class Meta:
        verbose_name = _("five-in-place self-assessment")
        verbose_name_plural = _("five-in-place self-assessments")
        ordering = ["-year", "org"]
        constraints = [
            models.UniqueConstraint(fields=["org", "year"], name="duties_five_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.org_id} {self.year}"

    @property
    def is_submitted(self) -> bool:
        return self.status == FiveStatus.SUBMITTED


class FiveInPlacePart(models.Model):
    assessment = models.ForeignKey(FiveInPlace, on_delete=models.CASCADE, related_name="parts")
    part = models.CharField(_("part"), max_length=16, choices=Part.choices)
    rating = models.CharField(_("self-rating"), max_length=14, choices=Rating.choices, blank=True)
    statement = models.TextField(_("statement"), blank=True)
    evidence = models.ManyToManyField(
        "evidence.EvidenceFile", blank=True, related_name="+", verbose_name=_("evidence")
    )

    class Meta:
        verbose_name = _("five-in-place part")
        verbose_name_plural = _("five-in-place parts")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "part"], name="duties_part_once")
        ]

    def __str__(self) -> str:
        return self.get_part_display()


class CommitmentKind(models.TextChoices):
    PUBLIC = "public", _("Public commitment")
    SELF_CHECK = "self_check", _("Self-know, self-check, self-fix")


class Commitment(models.Model):
    """A public commitment (公示承诺) or a self-know/self-check/self-fix record (自知自查自改)."""

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("school")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=CommitmentKind.choices)
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=120)
    content = models.TextField(_("content"))
    location = models.CharField(
        _("where published"),
        max_length=120,
        blank=True,
        help_text=_("Where the commitment is posted, e.g. the notice board at the main gate."),
    )
    signer = models.CharField(_("signed by"), max_length=60)
    risks_found = models.PositiveSmallIntegerField(_("risks found"), default=0)
    risks_fixed = models.PositiveSmallIntegerField(_("risks fixed"), default=0)
    evidence = models.ManyToManyField(
        "evidence.EvidenceFile", blank=True, related_name="+", verbose_name=_("evidence")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["org", "date"])]

    def __str__(self) -> str:
        return self.title


class SchoolStaffCount(models.Model):
    """Kept count of a school's staff who must sign a letter (active, with a position), so the
    sign-rate page of a city reads one row per school instead of counting 250,000 people on
    every request. Kept by `duties.counts`, in the transaction of every write that moves it."""

    org = models.OneToOneField(
        "orgs.Org", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    staff = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.org_id}: {self.staff}"


class SchoolSignedCount(models.Model):
    """Kept count of those staff of a school who have signed their letter for `year`."""

    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    signed = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "year"], name="duties_signed_count_one_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.org_id} {self.year}: {self.signed}"
