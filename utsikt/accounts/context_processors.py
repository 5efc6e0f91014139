"""What every page needs: the role navigation and the university's name."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from utsikt.accounts.access import ADMINISTRATOR, STAFF, Role, roles_of

# (role, url name, label), in the order they appear in the navigation.
ROLE_LINKS = [
    (STAFF, "staff_home", _("My mobilities")),
    (Role.MANAGER, "manager_home", _("Decisions")),
    (Role.OFFICER, "office_home", _("International office")),
    (Role.FINANCE, "finance_home", _("Finance")),
    (ADMINISTRATOR, "admin_home", _("Administration")),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    roles = roles_of(user) if user is not None else set()
    return {
        "university_name": settings.UTSIKT_UNIVERSITY_NAME_EN
        if get_language() == "en"
        else settings.UTSIKT_UNIVERSITY_NAME,
        "role_links": [(name, label) for role, name, label in ROLE_LINKS if role in roles],
    }
