"""A host's name in its own language is marked with that language, not its country code."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from utsikt.catalogue.models import HostOrganisation
from utsikt.grants.languages import language_of_country


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_greek_hosts_local_name_is_marked_as_greek(
    db: None, client: Client, language: str
) -> None:
    host = HostOrganisation.objects.create(
        slug="uoa",
        name="National and Kapodistrian University of Athens",
        local_name="Εθνικό και Καποδιστριακό Πανεπιστήμιο Αθηνών",
        kind="university",
        country_id="GR",
    )
    client.cookies["django_language"] = language
    html = client.get(reverse("catalogue:host_detail", args=[host.slug])).content.decode()
    assert '<p class="lead" lang="el">Εθνικό' in html
    assert 'lang="gr"' not in html


def test_countries_of_several_languages_mark_no_language() -> None:
    assert language_of_country("AT") == "de"
    assert language_of_country("SE") == "sv"
    assert language_of_country("BE") == ""
    assert language_of_country("CH") == ""
