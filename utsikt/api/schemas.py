"""The shapes the API answers with, which the OpenAPI schema publishes."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Field, Schema


class Problem(Schema):
    field: str
    message_sv: str
    message_en: str


class Error(Schema):
    """Every refusal: a code for programs and a message in both languages for people."""

    error: str
    message_sv: str
    message_en: str
    problems: list[Problem] | None = None


class InvalidTrip(Schema):
    """The estimate's own refusal of a trip: one problem per field."""

    error: str
    problems: list[Problem]


class Host(Schema):
    slug: str
    name: str
    local_name: str
    kind: str
    country: str = Field(description="ISO 3166-1 alpha-2")
    city: str | None
    website: str
    erasmus_code: str
    partner_until: int | None


class Opportunity(Schema):
    slug: str
    kind: str
    status: str
    title_sv: str
    title_en: str
    description_sv: str
    description_en: str
    host: str = Field(description="the host's slug")
    country: str
    city: str | None
    start_date: datetime.date | None = Field(
        description="empty only on a draft whose dates are not known yet"
    )
    end_date: datetime.date | None
    dates_approximate: bool = Field(description="only the month is known")
    deadline: datetime.date | None
    fee: str | None = Field(
        description="a decimal number as text; 0 when free, empty when the host does not say"
    )
    currency: str
    places: int | None
    languages: list[str]
    topics: list[str]
    staff_categories: list[str]
    registration_url: str


class Page(Schema):
    count: int
    limit: int
    offset: int


class OpportunityPage(Page):
    items: list[Opportunity]


class HostPage(Page):
    items: list[Host]


class Transition(Schema):
    from_status: str
    to_status: str
    at: datetime.datetime
    comment: str


class Application(Schema):
    id: int
    status: str
    status_label: str
    version: int
    call_year: int
    activity: str
    department: str | None
    opportunity: str | None
    hosts: list[str]
    start: datetime.date | None
    end: datetime.date | None
    travel_out: datetime.date | None
    travel_back: datetime.date | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    actions: list[str] = Field(description="the workflow actions you may take now")
    estimate: dict[str, Any] = Field(description="the estimate kept from the submission")


class ApplicationDetail(Application):
    objectives: str
    added_value: str
    activities: str
    outcomes: str
    work_cover: str
    history: list[Transition]


class ApplicationList(Schema):
    count: int
    items: list[Application]


class ActionIn(Schema):
    comment: str = Field("", max_length=2000)
    override_reason: str = Field("", max_length=2000)
    version: int | None = Field(None, ge=1, le=2_147_483_647)
