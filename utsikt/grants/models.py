"""Countries and the gazetteer of places; rates and rules per call year."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from utsikt.core.language import in_language


class Country(models.Model):
    """A country a trip can start in or go to, with its names and programme status."""

    class Status(models.TextChoices):
        EU = "eu", _("EU member state")
        ASSOCIATED = "associated", _("Third country associated to the programme")
        NOT_ASSOCIATED = "not_associated", _("Third country not associated to the programme")

    iso2 = models.CharField(_("ISO code"), max_length=2, primary_key=True)
    name_sv = models.CharField(_("name (Swedish)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    programme_status = models.CharField(
        _("programme status"), max_length=20, choices=Status.choices
    )

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name_sv"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self.name_sv, self.name_en)


class Place(models.Model):
    """A city of the gazetteer (GeoNames, 15,000 inhabitants or more), with coordinates."""

    geonameid = models.PositiveIntegerField(_("GeoNames id"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_sv = models.CharField(_("Swedish name"), max_length=200, blank=True)
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="places"
    )
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    population = models.PositiveIntegerField(_("population"), default=0)

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["-population"]
        indexes = [models.Index(fields=["country", "-population"], name="place_country_pop_idx")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The Swedish name on Swedish pages when it differs (Aten, Göteborg), else the name."""
        return in_language(self.name_sv, self.name)


class PlaceName(models.Model):
    """One way of writing a place's name, folded for search: "goteborg", "gothenburg", "aten"."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="names")
    folded = models.CharField(max_length=200, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["place", "folded"], name="placename_once_per_place")
        ]

    def __str__(self) -> str:
        return self.folded


class Sourced(models.Model):
    """Where a value comes from, and whether a primary source confirmed it for its year."""

    source = models.TextField(_("source"), help_text=_("A link or a reference to the text."))
    verified = models.BooleanField(
        _("verified"),
        default=False,
        help_text=_("Untick when no primary source confirms the value; the app then says so."),
    )

    class Meta:
        abstract = True


class CallYear(models.Model):
    """One Erasmus+ call (project) year with the programme's own rules for staff training."""

    year = models.PositiveSmallIntegerField(_("call year"), primary_key=True)
    programme_min_days = models.PositiveSmallIntegerField(_("programme minimum (days)"))
    programme_max_days = models.PositiveSmallIntegerField(_("programme maximum (days)"))
    duration_source = models.TextField(_("source of the duration"))
    duration_verified = models.BooleanField(_("duration verified"), default=False)
    travel_days_standard = models.PositiveSmallIntegerField(
        _("funded travel days, standard travel")
    )
    travel_days_green = models.PositiveSmallIntegerField(_("funded travel days, green travel"))
    # The programme guide names bus, train, bike and car-pooling; universities' own tests say
    # ships are not green. A call year whose rules count them says so here.
    boats_are_green = models.BooleanField(
        _("boats count as green travel"),
        default=False,
        help_text=_("Tick only when the call year's rules count a ship or ferry as green travel."),
    )
    travel_days_source = models.TextField(_("source of the travel days"))
    travel_days_verified = models.BooleanField(_("travel days verified"), default=False)
    reduced_from_day = models.PositiveSmallIntegerField(_("reduced rate from day"))
    reduced_share = models.DecimalField(
        _("reduced rate (share of the daily rate)"), max_digits=3, decimal_places=2
    )
    reduction_counts_travel_days = models.BooleanField(
        _("travel days count towards the reduced rate"), default=True
    )
    reduction_source = models.TextField(_("source of the reduced rate"))
    reduction_verified = models.BooleanField(_("reduced rate verified"), default=False)
    inclusion_organisation_eur = models.PositiveIntegerField(
        _("inclusion support to the organisation (EUR per participant)")
    )
    inclusion_source = models.TextField(_("source of the inclusion support"))
    inclusion_verified = models.BooleanField(_("inclusion support verified"), default=False)
    project_months = models.PositiveSmallIntegerField(_("project length (months from 1 June)"))
    project_source = models.TextField(_("source of the project period"))
    project_verified = models.BooleanField(_("project period verified"), default=False)

    class Meta:
        verbose_name = _("call year")
        verbose_name_plural = _("call years")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(programme_min_days__lte=models.F("programme_max_days")),
                name="callyear_min_not_above_max",
            ),
            models.CheckConstraint(
                condition=models.Q(travel_days_standard__lte=models.F("travel_days_green")),
                name="callyear_green_days_not_fewer",
            ),
            models.CheckConstraint(
                condition=models.Q(reduced_share__gt=0, reduced_share__lte=1),
                name="callyear_reduced_share_is_a_share",
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)


class CountryRule(models.Model):
    """Whether a country is a destination in a call year, its rate group, and any exception."""

    call_year = models.ForeignKey(
        CallYear, verbose_name=_("call year"), on_delete=models.CASCADE, related_name="countries"
    )
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="rules"
    )
    eligible = models.BooleanField(_("eligible destination in the programme"))
    eligible_source = models.TextField(_("source of the eligibility"))
    eligible_verified = models.BooleanField(_("eligibility verified"), default=False)
    group = models.PositiveSmallIntegerField(
        _("country group"),
        null=True,
        blank=True,
        choices=[(1, "1"), (2, "2"), (3, "3")],
        help_text=_("The group decides the daily rate of individual support."),
    )
    group_source = models.TextField(_("source of the group"), blank=True)
    group_verified = models.BooleanField(_("group verified"), default=False)
    exception_min_working_days = models.PositiveSmallIntegerField(
        _("institution exception: minimum working days"),
        null=True,
        blank=True,
        help_text=_(
            "For a country outside the programme that the university funds from its own "
            "allocation (e.g. the United Kingdom): the shortest stay it funds. Empty: no exception."
        ),
    )
    exception_source = models.TextField(_("source of the exception"), blank=True)
    exception_verified = models.BooleanField(_("exception verified"), default=False)

    class Meta:
        verbose_name = _("country rule")
        verbose_name_plural = _("country rules")
        ordering = ["-call_year", "country__name_sv"]
        constraints = [
            models.UniqueConstraint(
                fields=["call_year", "country"], name="countryrule_once_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.country_id} {self.call_year_id}"


class DistanceBand(Sourced):
    """Travel support for one band of one-way distance: standard and green amounts (EUR)."""

    call_year = models.ForeignKey(
        CallYear, verbose_name=_("call year"), on_delete=models.CASCADE, related_name="bands"
    )
    min_km = models.PositiveIntegerField(_("from (km)"))
    max_km = models.PositiveIntegerField(
        _("to (km)"), null=True, blank=True, help_text=_("Empty for the last band.")
    )
    standard_eur = models.PositiveIntegerField(_("standard travel (EUR)"))
    green_eur = models.PositiveIntegerField(
        _("green travel (EUR)"),
        null=True,
        blank=True,
        help_text=_("Empty when green travel gets the standard amount in this band."),
    )

    class Meta:
        verbose_name = _("distance band")
        verbose_name_plural = _("distance bands")
        ordering = ["-call_year", "min_km"]
        constraints = [
            models.UniqueConstraint(fields=["call_year", "min_km"], name="band_once_per_year"),
            models.CheckConstraint(
                condition=models.Q(max_km__isnull=True) | models.Q(max_km__gte=models.F("min_km")),
                name="band_max_not_below_min",
            ),
            models.CheckConstraint(
                condition=models.Q(green_eur__isnull=True)
                | models.Q(green_eur__gte=models.F("standard_eur")),
                name="band_green_not_below_standard",
            ),
        ]

    def __str__(self) -> str:
        end = "" if self.max_km is None else str(self.max_km)
        return f"{self.call_year_id}: {self.min_km}-{end} km"


class DailyRate(Sourced):
    """Individual support per day (EUR) for a country group in a call year."""

    call_year = models.ForeignKey(
        CallYear, verbose_name=_("call year"), on_delete=models.CASCADE, related_name="daily_rates"
    )
    group = models.PositiveSmallIntegerField(
        _("country group"), choices=[(1, "1"), (2, "2"), (3, "3")]
    )
    eur = models.PositiveIntegerField(_("EUR per day"))

    class Meta:
        verbose_name = _("daily rate")
        verbose_name_plural = _("daily rates")
        ordering = ["-call_year", "group"]
        constraints = [
            models.UniqueConstraint(fields=["call_year", "group"], name="dailyrate_once_per_group")
        ]

    def __str__(self) -> str:
        return f"{self.call_year_id}: {self.group}"


class InstitutionRules(models.Model):
    """The sending university's own limits for a call year; the stricter of these and the
    programme's applies."""

    call_year = models.OneToOneField(
        CallYear,
        verbose_name=_("call year"),
        on_delete=models.CASCADE,
        related_name="institution",
    )
    institution = models.CharField(_("institution"), max_length=200)
    home_country = models.ForeignKey(
        Country, verbose_name=_("home country"), on_delete=models.PROTECT, related_name="+"
    )
    origin_city = models.CharField(
        _("city trips start from"),
        max_length=200,
        help_text=_(
            "The sending university's city: the place of origin unless the traveller "
            "departs elsewhere."
        ),
    )
    min_days = models.PositiveSmallIntegerField(_("minimum (days)"))
    max_days = models.PositiveSmallIntegerField(_("maximum (days)"))
    duration_source = models.TextField(_("source of the duration"))
    duration_verified = models.BooleanField(_("duration verified"), default=False)
    job_shadowing_usual_days = models.PositiveSmallIntegerField(
        _("job shadowing: usual length (days)")
    )
    job_shadowing_source = models.TextField(_("source of the job-shadowing length"))
    job_shadowing_verified = models.BooleanField(_("job-shadowing length verified"), default=False)
    decision_lead_days = models.PositiveSmallIntegerField(_("decision lead time (days)"))
    decision_source = models.TextField(_("source of the lead time"))
    decision_verified = models.BooleanField(_("lead time verified"), default=False)
    max_hosts = models.PositiveSmallIntegerField(_("most hosts in one mobility"))
    max_km_between_hosts = models.PositiveIntegerField(
        _("hosts in different cities: less than (km) apart")
    )
    destinations_source = models.TextField(_("source of the destination rule"))
    destinations_verified = models.BooleanField(_("destination rule verified"), default=False)
    excludes_diplomatic_missions = models.BooleanField(_("diplomatic missions excluded as hosts"))
    diplomatic_source = models.TextField(_("source of the diplomatic-mission rule"))
    diplomatic_verified = models.BooleanField(_("diplomatic-mission rule verified"), default=False)
    first_time_priority = models.BooleanField(_("first-time applicants have priority"))
    priority_source = models.TextField(_("source of the priority rule"))
    priority_verified = models.BooleanField(_("priority rule verified"), default=False)

    class Meta:
        verbose_name = _("institution rules")
        verbose_name_plural = _("institution rules")
        ordering = ["-call_year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_days__lte=models.F("max_days")),
                name="institution_min_not_above_max",
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution} {self.call_year_id}"


class ApplicationWindow(Sourced):
    """A period of the year in which the university takes applications (month and day)."""

    call_year = models.ForeignKey(
        CallYear, verbose_name=_("call year"), on_delete=models.CASCADE, related_name="windows"
    )
    opens_month = models.PositiveSmallIntegerField(_("opens (month)"))
    opens_day = models.PositiveSmallIntegerField(_("opens (day)"))
    closes_month = models.PositiveSmallIntegerField(_("closes (month)"))
    closes_day = models.PositiveSmallIntegerField(_("closes (day)"))

    class Meta:
        verbose_name = _("application window")
        verbose_name_plural = _("application windows")
        ordering = ["-call_year", "opens_month", "opens_day"]
        constraints = [
            models.UniqueConstraint(
                fields=["call_year", "opens_month", "opens_day"], name="window_once_per_opening"
            ),
            models.CheckConstraint(
                condition=models.Q(opens_month__range=(1, 12), closes_month__range=(1, 12))
                & models.Q(opens_day__range=(1, 31), closes_day__range=(1, 31)),
                name="window_is_a_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.opens_day}/{self.opens_month}-{self.closes_day}/{self.closes_month}"


class PerDiem(Sourced):
    """Skatteverket's normalbelopp: the tax-free daily allowance abroad (SEK) for a tax year."""

    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="per_diems"
    )
    year = models.PositiveSmallIntegerField(_("tax year"))
    sek = models.PositiveIntegerField(_("SEK per day"))

    class Meta:
        verbose_name = _("per diem")
        verbose_name_plural = _("per diems")
        ordering = ["country__name_sv", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["country", "year"], name="perdiem_once_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.country_id} {self.year}"


class PerDiemRules(Sourced):
    """How the daily allowance is counted in a tax year: half days and free meals."""

    year = models.PositiveSmallIntegerField(_("tax year"), unique=True)
    half_day_share = models.DecimalField(
        _("departure and return day (share)"), max_digits=3, decimal_places=2
    )
    night_share = models.DecimalField(
        _("night allowance (share)"),
        max_digits=3,
        decimal_places=2,
        help_text=_("Used to estimate accommodation when no cost is entered."),
    )
    breakfast = models.DecimalField(_("reduction for breakfast"), max_digits=3, decimal_places=2)
    lunch_or_dinner = models.DecimalField(
        _("reduction for lunch or dinner"), max_digits=3, decimal_places=2
    )
    lunch_and_dinner = models.DecimalField(
        _("reduction for lunch and dinner"), max_digits=3, decimal_places=2
    )
    all_meals = models.DecimalField(_("reduction for all meals"), max_digits=3, decimal_places=2)

    class Meta:
        verbose_name = _("per diem rules")
        verbose_name_plural = _("per diem rules")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class ExchangeRate(Sourced):
    """How many kronor one euro costs, from a date on (set by an administrator)."""

    date = models.DateField(_("valid from"), unique=True)
    eur_sek = models.DecimalField(_("SEK per EUR"), max_digits=8, decimal_places=4)

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(condition=models.Q(eur_sek__gt=0), name="exchangerate_positive")
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.eur_sek}"
