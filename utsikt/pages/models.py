"""What inspires: information pages, colleagues' stories, ambassadors, the International
Office's contacts and the newsletter's subscribers. Content has Swedish and English fields."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from utsikt.accounts.models import OrgUnit, StaffCategory
from utsikt.core.language import in_language


class Page(models.Model):
    """An information page for staff, written in Markdown in both languages.

    The slug is stable, so other apps link to a page by it (the planner's insurance and
    language questions); every save keeps the earlier text as a PageVersion.
    """

    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    title_sv = models.CharField(_("title (Swedish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    summary_sv = models.CharField(_("summary (Swedish)"), max_length=300, blank=True)
    summary_en = models.CharField(_("summary (English)"), max_length=300, blank=True)
    body_sv = models.TextField(_("text (Swedish, Markdown)"))
    body_en = models.TextField(_("text (English, Markdown)"))
    position = models.PositiveSmallIntegerField(_("position in the list"), default=100)
    published = models.BooleanField(_("published"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("information page")
        verbose_name_plural = _("information pages")
        ordering = ["position", "title_sv"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return in_language(self.title_sv, self.title_en)

    @property
    def summary(self) -> str:
        return in_language(self.summary_sv, self.summary_en)

    @property
    def body(self) -> str:
        return in_language(self.body_sv, self.body_en)


class PageVersion(models.Model):
    """One saved text of a page: the history officers read and restore from."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title_sv = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    summary_sv = models.CharField(max_length=300, blank=True)
    summary_en = models.CharField(max_length=300, blank=True)
    body_sv = models.TextField()
    body_en = models.TextField()
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["page", "number"], name="page_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.page.slug} v{self.number}"


class StoryQuerySet(models.QuerySet["Story"]):
    def published(self) -> StoryQuerySet:
        return self.filter(status=Story.Status.PUBLISHED)


class Story(models.Model):
    """A colleague's mobility told for the next one: written by an officer, or offered by
    the returnee with consent and edited by the office before it is published."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OFFERED = "offered", _("Offered by the returnee")
        PUBLISHED = "published", _("Published")

    slug = models.SlugField(_("short name in addresses"), max_length=120, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    title_sv = models.CharField(_("title (Swedish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    summary_sv = models.CharField(_("summary (Swedish)"), max_length=300, blank=True)
    summary_en = models.CharField(_("summary (English)"), max_length=300, blank=True)
    body_sv = models.TextField(_("story (Swedish, Markdown)"), blank=True)
    body_en = models.TextField(_("story (English, Markdown)"), blank=True)
    person_name = models.CharField(_("who went"), max_length=200)
    staff_category = models.CharField(
        _("staff category"), max_length=40, choices=StaffCategory.choices, blank=True
    )
    host = models.ForeignKey(
        "catalogue.HostOrganisation",
        verbose_name=_("host"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    host_name = models.CharField(
        _("host as written"),
        max_length=200,
        blank=True,
        help_text=_("For a host that is not in the catalogue."),
    )
    country = models.ForeignKey(
        "grants.Country",
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(_("year of the mobility"), null=True, blank=True)
    photo = models.ImageField(_("photo"), upload_to="stories/", blank=True)
    photo_alt_sv = models.CharField(_("photo description (Swedish)"), max_length=400, blank=True)
    photo_alt_en = models.CharField(_("photo description (English)"), max_length=400, blank=True)
    # A returnee's offer: who offered it, from which mobility, and when they consented.
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("offered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="offered_stories",
    )
    application = models.OneToOneField(
        "mobility.Application",
        verbose_name=_("mobility"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="story",
    )
    consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    objects = StoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        ordering = ["-published_at", "-created_at"]
        indexes = [models.Index(fields=["status", "published_at"], name="story_status_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return in_language(self.title_sv, self.title_en)

    @property
    def summary(self) -> str:
        return in_language(self.summary_sv, self.summary_en)

    @property
    def body(self) -> str:
        return in_language(self.body_sv, self.body_en)

    @property
    def photo_alt(self) -> str:
        return in_language(self.photo_alt_sv, self.photo_alt_en)

    @property
    def where(self) -> str:
        host = self.host.name if self.host else self.host_name
        country = self.country.name if self.country else ""
        return ", ".join(part for part in (host, self.city, country) if part)


class Ambassador(models.Model):
    """A returnee who has agreed to talk to colleagues about their mobility.

    Opting out deletes the row: nothing about them stays listed.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ambassador"
    )
    topics_sv = models.CharField(_("what I can talk about (Swedish)"), max_length=400, blank=True)
    topics_en = models.CharField(_("what I can talk about (English)"), max_length=400, blank=True)
    story = models.ForeignKey(
        Story, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ambassador")
        verbose_name_plural = _("ambassadors")
        ordering = ["joined_at"]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def topics(self) -> str:
        return in_language(self.topics_sv, self.topics_en)


class AmbassadorMessage(models.Model):
    """A colleague's question to an ambassador, passed on by Utsikt with neither address
    shown; the ambassador's answer goes back with theirs, since answering shares it."""

    ambassador = models.ForeignKey(Ambassador, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("message"), max_length=4000)
    answer = models.TextField(_("answer"), max_length=4000, blank=True)
    sent_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.sender} → {self.ambassador}"


class Office(models.Model):
    """An International Office: a faculty's, or the university's (no faculty)."""

    faculty = models.OneToOneField(
        OrgUnit,
        verbose_name=_("faculty"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="office",
        limit_choices_to={"kind": OrgUnit.Kind.FACULTY},
        help_text=_("Empty for the university's own International Office."),
    )
    name_sv = models.CharField(_("name (Swedish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    visiting_address = models.CharField(_("visiting address"), max_length=300, blank=True)
    postal_address = models.CharField(_("postal address"), max_length=300, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        verbose_name = _("International Office")
        verbose_name_plural = _("International Offices")
        ordering = ["name_sv"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self.name_sv, self.name_en)

    @property
    def code(self) -> str:
        """The office's part of its address: its faculty's code, or "university"."""
        return self.faculty.code if self.faculty else UNIVERSITY_OFFICE


UNIVERSITY_OFFICE = "university"


class Contact(models.Model):
    """One person at an International Office, as the contact page lists them."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    role_sv = models.CharField(_("role (Swedish)"), max_length=200)
    role_en = models.CharField(_("role (English)"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    position = models.PositiveSmallIntegerField(_("position in the list"), default=100)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact people")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def role(self) -> str:
        return in_language(self.role_sv, self.role_en)


class Subscriber(models.Model):
    """A confirmed newsletter subscription: only written when the address confirmed it.

    Unsubscribing deletes the row, so the export lists only people who agree to be on it.
    """

    LANGUAGES: ClassVar[list[tuple[str, str]]] = [("sv", "Svenska"), ("en", "English")]

    email = models.EmailField(_("e-mail"), unique=True)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES, default="sv")
    staff_categories = models.JSONField(_("staff categories"), default=list, blank=True)
    countries = models.JSONField(_("countries"), default=list, blank=True)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), default=timezone.now)

    class Meta:
        verbose_name = _("newsletter subscriber")
        verbose_name_plural = _("newsletter subscribers")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email
