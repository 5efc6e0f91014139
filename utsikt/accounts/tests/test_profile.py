from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from utsikt.accounts.models import User


def test_staff_keep_their_profile_up_to_date(
    personas: dict[str, User], client_for: Callable[[str | None], Client]
) -> None:
    client = client_for("librarian")
    response = client.post(
        reverse("accounts:profile"),
        {
            "first_name": "Maja",
            "last_name": "Lindqvist",
            "job_title": "Bibliotekarie",
            "staff_category": "librarian",
            "languages": "svenska, engelska, tyska",
            "had_grant_before": "on",
            "language": "en",
        },
    )
    assert response.status_code == 302
    person = User.objects.get(pk=personas["librarian"].pk)
    assert person.languages == "svenska, engelska, tyska"
    assert person.had_grant_before is True
    # The profile's language is what the pages use from now on.
    assert "My mobilities" in client.get(reverse("mobility:staff_home")).content.decode()


def test_a_bad_profile_keeps_the_input_and_explains_in_swedish(
    personas: dict[str, User], client_for: Callable[[str | None], Client]
) -> None:
    response = client_for("librarian").post(
        reverse("accounts:profile"),
        {"first_name": "Maja", "staff_category": "astronaut", "language": "sv"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in body
    assert 'value="Maja"' in body
    assert User.objects.get(pk=personas["librarian"].pk).staff_category == "librarian"


def test_the_staff_home_shows_what_to_do_next(
    personas: dict[str, User], client_for: Callable[[str | None], Client]
) -> None:
    body = client_for("librarian").get(reverse("mobility:staff_home")).content.decode()
    assert "Du har inte planerat någon mobilitet än" in body
    assert "Karin Ek" in body  # the closest manager to talk to
    assert "international.ht@example.org" in body


def test_the_administrator_sees_who_has_no_manager(
    personas: dict[str, User], client_for: Callable[[str | None], Client]
) -> None:
    body = client_for("admin").get(reverse("accounts:admin_home")).content.decode()
    assert "Karin Ek" in body  # heads have no closest manager in the demo
    assert "Maja Lindqvist" not in body


def test_a_name_with_a_line_break_cannot_be_saved_from_the_profile(
    personas: dict[str, User], client_for: Callable[[str | None], Client]
) -> None:
    for name in ("Maja\r\nBcc: everyone@example.org", "Maja\x00", "Maja\u2028Lindqvist"):
        response = client_for("librarian").post(
            reverse("accounts:profile"),
            {"first_name": name, "last_name": "Lindqvist", "language": "en"},
        )
        assert response.status_code == 200
        assert "first_name" in response.context["form"].errors
    assert User.objects.get(pk=personas["librarian"].pk).first_name == "Maja"


def test_a_name_with_a_line_break_cannot_be_saved_from_the_admin(
    personas: dict[str, User], client_for: Callable[[str | None], Client]
) -> None:
    librarian = personas["librarian"]
    url = reverse("admin:accounts_user_change", args=[librarian.pk])
    client = client_for("admin")
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list | tuple)
    }
    data.update(
        {
            "first_name": "Maja\nLindqvist",
            "roles-TOTAL_FORMS": "0",
            "roles-INITIAL_FORMS": "0",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "first_name" in response.context["adminform"].form.errors
    assert User.objects.get(pk=librarian.pk).first_name == "Maja"
