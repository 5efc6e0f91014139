"""The mobility application, its history, travel companions, grants and faculty budgets."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from django.db import models
from django.db.models import DurationField, ExpressionWrapper, F, Max, Min, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from utsikt.accounts.models import OrgUnit, User
from utsikt.catalogue.models import HostOrganisation
from utsikt.core.actors import ActorKind
from utsikt.grants.vocabulary import Activity

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for the manager")
    RETURNED = "returned", _("Returned for changes")
    MANAGER_APPROVED = "manager_approved", _("Waiting for the International Office")
    GRANTED = "granted", _("Grant allocated")
    AGREEMENT_SENT = "agreement_sent", _("Mobility Agreement sent for signing")
    SIGNED = "signed", _("Mobility Agreement signed")
    TRAVELLING = "travelling", _("Travelling")
    COMPLETED = "completed", _("Back home")
    SETTLED = "settled", _("Settled")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CANCELLED = "cancelled", _("Cancelled")


# The activities a plan may choose: every one the rules know except conferences, which the
# programme never funds (the grant page still lets a visitor ask).
PLANNED_ACTIVITIES = [
    (value, label) for value, label in Activity.choices if value != Activity.CONFERENCE
]


class TravelMode(models.TextChoices):
    TRAIN = "train", _("Train")
    BUS = "bus", _("Bus or coach")
    CAR_SHARE = "car_share", _("Shared car")
    BOAT = "boat", _("Boat")
    PLANE = "plane", _("Plane")
    CAR = "car", _("Car on my own")

    @classmethod
    def green(cls, *, boats: bool = False) -> frozenset[str]:
        """The low-emission means that make a trip green travel (Erasmus+ definition).

        Ships are not green unless the call year's rules say so (`boats`).
        """
        return frozenset({cls.TRAIN, cls.BUS, cls.CAR_SHARE, *([cls.BOAT] if boats else [])})


class LanguageLevel(models.TextChoices):
    A2 = "A2", _("A2 – I get by in simple situations")
    B1 = "B1", _("B1 – I manage most everyday work situations")
    B2 = "B2", _("B2 – I work comfortably")
    C1 = "C1", _("C1 – I work fluently")
    C2 = "C2", _("C2 – as in my mother tongue")


def _hosted(**lookups: Any) -> models.QuerySet[Any]:
    """Ids of applications with a host matching the lookups (a subquery)."""
    hosts = {f"hostorganisation__{name}": value for name, value in lookups.items()}
    return Application.hosts.through.objects.filter(**hosts).values("application_id")


class ApplicationQuerySet(models.QuerySet["Application"]):
    def of(self, user: User) -> ApplicationQuerySet:
        return self.filter(applicant=user)

    def awaiting(self, departments: models.QuerySet[OrgUnit]) -> ApplicationQuerySet:
        """Submitted and waiting for the manager of one of these departments."""
        return self.filter(status=Status.SUBMITTED, department__in=departments)

    def in_faculties(self, faculties: models.QuerySet[OrgUnit]) -> ApplicationQuerySet:
        # Through the departments' ids, so that the department indexes serve the query.
        return self.filter(department__in=OrgUnit.objects.filter(parent__in=faculties))

    def in_departments(self, departments: models.QuerySet[OrgUnit]) -> ApplicationQuerySet:
        return self.filter(department__in=departments)

    def open(self) -> ApplicationQuerySet:
        return self.exclude(status__in=Application.ENDED)

    def visible_to_colleagues(self) -> ApplicationQuerySet:
        return self.filter(visible_to_colleagues=True).exclude(
            status__in=[*Application.ENDED, Status.DRAFT]
        )

    def with_host(self, **lookups: Any) -> ApplicationQuerySet:
        """Those with a host matching the lookups (`place__in=...`, `country_id=...`).

        Through the hosts table's own rows, not a join: a join would repeat an application
        once per matching host and need a DISTINCT over the whole list.
        """
        return self.filter(pk__in=_hosted(**lookups))

    def host_places(self) -> models.QuerySet[Any]:
        """The places of these applications' hosts (a subquery of place ids)."""
        return HostOrganisation.objects.filter(
            pk__in=Application.hosts.through.objects.filter(application__in=self).values(
                "hostorganisation_id"
            )
        ).values("place")

    def sharing_a_trip_with(self, mine: ApplicationQuerySet) -> ApplicationQuerySet:
        """Those going to the staff week or course, or to a host's city, of one of `mine`."""
        return self.filter(
            Q(opportunity__in=mine.exclude(opportunity=None).values("opportunity"))
            | Q(pk__in=_hosted(place__in=mine.host_places()))
        )

    # The office pipeline's filters: each takes what the filter form gives, empty for "any".

    def in_status(self, status: str) -> ApplicationQuerySet:
        return self.filter(status=status) if status else self

    def in_department(self, code: str) -> ApplicationQuerySet:
        return self.filter(department__code=code) if code else self

    def going_to_country(self, country: str) -> ApplicationQuerySet:
        return self.with_host(country_id=country) if country else self

    def in_call_year(self, year: int | str | None) -> ApplicationQuerySet:
        return self.filter(call_year=year) if year else self

    def of_activity(self, activity: str) -> ApplicationQuerySet:
        return self.filter(activity=activity) if activity else self

    def filtered(
        self,
        *,
        status: str = "",
        department: str = "",
        country: str = "",
        call_year: int | str | None = None,
        activity: str = "",
    ) -> ApplicationQuerySet:
        """Narrowed by the office pipeline's filters; an empty one leaves the list as it is."""
        return (
            self.in_status(status)
            .in_department(department)
            .going_to_country(country)
            .in_call_year(call_year)
            .of_activity(activity)
        )

    def with_lead_time(self, *, start: str, end: str) -> ApplicationQuerySet:
        """Those that reached `end`, with how long they took from `start` (`lead_time`).

        Read from the transitions: `reached_at` is the first arrival in `end`, `started_at`
        the last arrival in `start` before it, so that a plan returned and submitted again
        counts from its last submission (the time it was back with the applicant is theirs).
        """
        arrivals = Transition.objects.filter(application=OuterRef("pk"))
        reached = arrivals.filter(to_status=end).values("application")
        return (
            self.annotate(reached_at=Subquery(reached.annotate(at=Min("created_at")).values("at")))
            .annotate(
                started_at=Subquery(
                    arrivals.filter(to_status=start, created_at__lte=OuterRef("reached_at"))
                    .values("application")
                    .annotate(at=Max("created_at"))
                    .values("at")
                )
            )
            .filter(reached_at__isnull=False, started_at__isnull=False)
            .annotate(
                lead_time=ExpressionWrapper(
                    F("reached_at") - F("started_at"), output_field=DurationField()
                )
            )
        )


class Application(models.Model):
    """One staff member's request to go on one mobility, from plan to settlement."""

    ENDED: ClassVar[tuple[str, ...]] = (Status.REJECTED, Status.WITHDRAWN, Status.CANCELLED)
    # A mobility the office granted: it counts as an Erasmus+ grant had.
    GRANTED_OR_LATER: ClassVar[tuple[str, ...]] = (
        Status.GRANTED,
        Status.AGREEMENT_SENT,
        Status.SIGNED,
        Status.TRAVELLING,
        Status.COMPLETED,
        Status.SETTLED,
    )
    EDITABLE: ClassVar[tuple[str, ...]] = (Status.DRAFT, Status.RETURNED)

    applicant = models.ForeignKey(
        User, verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="applications"
    )
    # The department that pays, fixed when the plan starts even if the person moves later.
    department = models.ForeignKey(
        OrgUnit, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # Bumped by every write: a save based on an older version is a conflict, not an overwrite.
    version = models.PositiveIntegerField(default=1)
    # The planner page (a token each page load gets) whose save made this version: a save
    # from that page at the version before is its own previous save's answer still on the
    # way, not another tab's change (see planning.save_draft).
    saved_by_page = models.CharField(max_length=32, blank=True, editable=False)
    call_year = models.PositiveSmallIntegerField(_("call year"))

    activity = models.CharField(
        _("activity"), max_length=20, choices=PLANNED_ACTIVITIES, default=Activity.JOB_SHADOWING
    )
    opportunity = models.ForeignKey(
        "catalogue.Opportunity",
        verbose_name=_("staff week or course"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    hosts = models.ManyToManyField(
        "catalogue.HostOrganisation", verbose_name=_("hosts"), blank=True, related_name="+"
    )
    origin = models.ForeignKey(
        "grants.Place",
        verbose_name=_("travelling from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leave empty to travel from the university's city."),
    )
    start = models.DateField(_("first day of the activity"), null=True, blank=True)
    end = models.DateField(_("last day of the activity"), null=True, blank=True)
    travel_out = models.DateField(_("day you travel there"), null=True, blank=True)
    travel_back = models.DateField(_("day you travel home"), null=True, blank=True)
    travel_days = models.PositiveSmallIntegerField(
        _("travel days"),
        null=True,
        blank=True,
        help_text=_(
            "Days spent travelling, there and back. "
            "Leave empty to count them from the travel dates."
        ),
    )
    travel_mode = models.CharField(
        _("main means of travel"), max_length=20, choices=TravelMode.choices, blank=True
    )

    # Blended mobility: an optional virtual part before or after the physical visit.
    virtual_start = models.DateField(_("virtual part from"), null=True, blank=True)
    virtual_end = models.DateField(_("virtual part until"), null=True, blank=True)
    virtual_format = models.CharField(_("virtual format"), max_length=200, blank=True)
    virtual_description = models.TextField(_("what is done online"), blank=True)

    # The four questions of the Mobility Agreement.
    objectives = models.TextField(_("objectives of the mobility"), blank=True)
    added_value = models.TextField(_("added value for you and the university"), blank=True)
    activities = models.TextField(_("activities to be carried out"), blank=True)
    outcomes = models.TextField(_("expected outcomes and impact"), blank=True)

    work_cover = models.TextField(_("who covers your work while you are away"), blank=True)
    working_language = models.CharField(_("working language abroad"), max_length=50, blank=True)
    language_level = models.CharField(
        _("my level in that language"), max_length=2, choices=LanguageLevel.choices, blank=True
    )
    wants_language_course = models.BooleanField(
        _("I would like to take the English course for staff first"), default=False
    )

    travel_cost_sek = models.DecimalField(
        _("travel cost (SEK)"), max_digits=9, decimal_places=0, null=True, blank=True
    )
    accommodation_cost_sek = models.DecimalField(
        _("accommodation cost (SEK)"), max_digits=9, decimal_places=0, null=True, blank=True
    )
    other_cost_sek = models.DecimalField(
        _("other costs (SEK)"), max_digits=9, decimal_places=0, null=True, blank=True
    )

    talked_to_manager = models.BooleanField(_("I have talked to my manager"), default=False)
    host_confirmed = models.BooleanField(_("A host has said yes"), default=False)
    insurance_read = models.BooleanField(_("I have read about the travel insurance"), default=False)
    travel_booked = models.BooleanField(_("Travel and accommodation are booked"), default=False)
    language_course_considered = models.BooleanField(
        _("I have considered a language course"), default=False
    )

    # Whether the applicant had no Erasmus+ grant before, as it stood when they applied:
    # first-timers get priority, and the office's pipeline lists them first.
    first_time = models.BooleanField(_("first Erasmus+ grant"), default=True)
    visible_to_colleagues = models.BooleanField(
        _("Colleagues may see where and when I am going"), default=False
    )
    # What the rules engine said when the plan was submitted; the office sees it beside its own.
    estimate = models.JSONField(_("estimate at submission"), default=dict, blank=True)
    agreement_pdf = models.FileField(
        _("signed Mobility Agreement"), upload_to="agreements/%Y/", blank=True
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    objects = ApplicationQuerySet.as_manager()

    if TYPE_CHECKING:
        transitions: RelatedManager[Transition]

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-updated_at", "-id"]
        # The inbox, the pipeline's counts and lists, and "recently decided" each read one.
        indexes = [
            models.Index(
                fields=["status", "department", "updated_at"], name="application_status_dept_idx"
            ),
            models.Index(fields=["department", "status"], name="application_dept_status_idx"),
            models.Index(
                fields=["department", "first_time", "updated_at"], name="application_priority_idx"
            ),
            models.Index(fields=["department", "updated_at"], name="application_dept_time_idx"),
            models.Index(fields=["applicant", "-updated_at"], name="application_applicant_idx"),
            # Finance's list, by start, one department at a time (views._by_department).
            models.Index(fields=["department", "start"], name="application_dept_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True)
                | Q(start__isnull=True)
                | Q(end__gte=models.F("start")),
                name="application_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.applicant} – {self.get_activity_display()} ({self.get_status_display()})"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def declared_travel_days(self) -> int | None:
        """The travel days given, or counted from the travel dates around the activity."""
        if self.travel_days is not None:
            return self.travel_days
        if self.travel_out and self.travel_back and self.start and self.end:
            return max(0, (self.start - self.travel_out).days) + max(
                0, (self.travel_back - self.end).days
            )
        return None

    @property
    def green_travel(self) -> bool:
        """Green by the programme's default rule; `mobility.estimate.trip_for` also asks the
        call year whether boats count."""
        return self.travel_mode in TravelMode.green()

    @property
    def first_grant(self) -> bool:
        """Whether this would be the applicant's first Erasmus+ grant: neither the profile
        says they had one nor has another of their applications been granted."""
        if self.applicant.had_grant_before:
            return False
        return (
            not Application.objects.of(self.applicant)
            .exclude(pk=self.pk)
            .filter(status__in=self.GRANTED_OR_LATER)
            .exists()
        )


class TallyQuerySet(models.QuerySet["ApplicationTally"]):
    def total(self) -> int:
        """How many applications these rows count together."""
        return int(self.aggregate(total=models.Sum("applications"))["total"] or 0)

    def per_status(self) -> dict[str, int]:
        return dict(
            self.order_by()
            .values_list("status")
            .annotate(total=models.Sum("applications"))
            .values_list("status", "total")
        )


class ApplicationTally(models.Model):
    """How many applications one person has in one status, in one department.

    The work lists' counts (the pipeline's per status, the inbox's and the lists' totals) read
    these few rows instead of counting thousands of applications. The database keeps them:
    triggers on the application table (migration 0008, mobility.tally) change them in the
    same transaction as every insert, status change and delete, whichever code writes it
    (the workflow, the planner, bulk_create, the admin). `manage.py recount_applications`
    rebuilds them from a fresh count. A row whose count reaches 0 is removed.
    """

    department = models.ForeignKey(
        OrgUnit, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    applicant = models.ForeignKey(
        User, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    applications = models.PositiveIntegerField(default=0)

    objects = TallyQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["department", "status", "applicant"], name="application_tally_unique"
            )
        ]
        indexes = [models.Index(fields=["applicant", "status"], name="application_tally_mine_idx")]

    def __str__(self) -> str:
        return f"{self.department_id} {self.applicant_id} {self.status}: {self.applications}"


class Transition(models.Model):
    """One step in an application's history: who moved it from which state to which, and why."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    # A person, or nobody: a host contact through a signed link, or the system (then the
    # kind and the label say who it was).
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_kind = models.CharField(max_length=20, choices=ActorKind.choices, default=ActorKind.USER)
    actor_label = models.CharField(max_length=200, blank=True)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["application", "created_at"], name="transition_app_time_idx"),
            models.Index(fields=["to_status", "created_at"], name="transition_status_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"

    @property
    def actor_name(self) -> str:
        """Who moved it, as the history shows them (a task's own name is for the log only)."""
        if self.actor_kind == ActorKind.SYSTEM:
            return str(ActorKind.SYSTEM.label)
        return str(self.actor) if self.actor is not None else self.actor_label


class Companion(models.Model):
    """A colleague invited to travel together; accepting links their own application."""

    class Answer(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="companions"
    )
    colleague = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    colleague_application = models.ForeignKey(
        Application, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answer = models.CharField(max_length=10, choices=Answer.choices, default=Answer.INVITED)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "colleague"], name="companion_once_per_application"
            )
        ]

    def __str__(self) -> str:
        return f"{self.colleague} ({self.get_answer_display()})"


class Allocation(models.Model):
    """The Erasmus+ grant the office allocated to one application, and why it differs."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="allocation"
    )
    amount_eur = models.DecimalField(_("grant (EUR)"), max_digits=9, decimal_places=0)
    estimate_eur = models.DecimalField(_("estimate (EUR)"), max_digits=9, decimal_places=0)
    reason = models.TextField(_("reason for a different amount"), blank=True)
    over_budget = models.BooleanField(_("allocated beyond the faculty's budget"), default=False)
    allocated_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    allocated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.amount_eur} EUR"


class FacultyBudget(models.Model):
    """A faculty's Erasmus+ allocation for staff training in one call year."""

    faculty = models.ForeignKey(
        OrgUnit,
        verbose_name=_("faculty"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": OrgUnit.Kind.FACULTY},
    )
    call_year = models.PositiveSmallIntegerField(_("call year"))
    amount_eur = models.DecimalField(_("allocation (EUR)"), max_digits=10, decimal_places=0)

    class Meta:
        verbose_name = _("faculty budget")
        verbose_name_plural = _("faculty budgets")
        constraints = [
            models.UniqueConstraint(fields=["faculty", "call_year"], name="budget_once_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.faculty} {self.call_year}: {self.amount_eur} EUR"


# --- After the trip -------------------------------------------------------------------------
# Lund's money flow: the department pays first; the traveller hands in the certificate of
# attendance and the Mobility Costs form within a month of the last day; only then is the
# Erasmus+ grant released to the department, at the rate of the day Lund received it.

HOMECOMING_DAYS = 30  # the month the traveller has, counted from the activity's last day
PARTICIPANT_REPORT_DAYS = 30  # the EU's participant report, asked for after the trip


class Homecoming(models.Model):
    """What a traveller hands in after the trip: actual dates, certificate, costs, reports."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="homecoming"
    )
    # The grant recomputed from the dates the trip actually had (None: the allocation stands).
    dates_confirmed_at = models.DateTimeField(null=True, blank=True)
    grant_after_dates_eur = models.DecimalField(
        _("grant after the actual dates (EUR)"),
        max_digits=9,
        decimal_places=0,
        null=True,
        blank=True,
    )

    attendance_start = models.DateField(_("attended from"), null=True, blank=True)
    attendance_end = models.DateField(_("attended until"), null=True, blank=True)
    attendance_document = models.FileField(
        _("certificate of attendance"), upload_to="attendance/%Y/", blank=True
    )
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    attendance_recorded_by = models.CharField(max_length=200, blank=True)

    # The Mobility Costs form: what the department paid, in SEK to the öre.
    travel_sek = models.DecimalField(
        _("travel (SEK)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    accommodation_sek = models.DecimalField(
        _("accommodation (SEK)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    per_diem_sek = models.DecimalField(
        _("per diem (SEK)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    fees_sek = models.DecimalField(
        _("fees (SEK)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    travel_claim_reference = models.CharField(
        _("travel claim reference"),
        max_length=40,
        blank=True,
        help_text=_("The number of your travel expense claim in the university's system."),
    )
    costs_submitted_at = models.DateTimeField(null=True, blank=True)

    participant_report_done_at = models.DateTimeField(null=True, blank=True)
    participant_report_done_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    learning_report = models.TextField(_("what you learned"), blank=True)
    learning_reported_at = models.DateTimeField(null=True, blank=True)
    # The pages app reads these two: a report offered as a story, and when it was offered.
    offered_as_story = models.BooleanField(
        _("I offer this as a story for the Erasmus+ pages"), default=False
    )
    offered_as_story_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("after the trip")
        verbose_name_plural = _("after the trip")

    def __str__(self) -> str:
        return f"homecoming of {self.application_id}"

    @property
    def costs_total_sek(self) -> Decimal | None:
        parts = [self.travel_sek, self.accommodation_sek, self.per_diem_sek, self.fees_sek]
        if self.costs_submitted_at is None:
            return None
        return sum((part or Decimal(0) for part in parts), Decimal(0))


class ActualCost(models.Model):
    """What the department actually paid for one mobility, recorded or confirmed by finance."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="actual_cost"
    )
    amount_sek = models.DecimalField(_("actual cost (SEK)"), max_digits=12, decimal_places=2)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.amount_sek} SEK"


class Reimbursement(models.Model):
    """The Erasmus+ grant paid on to the department, at the rate of the day Lund received it."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="reimbursement"
    )
    amount_eur = models.DecimalField(_("amount (EUR)"), max_digits=10, decimal_places=2)
    # SEK for one euro, as the rate of `rate_date` gave it.
    rate = models.DecimalField(_("exchange rate (SEK per EUR)"), max_digits=10, decimal_places=4)
    rate_date = models.DateField(_("date of the rate"))
    # The euros at the rate, rounded once to the öre and stored: totals add stored öre.
    amount_sek = models.DecimalField(_("amount (SEK)"), max_digits=12, decimal_places=2)
    paid_on = models.DateField(_("paid to the department on"))
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["paid_on"], name="reimbursement_paid_idx")]

    def __str__(self) -> str:
        return f"{self.amount_eur} EUR at {self.rate} ({self.rate_date})"
