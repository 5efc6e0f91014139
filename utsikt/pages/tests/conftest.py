"""Fixtures of the pages app's tests: a returnee (a settled mobility) and the demo content."""

from __future__ import annotations

import datetime

import pytest

from utsikt.accounts.models import User
from utsikt.mobility.factories import application
from utsikt.mobility.models import Application, Status


@pytest.fixture
def returned(personas: dict[str, User]) -> Application:
    """The librarian's own mobility, back home and settled."""
    return application(
        applicant=personas["librarian"],
        status=Status.SETTLED,
        start=datetime.date(2025, 5, 5),
        end=datetime.date(2025, 5, 9),
    )
