"""Host organisations, partner agreements, opportunities (staff weeks, courses), saved searches."""

from __future__ import annotations

import datetime
import secrets
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from utsikt.accounts.models import OrgUnit, StaffCategory, User
from utsikt.catalogue.fields import CodeSetField, StoredSearchVectorField
from utsikt.core.language import in_language, is_english
from utsikt.grants import rates
from utsikt.grants.eligibility import country_fundable, host_kind_fundable
from utsikt.grants.languages import language_of_country
from utsikt.grants.models import Country, Place
from utsikt.grants.vocabulary import HostKind


class Topic(models.TextChoices):
    """What an opportunity is about; a facet of the search."""

    LIBRARY = "library", _("Libraries and information services")
    INTERNATIONAL = "international", _("International relations and mobility")
    STUDENT_SERVICES = "student_services", _("Student services and guidance")
    IT = "it", _("IT and digital services")
    FINANCE = "finance", _("Finance and procurement")
    HR = "hr", _("Human resources")
    COMMUNICATION = "communication", _("Communication and marketing")
    RESEARCH_SUPPORT = "research_support", _("Research support and funding")
    SUSTAINABILITY = "sustainability", _("Sustainability and green campus")
    LEADERSHIP = "leadership", _("Leadership and management")
    LANGUAGE = "language", _("Language learning")
    INTERCULTURAL = "intercultural", _("Intercultural communication")
    INCLUSION = "inclusion", _("Inclusion and accessibility")
    TEACHING_SUPPORT = "teaching_support", _("Teaching and learning support")
    QUALITY = "quality", _("Quality assurance")
    LABORATORY = "laboratory", _("Laboratories and technical services")
    STUDENT_RECORDS = "student_records", _("Student administration and records")
    WELCOME = "welcome", _("Welcome services")
    OPEN_SCIENCE = "open_science", _("Open science and research data")
    DIGITAL_LEARNING = "digital_learning", _("Digital learning")


class Language(models.TextChoices):
    """Working languages of an opportunity."""

    EN = "en", _("English")
    SV = "sv", _("Swedish")
    DE = "de", _("German")
    FR = "fr", _("French")
    ES = "es", _("Spanish")
    PT = "pt", _("Portuguese")
    IT = "it", _("Italian")
    NL = "nl", _("Dutch")
    DA = "da", _("Danish")
    NO = "no", _("Norwegian")
    FI = "fi", _("Finnish")
    IS = "is", _("Icelandic")
    PL = "pl", _("Polish")
    CS = "cs", _("Czech")
    SK = "sk", _("Slovak")
    HU = "hu", _("Hungarian")
    RO = "ro", _("Romanian")
    BG = "bg", _("Bulgarian")
    EL = "el", _("Greek")
    HR = "hr", _("Croatian")
    SL = "sl", _("Slovenian")
    ET = "et", _("Estonian")
    LV = "lv", _("Latvian")
    LT = "lt", _("Lithuanian")
    MT = "mt", _("Maltese")
    GA = "ga", _("Irish")
    TR = "tr", _("Turkish")
    MK = "mk", _("Macedonian")
    SR = "sr", _("Serbian")
    CA = "ca", _("Catalan")
    EU = "eu", _("Basque")


# The storage order of the code sets: append only (see fields.py).
CATEGORY_CODES = (
    "librarian",
    "economist",
    "it_technician",
    "study_adviser",
    "international_coordinator",
    "communicator",
    "hr",
    "administrator",
    "education_administrator",
    "research_engineer",
    "manager",
    "teacher",
    "researcher",
    "other",
)
TOPIC_CODES = tuple(Topic.values)
LANGUAGE_CODES = tuple(Language.values)


class HostOrganisationQuerySet(models.QuerySet["HostOrganisation"]):
    def approved(self) -> HostOrganisationQuerySet:
        return self.filter(status=HostOrganisation.Status.APPROVED)

    def proposed(self) -> HostOrganisationQuerySet:
        return self.filter(status=HostOrganisation.Status.PROPOSED)

    def partners(self, year: int | None = None) -> HostOrganisationQuerySet:
        return self.filter(partner_until__gte=year or timezone.localdate().year)

    def matching(self, text: str) -> HostOrganisationQuerySet:
        """Hosts whose name (in English or locally), Erasmus code or city contains the text."""
        return self.filter(
            Q(name__icontains=text)
            | Q(local_name__icontains=text)
            | Q(erasmus_code__icontains=text)
            | Q(place__name__icontains=text)
            | Q(place__name_sv__icontains=text)
        )


class HostOrganisation(models.Model):
    """An organisation abroad that can receive staff: a university, company, library, NGO …"""

    # The rules' vocabulary: the kind decides whether Erasmus+ funds training here.
    Kind = HostKind

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed, awaiting review")
        APPROVED = "approved", _("Approved")

    slug = models.SlugField(_("short name in addresses"), max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=255)
    local_name = models.CharField(
        _("local name"), max_length=255, blank=True, help_text=_("The name in its own language.")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    place = models.ForeignKey(
        Place,
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    website = models.URLField(_("website"), blank=True)
    erasmus_code = models.CharField(
        _("Erasmus code"), max_length=20, blank=True, help_text=_("For example “P  PORTO02”.")
    )
    oid = models.CharField(_("OID"), max_length=12, blank=True)
    pic = models.CharField(_("PIC"), max_length=12, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.APPROVED
    )
    # The last year a current partner agreement covers; kept by curation.record_agreement.
    partner_until = models.PositiveSmallIntegerField(_("partner until"), null=True, blank=True)
    proposed_by = models.ForeignKey(
        User,
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note from the proposer"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    objects = HostOrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("host organisation")
        verbose_name_plural = _("host organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["erasmus_code"],
                condition=~Q(erasmus_code=""),
                name="host_erasmus_code_unique",
            )
        ]
        indexes = [models.Index(fields=["status", "name"], name="host_status_name_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def local_name_language(self) -> str:
        """The language code of the local name (`lang`), "" when the country has no one."""
        return language_of_country(self.country_id)

    @property
    def fundable(self) -> bool:
        """Whether Erasmus+ may fund training here, as the current call year's rules judge
        the kind of organisation."""
        return host_kind_fundable(self.kind, rates.current())

    @property
    def is_partner(self) -> bool:
        return self.partner_until is not None and self.partner_until >= timezone.localdate().year


class PartnerAgreement(models.Model):
    """A faculty or department's cooperation agreement with a host, for some years."""

    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("faculty or department"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind__in": [OrgUnit.Kind.FACULTY, OrgUnit.Kind.DEPARTMENT]},
    )
    host = models.ForeignKey(
        HostOrganisation,
        verbose_name=_("host organisation"),
        on_delete=models.CASCADE,
        related_name="agreements",
    )
    valid_from = models.PositiveSmallIntegerField(_("first year"))
    valid_until = models.PositiveSmallIntegerField(_("last year"))
    covers_staff_training = models.BooleanField(_("covers staff training"), default=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    class Meta:
        verbose_name = _("partner agreement")
        verbose_name_plural = _("partner agreements")
        ordering = ["-valid_until"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="agreement_years_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.host} ({self.valid_from}–{self.valid_until})"

    def is_current(self, year: int | None = None) -> bool:
        year = year or timezone.localdate().year
        return self.valid_from <= year <= self.valid_until


class OpportunityQuerySet(models.QuerySet["Opportunity"]):
    def listed(self) -> OpportunityQuerySet:
        """What the search shows: published and past ones, not drafts or cancelled ones."""
        return self.filter(status__in=[Opportunity.Status.PUBLISHED, Opportunity.Status.PAST])

    @staticmethod
    def upcoming_condition(today: datetime.date) -> Q:
        """Published and not yet over on that day: what `upcoming` selects, as a condition."""
        return Q(status=Opportunity.Status.PUBLISHED, end_date__gte=today)

    def upcoming(self, today: datetime.date | None = None) -> OpportunityQuerySet:
        return self.filter(self.upcoming_condition(today or timezone.localdate()))

    def ended(self, today: datetime.date | None = None) -> OpportunityQuerySet:
        return self.filter(end_date__lt=today or timezone.localdate())

    def curated_by(self, faculties: models.QuerySet[OrgUnit]) -> OpportunityQuerySet:
        return self.filter(faculty__in=faculties)


class Opportunity(models.Model):
    """A staff week, training course, job-shadowing offer or language course abroad."""

    class Kind(models.TextChoices):
        STAFF_WEEK = "staff_week", _("Staff week")
        COURSE = "course", _("Training course")
        JOB_SHADOWING = "job_shadowing", _("Job shadowing")
        LANGUAGE_COURSE = "language_course", _("Language course")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")
        PAST = "past", _("Past")

    PUBLIC_STATUSES: ClassVar[tuple[str, ...]] = (
        Status.PUBLISHED,
        Status.CANCELLED,
        Status.PAST,
    )

    slug = models.SlugField(_("short name in addresses"), max_length=140, unique=True)
    external_id = models.CharField(
        _("external id"),
        max_length=100,
        blank=True,
        help_text=_("The id in the file it was imported from; importing again updates it."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title_sv = models.CharField(_("title (Swedish)"), max_length=255, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    description_sv = models.TextField(_("description (Swedish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    host = models.ForeignKey(
        HostOrganisation,
        verbose_name=_("host organisation"),
        on_delete=models.PROTECT,
        related_name="opportunities",
    )
    # Copied from the host by curation.save_opportunity so that facets need no join.
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    place = models.ForeignKey(
        Place,
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    partner_until = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    faculty = models.ForeignKey(
        OrgUnit,
        verbose_name=_("curated by"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": OrgUnit.Kind.FACULTY},
    )
    # Empty only on a draft whose dates are not known yet (an import's row without any date):
    # it cannot be published until the officer adds them.
    start_date = models.DateField(_("first day"), null=True, blank=True)
    end_date = models.DateField(_("last day"), null=True, blank=True)
    start_month = models.DateField(null=True, editable=False)
    # Only the month is known (a file said "2025-05" or "May 2025"): the dates are the month's
    # first and last day, and pages show the month.
    dates_approximate = models.BooleanField(_("only the month is known"), default=False)
    deadline = models.DateField(_("application deadline"), null=True, blank=True)
    fee = models.DecimalField(
        _("fee"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        default=0,
        help_text=_("Registration fee; 0 when there is none, empty when it is not stated."),
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    places = models.PositiveIntegerField(
        pgettext_lazy("number of places", "places"), null=True, blank=True
    )
    # None: the source does not say.
    accommodation_included = models.BooleanField(
        _("accommodation included"), null=True, blank=True, default=False
    )
    languages = CodeSetField(
        _("working languages"), codes=LANGUAGE_CODES, labels=Language.choices, blank=True
    )
    staff_categories = CodeSetField(
        _("for staff categories"), codes=CATEGORY_CODES, labels=StaffCategory.choices, blank=True
    )
    topics = CodeSetField(_("topics"), codes=TOPIC_CODES, labels=Topic.choices, blank=True)
    # Subjects given in words that match no topic (from an import): searchable, not a facet.
    keywords = models.CharField(_("keywords"), max_length=500, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    registration_url = models.URLField(_("registration link"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # PostgreSQL only: the stored full-text document (see search/index.py); NULL on SQLite,
    # which keeps its index in the FTS5 table catalogue_opportunity_fts instead.
    search_vector = StoredSearchVectorField(null=True, editable=False)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        ordering = ["start_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~Q(external_id=""),
                name="opportunity_external_id_unique",
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="opportunity_dates_in_order",
            ),
            # Both days or neither; neither only while it is a draft.
            models.CheckConstraint(
                condition=Q(start_date__isnull=True, end_date__isnull=True)
                | Q(start_date__isnull=False, end_date__isnull=False),
                name="opportunity_dates_both_or_neither",
                violation_error_message=_("Give both the first and the last day, or neither."),
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(start_date__isnull=False),
                name="opportunity_dated_unless_draft",
                violation_error_message=_(
                    "Only a draft may be without dates; add the first and last day before "
                    "publishing it."
                ),
            ),
            models.CheckConstraint(condition=Q(fee__gte=0), name="opportunity_fee_not_negative"),
            models.CheckConstraint(
                condition=~Q(title_sv="", title_en=""), name="opportunity_has_a_title"
            ),
        ]
        indexes = [
            # Every column the search filters, counts or sorts by: facet counts over tens of
            # thousands of rows read this index alone, never the wide rows (5–10x faster).
            models.Index(
                fields=[
                    "status",
                    "end_date",
                    "country",
                    "start_month",
                    "kind",
                    "fee",
                    "deadline",
                    "partner_until",
                    "staff_categories",
                    "topics",
                    "languages",
                    "start_date",
                    "place",
                    "id",
                ],
                name="opp_search_facets_idx",
            ),
            models.Index(fields=["status", "start_date"], name="opp_status_start_idx"),
            models.Index(fields=["status", "deadline"], name="opp_status_deadline_idx"),
            models.Index(fields=["start_month"], name="opp_start_month_idx"),
            models.Index(fields=["faculty", "status"], name="opp_faculty_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return in_language(self.title_sv, self.title_en)

    @property
    def description(self) -> str:
        return in_language(self.description_sv, self.description_en)

    @property
    def shown_in_other_language(self) -> bool:
        """True when the page's language has no title, so the other language is shown."""
        own = self.title_en if is_english() else self.title_sv
        return not own

    @property
    def text_language(self) -> str:
        """The language code of the title and description as shown."""
        if is_english():
            return "en" if self.title_en else "sv"
        return "sv" if self.title_sv else "en"

    @property
    def is_partner(self) -> bool:
        return self.partner_until is not None and self.partner_until >= timezone.localdate().year

    @property
    def fee_stated(self) -> bool:
        return self.fee is not None

    @property
    def country_fundable(self) -> bool:
        """Whether the current call year's rules fund staff training in its country."""
        return country_fundable(self.country_id, rates.current())

    @property
    def dated(self) -> bool:
        """Whether its days are known; only a draft may lack them."""
        return self.start_date is not None and self.end_date is not None

    @property
    def days(self) -> int | None:
        if self.start_date is None or self.end_date is None:
            return None
        return (self.end_date - self.start_date).days + 1

    def category_labels(self) -> list[str]:
        labels = dict(StaffCategory.choices)
        return [str(labels[c]) for c in self.staff_categories if c in labels]

    def topic_labels(self) -> list[str]:
        labels = dict(Topic.choices)
        return [str(labels[c]) for c in self.topics]

    def language_labels(self) -> list[str]:
        labels = dict(Language.choices)
        return [str(labels[c]) for c in self.languages]


def new_feed_key() -> str:
    """A fresh secret for a saved search's calendar address."""
    return secrets.token_hex(16)


class OpportunitySearch(models.Model):
    """An opportunity's search vector again, in a narrow table of its own (PostgreSQL only).

    Finding a common word's matches reads each match's row for its id: the opportunities'
    wide rows are about 26,000 pages at 100,000 opportunities, this table's a few hundred
    (its vectors are stored apart, compressed with lz4 where the server has it, which also
    reads them faster to rank). A trigger copies `Opportunity.search_vector` here on every
    write (migration 0008), so it cannot fall behind; on SQLite the table stays empty.
    """

    # The database deletes the row with its opportunity (a foreign key made ON DELETE CASCADE
    # by migration 0008 on PostgreSQL), so that deleting opportunities costs no extra query.
    opportunity = models.OneToOneField(
        Opportunity,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="search_row",
    )
    vector = StoredSearchVectorField(null=True)
    # Only the title's words (weight A of `vector`, by ts_filter): the rows with a word in the
    # title are found by their own GIN index, without reading every candidate's whole vector.
    title_vector = StoredSearchVectorField(null=True)

    def __str__(self) -> str:
        return str(self.opportunity_id)


class OpportunityChange(models.Model):
    """One opportunity added, changed or deleted, as the database's triggers log it.

    The search's facet bitmaps (search/bitmaps.py) read after a write only the opportunities
    logged since they were last read, instead of every one. Triggers (migration 0009) write
    the rows, so no write path can forget them; they also delete rows older than two days,
    which no process needs (its bitmaps are read anew every day).
    """

    opportunity_id = models.BigIntegerField()
    # PostgreSQL's transaction id: a process asks for every change of a transaction that its
    # last reading could not yet see (SQLite commits one writer at a time, so the id does).
    transaction = models.BigIntegerField(null=True)
    at = models.DateTimeField(db_default=Now())

    class Meta:
        indexes = [
            models.Index(fields=["transaction"], name="opp_change_transaction_idx"),
            models.Index(fields=["at"], name="opp_change_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.opportunity_id} ({self.at})"


class SavedSearch(models.Model):
    """A search a person keeps, and can follow as a calendar feed."""

    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=120)
    query = models.CharField(_("search"), max_length=1000, blank=True)
    # Part of the feed's signed token: replacing it revokes every copy of the feed address.
    feed_key = models.CharField(max_length=32, default=new_feed_key, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class ImportMapping(models.Model):
    """How the columns of one source's files map to the import's columns, kept by name so that
    the next file from the same source needs no mapping."""

    faculty = models.ForeignKey(OrgUnit, verbose_name=_("curated by"), on_delete=models.CASCADE)
    name = models.CharField(_("name"), max_length=100)
    # {"the file's heading, folded": "column" or "" to ignore it}
    columns = models.JSONField(_("columns"), default=dict)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("import mapping")
        verbose_name_plural = _("import mappings")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["faculty", "name"], name="import_mapping_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class SearchTerm(models.Model):
    """Words that mean the same in the catalogue's search, in any language: a query for one
    finds opportunities written with another ("bibliotek" finds "library")."""

    terms = models.TextField(
        _("terms"),
        help_text=_(
            "One word or phrase per line, in any language, all meaning the same; "
            "for example “internationell vecka”, “international week”, “interweek”."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")
        ordering = ["pk"]

    def __str__(self) -> str:
        return " / ".join(self.phrases())

    def phrases(self) -> list[str]:
        return [line.strip() for line in self.terms.splitlines() if line.strip()]


class ImportRun(models.Model):
    """One large import, run by the task worker: the file, how far it got, what it found."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        PREVIEW = "preview", _("Checked, waiting for confirmation")

    faculty = models.ForeignKey(OrgUnit, verbose_name=_("curated by"), on_delete=models.CASCADE)
    by = models.ForeignKey(
        User, verbose_name=_("started by"), on_delete=models.SET_NULL, null=True, blank=True
    )
    file_name = models.CharField(_("file name"), max_length=255)
    # At most imports.MAX_UPLOAD_BYTES; dropped once the run has finished.
    data = models.BinaryField(_("file"), blank=True)
    check_only = models.BooleanField(_("only check"), default=False)
    # The file's headings mapped by the officer (folded heading → column), for a preview.
    columns = models.JSONField(_("columns"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    rows_done = models.PositiveIntegerField(_("rows checked"), default=0)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    report = models.JSONField(_("report"), default=dict, blank=True)
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def percent(self) -> int:
        return 100 * self.rows_done // self.rows_total if self.rows_total else 0
