"""Countries and the gazetteer of places; rates and rules per call year."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


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
        return self.name_en if get_language() == "en" else self.name_sv


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
        return self.name_sv if self.name_sv and get_language() != "en" else self.name


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
