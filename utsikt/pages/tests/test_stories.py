"""Stories: offered by the returnee with consent, edited and published by the office, photos
checked and re-encoded, a filterable list, and the way on to the catalogue."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from utsikt.accounts.models import User
from utsikt.core.actors import Actor
from utsikt.core.models import Event
from utsikt.mobility.factories import application
from utsikt.mobility.models import Application, Status
from utsikt.pages import editing
from utsikt.pages.models import Story

pytestmark = pytest.mark.django_db
Clients = Callable[[str | None], Client]
OFFER = {"title_sv": "Min vecka i Porto", "body_sv": "Jag lärde mig *mycket*.", "consent": "on"}


def offer_url(mobility: Application) -> str:
    return reverse("pages:offer_story", kwargs={"pk": mobility.pk})


def test_a_returnee_offers_the_story_of_their_mobility_with_consent(
    returned: Application, client_for: Clients
) -> None:
    client = client_for("librarian")
    response = client.post(offer_url(returned), OFFER)
    assert response.status_code == 302
    story = Story.objects.get(application=returned)
    assert story.status == Story.Status.OFFERED and story.consent_at is not None
    assert story.person_name == "Maja Lindqvist" and story.staff_category == "librarian"
    assert story.host is not None and story.country_id == "PT"
    assert Event.objects.about(story).get().action == "story.offered"
    # Not public until the office publishes it.
    assert Client().get(reverse("pages:story", kwargs={"slug": story.slug})).status_code == 404


def test_without_consent_nothing_is_offered(returned: Application, client_for: Clients) -> None:
    response = client_for("librarian").post(offer_url(returned), {**OFFER, "consent": ""})
    assert response.status_code == 200
    assert not Story.objects.exists()


@pytest.mark.parametrize("status", [Status.DRAFT, Status.GRANTED, Status.TRAVELLING])
def test_only_a_mobility_that_came_home_can_be_offered(
    status: str, personas: dict[str, User], client_for: Clients
) -> None:
    mobility = application(applicant=personas["librarian"], status=status)
    assert client_for("librarian").get(offer_url(mobility)).status_code == 404


def test_nobody_offers_a_colleagues_story(returned: Application, client_for: Clients) -> None:
    assert client_for("officer_ht").post(offer_url(returned), OFFER).status_code == 404
    assert client_for("head_libraries").get(offer_url(returned)).status_code == 404
    assert not Story.objects.exists()


def test_the_office_edits_and_publishes_an_offered_story(
    returned: Application, personas: dict[str, User], client_for: Clients
) -> None:
    client_for("librarian").post(offer_url(returned), OFFER)
    story = Story.objects.get()
    officer = client_for("officer_ht")
    assert story.title in officer.get(reverse("pages:office_home")).content.decode()
    officer.post(reverse("pages:story_publish", kwargs={"slug": story.slug}))
    page = Client().get(reverse("pages:story", kwargs={"slug": story.slug}))
    assert page.status_code == 200
    assert "<em>mycket</em>" in page.content.decode()
    # Once published, the returnee can no longer replace its text.
    client_for("librarian").post(offer_url(returned), {**OFFER, "title_sv": "Ny"})
    story.refresh_from_db()
    assert story.title_sv == "Min vecka i Porto"


def _png(size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (20, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def _story_form(**extra: object) -> dict[str, object]:
    return {
        "title_sv": "Bibliotekarien i Aten",
        "title_en": "The librarian in Athens",
        "person_name": "Anna A",
        "staff_category": "librarian",
        "photo_alt_sv": "Anna framför biblioteket",
        "photo_alt_en": "Anna in front of the library",
        **extra,
    }


def test_a_photo_is_re_encoded_and_shown_with_its_description(
    client_for: Clients, settings: object, tmp_path: object
) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    upload = SimpleUploadedFile("photo.png", _png() + b"<script>trailing</script>", "image/png")
    officer = client_for("officer_ht")
    response = officer.post(reverse("pages:story_create"), _story_form(photo=upload))
    assert response.status_code == 302, response.content.decode()[:2000]
    story = Story.objects.get()
    with story.photo.open("rb") as stored:
        data = stored.read()
    assert data.startswith(b"\xff\xd8") and b"script" not in data  # a fresh JPEG
    editing.publish_story(story=story, actor=Actor.of(officer_user(client_for)))
    page = Client().get(reverse("pages:story", kwargs={"slug": story.slug})).content.decode()
    assert 'alt="Anna framför biblioteket"' in page
    photo = Client().get(reverse("pages:story_photo", kwargs={"slug": story.slug}))
    assert photo["Content-Type"] == "image/jpeg"


def officer_user(client_for: Clients) -> User:
    return User.objects.get(email="sofia.almgren@example.org")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.png", b"<html><script>alert(1)</script></html>"),
        ("photo.jpg", b"GIF89a" + b"\x00" * 100),
        ("photo.pdf", b"%PDF-1.7\n"),
    ],
)
def test_an_upload_that_is_not_a_photo_is_refused(
    name: str, content: bytes, client_for: Clients, settings: object, tmp_path: object
) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    upload = SimpleUploadedFile(name, content, "image/png")
    response = client_for("officer_ht").post(
        reverse("pages:story_create"), _story_form(photo=upload)
    )
    assert response.status_code == 200
    assert not Story.objects.exists()


def test_a_photo_needs_its_description_in_both_languages(
    client_for: Clients, settings: object, tmp_path: object
) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    upload = SimpleUploadedFile("photo.png", _png(), "image/png")
    response = client_for("officer_ht").post(
        reverse("pages:story_create"), _story_form(photo=upload, photo_alt_en="")
    )
    assert response.status_code == 200
    assert not Story.objects.exists()


def test_the_list_filters_by_staff_category_country_and_host(personas: dict[str, User]) -> None:
    from utsikt.pages import demo

    demo.load_stories()
    everything = Client().get(reverse("pages:stories")).content.decode()
    assert "Ekonomen som lärde sig prognoser i Aten" in everything
    assert "Bibliotekarien som gick en kurs i Oxford" in everything
    librarians = Client().get(reverse("pages:stories") + "?category=librarian").content.decode()
    assert "Oxford" in librarians and "Ekonomen som" not in librarians
    greece = Client().get(reverse("pages:stories") + "?country=GR").content.decode()
    assert "Ekonomen som" in greece and "Oxford</a>" not in greece


def test_go_where_they_went_leads_to_the_catalogue(personas: dict[str, User]) -> None:
    from utsikt.pages import demo

    demo.load_stories()
    athens = Story.objects.get(slug="economist-in-athens")
    assert editing.unique_slug("x", Story)  # a slug is always found
    from utsikt.pages.views import catalogue_link

    if athens.host is not None:
        assert catalogue_link(athens).startswith("/catalogue/")
    oxford = Story.objects.get(slug="librarian-in-oxford")
    link = catalogue_link(oxford)
    assert link.startswith(reverse("catalogue:search")) and "category=librarian" in link
    page = Client().get(reverse("pages:story", kwargs={"slug": oxford.slug})).content.decode()
    assert "no longer part of Erasmus+" in page or "inte längre med i Erasmus+" in page
