"""Administrators add the EU's next column mapping in the admin; a mapping once made stays."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from utsikt.reporting.models import ExportMapping

pytestmark = pytest.mark.django_db


def _add(client: Client, columns: object) -> tuple[int, str]:
    response = client.post(
        reverse("admin:reporting_exportmapping_add"),
        {
            "version": "BM 2027.1",
            "valid_from": "2027-01-01",
            "note": "",
            "columns": json.dumps(columns),
        },
    )
    return response.status_code, response.content.decode()


def test_a_mapping_with_an_unknown_source_is_refused_and_names_the_known_ones(
    client_for: Callable[[str | None], Client],
) -> None:
    status, page = _add(client_for("admin"), [{"header": "Mobility ID", "source": "mobility_nr"}])
    assert status == 200
    assert "mobility_nr" in page and "mobility_id" in page
    assert not ExportMapping.objects.filter(version="BM 2027.1").exists()


def test_a_new_mapping_is_saved_and_cannot_be_changed_afterwards(
    client_for: Callable[[str | None], Client],
) -> None:
    admin = client_for("admin")
    status, _page = _add(admin, [{"header": "Mobility ID", "source": "mobility_id"}])
    assert status == 302
    mapping = ExportMapping.objects.get(version="BM 2027.1")
    response = admin.post(
        reverse("admin:reporting_exportmapping_change", args=[mapping.pk]),
        {"version": "BM 2027.1", "valid_from": "2027-01-01", "note": "", "columns": "[]"},
    )
    assert response.status_code == 403
    mapping.refresh_from_db()
    assert mapping.headers == ["Mobility ID"]
