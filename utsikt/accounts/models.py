"""People and the organisation they belong to: university → faculty → department."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from utsikt.core.language import in_language
from utsikt.core.validators import refuse_control_characters

if TYPE_CHECKING:
    from collections.abc import Iterable


class OrgUnitQuerySet(models.QuerySet["OrgUnit"]):
    def faculties(self) -> OrgUnitQuerySet:
        return self.filter(kind=OrgUnit.Kind.FACULTY)

    def departments(self) -> OrgUnitQuerySet:
        return self.filter(kind=OrgUnit.Kind.DEPARTMENT)

    def with_member_counts(self) -> OrgUnitQuerySet:
        """With `member_count` (active people) and the parent, for lists of departments."""
        return (
            self.select_related("parent")
            .annotate(member_count=models.Count("members", filter=Q(members__is_active=True)))
            .order_by("name_sv")
        )


class OrgUnit(models.Model):
    """One node of the organisation tree: the university, a faculty or a department."""

    class Kind(models.TextChoices):
        UNIVERSITY = "university", _("University")
        FACULTY = "faculty", _("Faculty")
        DEPARTMENT = "department", _("Department")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_sv = models.CharField(_("name (Swedish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    city = models.CharField(
        _("city"), max_length=100, blank=True, help_text=_("Where trips start from by default.")
    )
    country = models.CharField(_("country"), max_length=2, blank=True, default="SE")
    # A faculty's international office: shown on the contact pages and used as reply-to.
    office_name_sv = models.CharField(
        _("international office (Swedish)"), max_length=200, blank=True
    )
    office_name_en = models.CharField(
        _("international office (English)"), max_length=200, blank=True
    )
    office_email = models.EmailField(_("international office e-mail"), blank=True)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisational unit")
        verbose_name_plural = _("organisational units")
        ordering = ["name_sv"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="university", parent__isnull=True)
                | Q(kind__in=["faculty", "department"], parent__isnull=False),
                name="orgunit_only_university_is_root",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self.name_sv, self.name_en)

    @property
    def office_name(self) -> str:
        return in_language(self.office_name_sv, self.office_name_en)

    @property
    def faculty(self) -> OrgUnit | None:
        """The faculty this unit is or belongs to."""
        unit: OrgUnit | None = self
        while unit is not None and unit.kind != OrgUnit.Kind.FACULTY:
            unit = unit.parent
        return unit


# Roles nobody is assigned: every signed-in person is staff, every superuser an administrator.
STAFF = "staff"
ADMINISTRATOR = "administrator"


class StaffCategory(models.TextChoices):
    """What a person works as; TA staff first, teachers and researchers too."""

    LIBRARIAN = "librarian", _("Librarian")
    ECONOMIST = "economist", _("Economist / finance officer")
    IT_TECHNICIAN = "it_technician", _("IT technician")
    STUDY_ADVISER = "study_adviser", _("Study adviser")
    INTERNATIONAL_COORDINATOR = "international_coordinator", _("International coordinator")
    COMMUNICATOR = "communicator", _("Communicator")
    HR = "hr", _("HR officer")
    ADMINISTRATOR = "administrator", _("Administrator")
    EDUCATION_ADMINISTRATOR = "education_administrator", _("Education administrator")
    RESEARCH_ENGINEER = "research_engineer", _("Research engineer / lab technician")
    MANAGER = "manager", _("Head of department / manager")
    TEACHER = "teacher", _("Teacher")
    RESEARCHER = "researcher", _("Researcher")
    OTHER = "other", _("Other staff")

    @classmethod
    def academic(cls) -> frozenset[str]:
        return frozenset({cls.TEACHER, cls.RESEARCHER})


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person who logs in: staff member, manager, officer, finance or administrator."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    # Names go into e-mail subjects and headers: one line each, wherever they are edited.
    first_name = models.CharField(
        _("first name"), max_length=150, blank=True, validators=[refuse_control_characters]
    )
    last_name = models.CharField(
        _("last name"), max_length=150, blank=True, validators=[refuse_control_characters]
    )
    # Filled in by single sign-on (SAML/OIDC) once it is connected; unique when present.
    eppn = models.CharField(
        _("eduPersonPrincipalName"), max_length=255, unique=True, null=True, blank=True
    )
    department = models.ForeignKey(
        OrgUnit,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        limit_choices_to={"kind": OrgUnit.Kind.DEPARTMENT},
    )
    staff_category = models.CharField(
        _("staff category"), max_length=40, choices=StaffCategory.choices, blank=True
    )
    job_title = models.CharField(
        _("job title"), max_length=200, blank=True, validators=[refuse_control_characters]
    )
    manager = models.ForeignKey(
        "self",
        verbose_name=_("closest manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    languages = models.CharField(
        _("languages"),
        max_length=200,
        blank=True,
        help_text=_("Languages you can work in, separated by commas, e.g. Swedish, English."),
    )
    had_grant_before = models.BooleanField(_("has had an Erasmus+ grant before"), default=False)
    language = models.CharField(
        _("preferred language"),
        max_length=2,
        choices=[("sv", "Svenska"), ("en", "English")],
        default="sv",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name"]

    # The roles in force, read once per user object (so once per request): see current_roles.
    _current_roles: frozenset[str] | None = None
    # The "workflow" revision this object was read under, when it is the signed-in person
    # (backends.signed_in): the object is no older than that key.
    read_under: str | None = None

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def faculty(self) -> OrgUnit | None:
        return self.department.faculty if self.department else None

    def current_roles(self) -> frozenset[str]:
        """The roles this person holds today; everyone is staff, superusers administrators.

        utsikt.core.access asks this (its RoleHolder protocol) to decide by role.
        """
        if self._current_roles is None:
            # RoleAssignment.objects.current() as one plain query: every role-gated page asks
            # this, and building the ORM's query cost ten times what the database does.
            day = timezone.localdate()
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT role FROM accounts_roleassignment WHERE user_id = %s"
                    " AND (valid_from IS NULL OR valid_from <= %s)"
                    " AND (valid_until IS NULL OR valid_until >= %s)",
                    [self.pk, day, day],
                )
                roles = {STAFF, *(role for (role,) in cursor.fetchall())}
            if self.is_superuser:
                roles.add(ADMINISTRATOR)
            # A deputy acts as the manager while the delegation is in force.
            if RoleAssignment.Role.DEPUTY in roles:
                roles.add(RoleAssignment.Role.MANAGER)
            self._current_roles = frozenset(roles)
        return self._current_roles


class RoleAssignmentQuerySet(models.QuerySet["RoleAssignment"]):
    def current(self, on: datetime.date | None = None) -> RoleAssignmentQuerySet:
        """Assignments in force on a day (today by default)."""
        day = on or timezone.localdate()
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_until__isnull=True) | Q(valid_until__gte=day),
        )

    def of(self, user: User, roles: Iterable[str]) -> RoleAssignmentQuerySet:
        return self.filter(user=user, role__in=list(roles))


class RoleAssignment(models.Model):
    """A person holding a role for one organisational unit, possibly for a limited time."""

    class Role(models.TextChoices):
        MANAGER = "manager", _("Manager (head of department)")
        DEPUTY = "deputy", _("Deputy manager")
        OFFICER = "officer", _("International officer")
        FINANCE = "finance", _("Department finance")

    # Which kind of unit each role is held for.
    UNIT_KIND: ClassVar[dict[str, str]] = {
        Role.MANAGER: OrgUnit.Kind.DEPARTMENT,
        Role.DEPUTY: OrgUnit.Kind.DEPARTMENT,
        Role.OFFICER: OrgUnit.Kind.FACULTY,
        Role.FINANCE: OrgUnit.Kind.DEPARTMENT,
    }

    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="role_holders"
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("Leave empty for no end date.")
    )

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="role_once_per_unit"),
        ]
        indexes = [models.Index(fields=["role", "unit"], name="role_unit_idx")]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()}, {self.unit}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        expected = self.UNIT_KIND[self.role]
        if self.unit_id and self.unit.kind != expected:
            raise ValidationError(
                {
                    "unit": _("This role is held for a %(kind)s.")
                    % {"kind": OrgUnit.Kind(expected).label.lower()}
                }
            )
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The end date is before the start date.")})


# API tokens live in their own module (tokens.py); imported here so that Django finds the model.
from utsikt.accounts.tokens import ApiToken  # noqa: E402, F401
