"""The org tree (bureau, departments, centres, schools, agencies), school profiles, people,
their positions, and the roles accounts hold in orgs."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from anwen.orgs.roles import RoleName


class OrgKind(models.TextChoices):
    BUREAU = "bureau", _("Education bureau")
    DEPARTMENT = "department", _("Department")
    CENTRE = "centre", _("Education centre")
    SCHOOL = "school", _("School")
    AGENCY = "agency", _("Agency")


class Org(models.Model):
    """One node of the tree. `path` is the materialised path of primary keys ("1/7/42/"), so
    "everything under this centre" is one indexed prefix query."""

    kind = models.CharField(_("kind"), max_length=12, choices=OrgKind.choices)
    name = models.CharField(_("name"), max_length=120)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    code = models.CharField(
        _("code"), max_length=40, unique=True, help_text=_("Unique code, used by imports.")
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    sort_order = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(_("active"), default=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["path"]
        indexes = [models.Index(fields=["kind", "path"])]

    def __str__(self) -> str:
        return self.name

    def is_within(self, other: "Org") -> bool:
        return self.path.startswith(other.path)


class SchoolType(models.TextChoices):
    KINDERGARTEN = "kindergarten", _("Kindergarten")
    PRIMARY = "primary", _("Primary school")
    MIDDLE = "middle", _("Middle school")
    NINE_YEAR = "nine_year", _("Nine-year school")
    HIGH = "high", _("High school")
    COMPLETE = "complete", _("Complete secondary school")
    VOCATIONAL = "vocational", _("Secondary vocational school")
    SPECIAL = "special", _("Special education school")


class Ownership(models.TextChoices):
    PUBLIC = "public", _("Public")
    PRIVATE = "private", _("Private")


class SchoolProfile(models.Model):
    org = models.OneToOneField(
        Org, on_delete=models.CASCADE, primary_key=True, related_name="school"
    )
    school_type = models.CharField(_("school type"), max_length=16, choices=SchoolType.choices)
    ownership = models.CharField(
        _("ownership"), max_length=8, choices=Ownership.choices, default=Ownership.PUBLIC
    )
    enrolment = models.PositiveIntegerField(_("enrolment"), default=0)
    boarding = models.BooleanField(_("boarding"), default=False)
    boarders = models.PositiveIntegerField(_("boarders"), default=0)
    gates = models.PositiveSmallIntegerField(_("gates"), default=1)
    area_m2 = models.PositiveIntegerField(_("area (m²)"), default=0)
    address = models.CharField(_("address"), max_length=200, blank=True)
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    legal_representative = models.ForeignKey(
        "Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("legal representative"),
    )

    class Meta:
        verbose_name = _("school profile")
        verbose_name_plural = _("school profiles")

    def __str__(self) -> str:
        return str(self.org)


class Position(models.Model):
    """A standard post from the library (中小学岗位安全工作指南): principal, class teacher, guard …"""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Person(models.Model):
    """A member of staff of an org, with or without a login account."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="people")
    name = models.CharField(_("name"), max_length=60)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    staff_no = models.CharField(
        _("staff number"), max_length=40, blank=True, help_text=_("Unique within the org.")
    )
    positions = models.ManyToManyField(
        Position, blank=True, related_name="people", verbose_name=_("positions")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["org__path", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "staff_no"],
                condition=~models.Q(staff_no=""),
                name="orgs_person_unique_staff_no",
            )
        ]

    def __str__(self) -> str:
        return self.name


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=24, choices=RoleName.choices)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "org", "role"], name="orgs_role_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.org}"
