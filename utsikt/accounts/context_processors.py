"""What every page needs: the role navigation and the university's name."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from utsikt.accounts.access import ADMINISTRATOR, STAFF, Role, roles_of
from utsikt.core.language import in_language

# (role, url name, label), in the order they appear in the navigation.
ROLE_LINKS = [
    (STAFF, "mobility:staff_home", _("My mobilities")),
    (Role.MANAGER, "mobility:manager_home", _("Decisions")),
    (Role.OFFICER, "mobility:office_home", _("International Office")),
    (Role.OFFICER, "catalogue:office", _("The catalogue's office")),
    (Role.OFFICER, "catalogue:import", _("Import opportunities")),
    (Role.FINANCE, "mobility:finance_home", _("Finance")),
    (ADMINISTRATOR, "accounts:admin_home", _("Administration")),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    roles = roles_of(user) if user is not None else set()
    return {
        "university_name": in_language(
            settings.UTSIKT_UNIVERSITY_NAME, settings.UTSIKT_UNIVERSITY_NAME_EN
        ),
        "role_links": [(name, label) for role, name, label in ROLE_LINKS if role in roles],
    }
