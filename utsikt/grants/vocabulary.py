"""The words the rules are written in: activities, kinds of host, meals provided.

Defined here, where the rules that read them live, and imported by the catalogue, the
planner and the forms, so that a host kind or an activity means the same everywhere.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Activity(models.TextChoices):
    """What the staff member does at the host."""

    JOB_SHADOWING = "job_shadowing", _("Job shadowing")
    STAFF_WEEK = "staff_week", _("Staff week")
    TRAINING_COURSE = "training_course", _("Training course")
    STUDY_VISIT = "study_visit", _("Study visit")
    # Asked about often, never eligible: the rules say so rather than the form hiding it.
    CONFERENCE = "conference", _("Conference")


class HostKind(models.TextChoices):
    """What kind of organisation a host is; the programme excludes some kinds."""

    UNIVERSITY = "university", _("University or higher education institution")
    COMPANY = "company", _("Company")
    PUBLIC_BODY = "public_body", _("Public body")
    NGO = "ngo", _("Non-governmental organisation")
    LIBRARY = "library", _("Library")
    PUBLISHER = "publisher", _("Publisher")
    MUSEUM = "museum", _("Museum")
    EU_INSTITUTION = "eu_institution", _("EU institution or body")
    EU_PROGRAMME_BODY = "eu_programme_body", _("Organisation managing EU programmes")
    DIPLOMATIC_MISSION = "diplomatic_mission", _("Embassy or consulate")
    OTHER = "other", _("Other organisation")


class Meals(models.TextChoices):
    """The meals the host provides every day; each reduces the daily allowance."""

    NONE = "none", _("No meals")
    BREAKFAST = "breakfast", _("Breakfast")
    LUNCH_OR_DINNER = "lunch_or_dinner", _("Lunch or dinner")
    LUNCH_AND_DINNER = "lunch_and_dinner", _("Lunch and dinner")
    ALL_MEALS = "all_meals", _("All meals")
