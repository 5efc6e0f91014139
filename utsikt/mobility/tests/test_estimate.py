"""The planner's estimate reads the plan's own places, never a city looked up by name."""

from __future__ import annotations

from utsikt.accounts.models import User
from utsikt.catalogue.models import HostOrganisation
from utsikt.grants.calculation import great_circle_km
from utsikt.grants.gazetteer import point_of
from utsikt.grants.models import Place
from utsikt.mobility.estimate import Estimated, Incomplete, NoRates, Problems, estimate
from utsikt.mobility.factories import application


def test_a_host_in_a_town_sharing_its_name_with_a_bigger_one_is_costed_from_its_own_town(
    personas: dict[str, User],
) -> None:
    # The gazetteer has two Hamms in Germany: the city in Westphalia (about 179,000
    # inhabitants, some 570 km from Lund) and Hamburg's district (about 38,000, some 310 km).
    bigger, smaller = Place.objects.filter(name="Hamm", country_id="DE").order_by("-population")
    host = HostOrganisation.objects.create(
        slug="hamburg-hamm-library",
        name="Bücherhalle Hamm",
        kind="library",
        place=smaller,
        country_id="DE",
    )
    plan = application(applicant=personas["librarian"], hosts=[host])
    verdict = estimate(plan)
    assert isinstance(verdict, Estimated)
    origin, grant = verdict.estimate.trip.origin, verdict.estimate.grant
    assert grant.distance_km == great_circle_km(origin, point_of(smaller))
    assert grant.band.label == "100-499"
    assert not grant.band.contains(great_circle_km(origin, point_of(bigger)))


def test_the_origin_chosen_is_where_the_trip_starts(personas: dict[str, User]) -> None:
    plan = application(applicant=personas["librarian"])
    gothenburg = Place.objects.filter(name="Gothenburg", country_id="SE").get()
    plan.origin = gothenburg
    plan.save()
    verdict = estimate(plan)
    assert isinstance(verdict, Estimated)
    assert verdict.estimate.trip.origin == point_of(gothenburg)


def test_a_plan_without_hosts_or_dates_is_not_estimated_yet(personas: dict[str, User]) -> None:
    assert isinstance(estimate(application(applicant=personas["librarian"], hosts=[])), Incomplete)
    assert isinstance(estimate(application(applicant=personas["librarian"], end=None)), Incomplete)


def test_a_host_without_a_city_is_a_problem_to_fix(personas: dict[str, User]) -> None:
    nowhere = HostOrganisation.objects.create(
        slug="nowhere", name="Nowhere Institute", kind="university", country_id="PT"
    )
    verdict = estimate(application(applicant=personas["librarian"], hosts=[nowhere]))
    assert isinstance(verdict, Problems)
    assert "Nowhere Institute" in verdict.problems[0].message_en


def test_a_call_year_without_rates_says_so(personas: dict[str, User]) -> None:
    plan = application(applicant=personas["librarian"], call_year=1999)
    assert estimate(plan) == NoRates(1999)
