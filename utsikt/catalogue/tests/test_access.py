"""Who sees and curates what, on real objects: the demo catalogue loaded.

The central role matrix (routes.py) checks every route with slugs that do not exist; here the
same routes meet real opportunities and hosts of both faculties.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from utsikt.accounts.models import User
from utsikt.catalogue import access, curation, demo
from utsikt.catalogue.models import HostOrganisation, Opportunity, SavedSearch
from utsikt.core.testing import LOGIN, PERSONAS

ClientFor = Callable[[str | None], Client]
PORTO = demo.PORTO_LIBRARY_WEEK  # curated by faculty "ht"
DRAFT = "draft-staff-week-ghent"  # a draft of faculty "s"


def statuses(client_for: ClientFor, url: str, method: str = "get") -> dict[str, int]:
    found = {}
    for persona in [*PERSONAS, "officer_s"]:
        client = client_for(None if persona == "anonymous" else persona)
        found[persona] = getattr(client, method)(url).status_code
    return found


def only(status: int, default: int, **people: int) -> dict[str, int]:
    return {p: people.get(p, default) for p in [*PERSONAS, "officer_s"]} | {"anonymous": status}


# Hosts are shared: any international officer curates them.
PORTO_UNIVERSITY = "university-of-porto"
CURATORS = only(LOGIN, 403, officer_ht=200, officer_s=200, admin=200)


@pytest.mark.parametrize(
    ("name", "slug", "expected"),
    [
        ("catalogue:opportunity_detail", PORTO, only(200, 200)),
        ("catalogue:opportunity_ics", PORTO, only(200, 200)),
        ("catalogue:opportunity_detail", DRAFT, only(404, 404, officer_s=200, admin=200)),
        ("catalogue:opportunity_ics", DRAFT, only(404, 404, officer_s=200, admin=200)),
        (
            "catalogue:opportunity_edit",
            PORTO,
            only(LOGIN, 403, officer_ht=200, officer_s=404, admin=200),
        ),
        (
            "catalogue:opportunity_edit",
            DRAFT,
            only(LOGIN, 403, officer_ht=404, officer_s=200, admin=200),
        ),
        ("catalogue:host_detail", PORTO_UNIVERSITY, only(200, 200)),
        ("catalogue:host_edit", PORTO_UNIVERSITY, CURATORS),
        ("catalogue:host_merge", PORTO_UNIVERSITY, CURATORS),
        ("catalogue:agreement_add", PORTO_UNIVERSITY, CURATORS),
    ],
)  # fmt: skip
def test_each_role_meets_real_objects_as_the_matrix_says(
    catalogue: dict[str, int],
    client_for: ClientFor,
    name: str,
    slug: str,
    expected: dict[str, int],
) -> None:
    assert statuses(client_for, reverse(name, kwargs={"slug": slug})) == expected


def test_officers_edit_only_their_own_facultys_opportunities(
    catalogue: dict[str, int], client_for: ClientFor, personas: dict[str, User]
) -> None:
    porto = Opportunity.objects.get(slug=PORTO)
    url = reverse("catalogue:opportunity_edit", kwargs={"slug": PORTO})
    form = {"title_en": "Taken over", "kind": porto.kind, "host": porto.host_id}
    assert client_for("officer_s").post(url, form).status_code == 404
    with pytest.raises(PermissionDenied):
        curation.save_opportunity(opportunity=porto, by=personas["officer_s"])
    porto.refresh_from_db()
    assert porto.title_en != "Taken over"


def test_an_officer_cannot_move_an_opportunity_into_another_faculty(
    catalogue: dict[str, int], personas: dict[str, User]
) -> None:
    draft = Opportunity.objects.get(slug=DRAFT)
    draft.faculty = personas["officer_ht"].roles.get().unit
    with pytest.raises(PermissionDenied):
        curation.save_opportunity(opportunity=draft, by=personas["officer_ht"])


def test_an_officer_edits_publishes_and_cancels_their_own(
    catalogue: dict[str, int], client_for: ClientFor
) -> None:
    client = client_for("officer_s")
    draft = Opportunity.objects.get(slug=DRAFT)
    data = {
        "kind": draft.kind,
        "title_en": "Student Services Staff Week in Ghent",
        "host": draft.host_id,
        "faculty": draft.faculty_id,
        "start_date": draft.start_date.isoformat(),
        "end_date": draft.end_date.isoformat(),
        "fee": "0",
        "currency": "EUR",
        "staff_categories": ["study_adviser"],
    }
    response = client.post(reverse("catalogue:opportunity_edit", kwargs={"slug": DRAFT}), data)
    assert response.status_code == 302
    assert (
        client_for(None)
        .get(reverse("catalogue:opportunity_detail", kwargs={"slug": DRAFT}))
        .status_code
        == 404
    )
    client.post(reverse("catalogue:opportunity_publish", kwargs={"slug": DRAFT}))
    assert (
        client_for(None)
        .get(reverse("catalogue:opportunity_detail", kwargs={"slug": DRAFT}))
        .status_code
        == 200
    )
    assert (
        client_for("officer_ht")
        .post(reverse("catalogue:opportunity_cancel", kwargs={"slug": DRAFT}))
        .status_code
        == 404
    )
    client.post(reverse("catalogue:opportunity_cancel", kwargs={"slug": DRAFT}))
    assert Opportunity.objects.get(slug=DRAFT).status == Opportunity.Status.CANCELLED


def test_publishing_twice_at_once_publishes_once(catalogue: dict[str, int]) -> None:
    draft = Opportunity.objects.get(slug=DRAFT)
    stale = Opportunity.objects.get(slug=DRAFT)
    curation.publish(opportunity=draft, by=None)
    with pytest.raises(curation.CurationError):
        curation.publish(opportunity=stale, by=None)


def test_a_proposed_host_is_seen_by_its_proposer_and_the_curators_only(
    catalogue: dict[str, int], client_for: ClientFor, personas: dict[str, User]
) -> None:
    proposed = HostOrganisation.objects.get(proposed_by=personas["librarian"], kind="library")
    url = reverse("catalogue:host_detail", kwargs={"slug": proposed.slug})
    assert statuses(client_for, url) == only(
        404, 404, librarian=200, officer_ht=200, officer_s=200, admin=200
    )


def test_staff_propose_hosts_and_officers_approve_them(
    client_for: ClientFor, personas: dict[str, User]
) -> None:
    response = client_for("librarian").post(
        reverse("catalogue:host_propose"),
        {"name": "Biblioteca Nacional", "kind": "library", "country": "PT", "city": "Lisboa"},
    )
    host = HostOrganisation.objects.get(name="Biblioteca Nacional")
    assert response.status_code == 302
    assert (host.status, host.place and host.place.name) == ("proposed", "Lisbon")
    client_for("officer_s").post(reverse("catalogue:host_approve", kwargs={"slug": host.slug}))
    host.refresh_from_db()
    assert host.status == "approved"


def test_a_city_unknown_in_that_country_is_refused(client_for: ClientFor) -> None:
    response = client_for("librarian").post(
        reverse("catalogue:host_propose"),
        {"name": "Somewhere", "kind": "ngo", "country": "PT", "city": "Gothenburg"},
    )
    assert response.status_code == 200
    assert not HostOrganisation.objects.filter(name="Somewhere").exists()


def _feed_url(saved: SavedSearch) -> str:
    return reverse("catalogue:feed", kwargs={"token": access.feed_token(saved)})


def test_calendar_addresses_made_before_core_signing_keep_working(
    catalogue: dict[str, int], client_for: ClientFor, personas: dict[str, User]
) -> None:
    from django.core.signing import Signer

    saved = SavedSearch.objects.create(
        user=personas["librarian"], name="Libraries", query="q=librarian"
    )
    # How the addresses that calendar apps are subscribed to were signed until now.
    token = Signer(salt="utsikt.catalogue.feed").sign_object({"s": saved.pk, "k": saved.feed_key})
    assert access.feed_token(saved) == token
    feed = client_for(None).get(reverse("catalogue:feed", kwargs={"token": token}))
    assert feed.status_code == 200


def test_a_saved_search_is_a_calendar_feed_behind_a_signed_revocable_address(
    catalogue: dict[str, int], client_for: ClientFor, personas: dict[str, User]
) -> None:
    client = client_for("librarian")
    client.post(
        reverse("catalogue:saved_searches"),
        {"name": "Libraries", "query": "q=librarian&country=PT"},
    )
    saved = SavedSearch.objects.get(user=personas["librarian"])
    feed = client_for(None).get(_feed_url(saved))
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in feed.content.decode()

    token = access.feed_token(saved)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert (
        client_for(None).get(reverse("catalogue:feed", kwargs={"token": tampered})).status_code
        == 404
    )

    old = _feed_url(saved)
    client.post(reverse("catalogue:saved_search_renew", kwargs={"pk": saved.pk}))
    assert client_for(None).get(old).status_code == 404
    saved.refresh_from_db()
    renewed = _feed_url(saved)
    assert client_for(None).get(renewed).status_code == 200

    assert (
        client_for("economist")
        .post(reverse("catalogue:saved_search_delete", kwargs={"pk": saved.pk}))
        .status_code
        == 404
    )
    client.post(reverse("catalogue:saved_search_delete", kwargs={"pk": saved.pk}))
    assert client_for(None).get(renewed).status_code == 404


def test_write_functions_refuse_people_without_the_right(
    catalogue: dict[str, int], personas: dict[str, User]
) -> None:
    host = HostOrganisation.objects.get(slug="university-of-porto")
    other = HostOrganisation.objects.get(slug="university-of-coimbra")
    calls: list[Callable[[], Any]] = [
        lambda: curation.approve_host(host=host, by=personas["librarian"]),
        lambda: curation.merge_hosts(keep=host, duplicate=other, by=personas["head_libraries"]),
        lambda: curation.save_host(host=host, by=personas["finance_ht"]),
        lambda: curation.publish(
            opportunity=Opportunity.objects.get(slug=DRAFT), by=personas["officer_ht"]
        ),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
