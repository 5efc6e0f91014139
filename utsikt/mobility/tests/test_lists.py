"""The lists' rules, read through QuerySet methods and the planner: filters, trips, pairing."""

from __future__ import annotations

import datetime

from utsikt.accounts.models import User
from utsikt.grants.gazetteer import find_places
from utsikt.mobility import planning
from utsikt.mobility.factories import application, host
from utsikt.mobility.models import Application, Status

ATHENS = {"name": "University of Athens", "city": "Athens", "country": "GR"}


def _visible(personas: dict[str, User], *keys: str) -> dict[str, Application]:
    return {
        key: application(
            applicant=personas[key], status=Status.SUBMITTED, visible_to_colleagues=True
        )
        for key in keys
    }


def test_colleagues_are_paired_by_role_or_an_administrative_with_an_academic(
    personas: dict[str, User],
) -> None:
    plans = _visible(personas, "librarian", "economist", "head_kultur")
    visible = Application.objects.visible_to_colleagues()

    def suggested(key: str) -> set[Application]:
        return set(
            planning.suggested_companions(visible.exclude(applicant=personas[key]), personas[key])
        )

    # A librarian meets a teacher (academic); the economist has another role.
    assert suggested("librarian") == {plans["head_kultur"]}
    # A researcher is paired with administrative colleagues, not with another academic.
    assert suggested("head_sol") == {plans["librarian"], plans["economist"]}


def test_the_office_filters_narrow_the_pipeline_and_empty_ones_leave_it(
    personas: dict[str, User],
) -> None:
    porto = application(applicant=personas["librarian"], status=Status.SUBMITTED)
    athens = application(
        applicant=personas["economist"],
        status=Status.MANAGER_APPROVED,
        activity="staff_week",
        hosts=[host(**ATHENS)],
    )
    everything = Application.objects.all()
    assert set(everything.filtered()) == {porto, athens}
    assert list(everything.filtered(country="GR")) == [athens]
    assert list(everything.filtered(status=Status.SUBMITTED, country="PT")) == [porto]
    assert list(everything.filtered(activity="staff_week", call_year=2026)) == [athens]
    assert list(everything.filtered(department="kultur")) == [athens]
    assert not everything.filtered(call_year=2031).exists()


def test_a_trip_is_shared_with_colleagues_going_to_the_same_city(personas: dict[str, User]) -> None:
    mine = application(applicant=personas["librarian"], status=Status.SUBMITTED)
    same_city = _visible(personas, "economist")["economist"]
    elsewhere = application(
        applicant=personas["study_adviser"],
        status=Status.SUBMITTED,
        visible_to_colleagues=True,
        hosts=[host(**ATHENS)],
        start=datetime.date(2027, 6, 1),
        end=datetime.date(2027, 6, 4),
    )
    visible = Application.objects.visible_to_colleagues().exclude(applicant=personas["librarian"])
    shared = visible.sharing_a_trip_with(Application.objects.filter(pk=mine.pk))
    assert list(shared) == [same_city]
    assert list(visible.with_host(place__in=find_places("Athens", "GR"))) == [elsewhere]
    assert set(visible.with_host(country_id="PT")) == {same_city}
