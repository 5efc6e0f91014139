"""The dashboard's figures: the pipeline with lead times from the transitions, mobilities by
country, staff category, department, activity and month, and the shares of first-timers,
green travel and blended mobility. Each is one aggregate query, whatever the number of
mobilities."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Avg, CharField, Count, Q
from django.db.models.functions import Cast, Substr
from django.utils import dateformat
from django.utils.translation import gettext_lazy as _

from utsikt.accounts.models import StaffCategory
from utsikt.core import formatting
from utsikt.core.language import in_language, is_english
from utsikt.grants.models import Country
from utsikt.mobility.models import (
    PLANNED_ACTIVITIES,
    Application,
    ApplicationQuerySet,
    Status,
    TravelMode,
)


@dataclass(frozen=True)
class Chart:
    """One chart: a title, a sentence that describes it, and its (label, value) rows."""

    slug: str
    title: str
    description: str
    unit: str
    rows: list[tuple[str, float]]

    @property
    def total(self) -> float:
        return sum(value for _label, value in self.rows)


# The steps whose lead times the pipeline shows: from one status to the next.
STEPS = [
    (Status.SUBMITTED, Status.MANAGER_APPROVED, _("Manager's decision")),
    (Status.MANAGER_APPROVED, Status.GRANTED, _("International Office's grant")),
    (Status.GRANTED, Status.SIGNED, _("Mobility Agreement signed")),
    (Status.COMPLETED, Status.SETTLED, _("Back home to settled")),
]


def pipeline(applications: ApplicationQuerySet) -> Chart:
    counts = dict(applications.order_by().values_list("status").annotate(n=Count("pk")))
    rows = [
        (str(label), float(counts.get(status, 0)))
        for status, label in Status.choices
        if status != Status.DRAFT
    ]
    return Chart(
        "pipeline",
        str(_("Mobilities per status")),
        str(_("How many mobilities are in each step of the workflow.")),
        str(_("mobilities")),
        rows,
    )


def lead_times(applications: ApplicationQuerySet) -> Chart:
    """The average days each step took, read from the transitions (one query per step)."""
    rows = []
    for start, end, label in STEPS:
        average = (
            applications.with_lead_time(start=start, end=end)
            .order_by()
            .aggregate(average=Avg("lead_time"))["average"]
        )
        days = _days(average)
        rows.append((str(label), days))
    return Chart(
        "lead-times",
        str(_("Lead time per step")),
        str(_("The average number of days each step took, from the history of each mobility.")),
        str(_("days")),
        rows,
    )


def _days(value: object) -> float:
    if value is None:
        return 0.0
    if isinstance(value, datetime.timedelta):
        return round(value.total_seconds() / 86400, 1)
    # SQLite averages a duration as microseconds.
    return round(float(str(value)) / 86_400_000_000, 1)


def _count_chart(slug: str, title: str, description: str, rows: list[tuple[str, float]]) -> Chart:
    return Chart(slug, title, description, str(_("mobilities")), rows)


def by_country(applications: ApplicationQuerySet) -> Chart:
    through = Application.hosts.through.objects.filter(application__in=applications)
    counted = (
        through.order_by()
        .values("hostorganisation__country")
        .annotate(n=Count("application", distinct=True))
        .order_by("-n")
    )
    counts = {row["hostorganisation__country"]: row["n"] for row in counted}
    names = {c.pk: c.name for c in Country.objects.filter(pk__in=list(counts))}
    return _count_chart(
        "countries",
        str(_("Mobilities by host country")),
        str(_("How many mobilities go to each country, by their hosts.")),
        [(names.get(code, str(code)), float(n)) for code, n in counts.items()],
    )


def by_staff_category(applications: ApplicationQuerySet) -> Chart:
    labels = dict(StaffCategory.choices)
    counted = (
        applications.order_by()
        .values_list("applicant__staff_category")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    return _count_chart(
        "staff-categories",
        str(_("Mobilities by staff category")),
        str(_("How many mobilities each kind of staff takes.")),
        [(str(labels.get(code, _("Not given"))), float(n)) for code, n in counted],
    )


def by_department(applications: ApplicationQuerySet) -> Chart:
    counted = (
        applications.order_by()
        .values_list("department__name_sv", "department__name_en")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    return _count_chart(
        "departments",
        str(_("Mobilities by department")),
        str(_("How many mobilities each department has.")),
        [(in_language(sv, en), float(n)) for sv, en, n in counted],
    )


def by_activity(applications: ApplicationQuerySet) -> Chart:
    labels = dict(PLANNED_ACTIVITIES)
    counted = applications.order_by().values_list("activity").annotate(n=Count("pk"))
    return _count_chart(
        "activities",
        str(_("Mobilities by activity")),
        str(_("How many mobilities are job shadowing, staff weeks, courses and so on.")),
        [(str(labels.get(code, code)), float(n)) for code, n in counted],
    )


def _month(value: datetime.date) -> str:
    return dateformat.format(value, "M Y" if is_english() else "b Y")


def by_month(applications: ApplicationQuerySet) -> Chart:
    # The month as the first seven characters of the ISO date: SQLite's own date functions
    # run as Python per row (a second for 30,000 rows), the text is cut in the database.
    counted = (
        applications.exclude(start=None)
        .order_by()
        .annotate(month=Substr(Cast("start", output_field=CharField()), 1, 7))
        .values_list("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    return _count_chart(
        "months",
        str(_("Mobilities by month")),
        str(_("How many mobilities begin in each month.")),
        [
            (_month(datetime.date.fromisoformat(f"{month}-01")), float(n))
            for month, n in counted
            if month
        ],
    )


def shares(applications: ApplicationQuerySet) -> Chart:
    """The shares, in per cent, of first-timers, green travel and blended mobility."""
    found = applications.order_by().aggregate(
        total=Count("pk"),
        first=Count("pk", filter=Q(first_time=True)),
        green=Count("pk", filter=Q(travel_mode__in=sorted(TravelMode.green()))),
        blended=Count("pk", filter=Q(virtual_start__isnull=False) | ~Q(virtual_description="")),
    )
    total = found["total"] or 0

    def share(n: int) -> float:
        return float((Decimal(n) * 100 / total).quantize(Decimal("0.1"))) if total else 0.0

    return Chart(
        "shares",
        str(_("First-timers, green travel and blended mobility")),
        str(
            _(
                "The share of mobilities, in per cent, that are a first Erasmus+ grant, "
                "travel green or have a virtual part."
            )
        ),
        "%",
        [
            (str(_("First Erasmus+ grant")), share(found["first"])),
            (str(_("Green travel")), share(found["green"])),
            (str(_("Blended mobility")), share(found["blended"])),
        ],
    )


def cached_charts(applications: ApplicationQuerySet, key: str) -> list[Chart]:
    """The charts, kept for UTSIKT_REPORT_CACHE_SECONDS under `key` (the person's scope, the
    filters and the language): statistics a minute old are fine, and at 100,000 mobilities
    the aggregates take seconds on SQLite."""
    seconds = settings.UTSIKT_REPORT_CACHE_SECONDS
    if seconds <= 0:
        return charts(applications)
    found: list[Chart] | None = cache.get(key)
    if found is None:
        found = charts(applications)
        cache.set(key, found, seconds)
    return found


def charts(applications: ApplicationQuerySet) -> list[Chart]:
    """Every chart of the dashboard, for these mobilities."""
    return [
        pipeline(applications),
        lead_times(applications),
        shares(applications),
        by_country(applications),
        by_staff_category(applications),
        by_department(applications),
        by_activity(applications),
        by_month(applications),
    ]


def chart(applications: ApplicationQuerySet, slug: str) -> Chart | None:
    """One chart by its slug, computed alone (for its export)."""
    makers = {
        "pipeline": pipeline,
        "lead-times": lead_times,
        "shares": shares,
        "countries": by_country,
        "staff-categories": by_staff_category,
        "departments": by_department,
        "activities": by_activity,
        "months": by_month,
    }
    maker = makers.get(slug)
    return maker(applications) if maker else None


# --- drawing ----------------------------------------------------------------------------------

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 250
BAR_WIDTH = 300
VALUE_WIDTH = 70


@dataclass(frozen=True)
class Bar:
    y: int
    text_y: int
    width: int
    value_x: int
    label: str
    value: str


@dataclass(frozen=True)
class Drawing:
    """A horizontal bar chart's geometry, for reporting/_chart.html to write as SVG."""

    chart: Chart
    bars: list[Bar]
    width: int
    height: int
    table: list[tuple[str, str]]
    bar_x: int
    label_x: int
    bar_height: int


def _shown(value: float) -> str:
    return formatting.number(value, 1 if value != int(value) else 0)


def draw(chart: Chart) -> Drawing:
    """Bars scaled to the largest value; the labels and values as text beside them."""
    largest = max((value for _label, value in chart.rows), default=0) or 1
    bars = []
    for index, (label, value) in enumerate(chart.rows):
        y = GAP + index * (BAR_HEIGHT + GAP)
        shown = _shown(value)
        bars.append(
            Bar(
                y=y,
                text_y=y + BAR_HEIGHT - 6,
                width=(width := max(1, round(value / largest * BAR_WIDTH)) if value else 0),
                value_x=LABEL_WIDTH + width + 6,
                label=label if len(label) <= 30 else label[:29] + "…",
                value=f"{shown} {chart.unit}".strip() if chart.unit == "%" else shown,
            )
        )
    return Drawing(
        chart=chart,
        bars=bars,
        width=LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH,
        height=GAP + max(1, len(bars)) * (BAR_HEIGHT + GAP),
        # The data beside the chart: full labels, values written as the language writes them.
        table=[(label, _shown(value)) for label, value in chart.rows],
        bar_x=LABEL_WIDTH,
        label_x=LABEL_WIDTH - 8,
        bar_height=BAR_HEIGHT,
    )
