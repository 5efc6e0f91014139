"""Single sign-on: a SAML 2.0 service provider for an academic federation (SWAMID style).

djangosaml2 (on pysaml2 and xmlsec1) checks the identity provider's response: its
signature, its audience, its lifetime, and that it answers a log-in this browser started
(unsolicited and replayed responses are refused). This module decides who may come in and
as whom:

- the person is found by eduPersonPrincipalName; an existing local account with the same
  e-mail and no federation identity yet is linked to it (the demo staff, people added by
  hand), except an administrator's: break-glass administrators stay local only;
- an unknown person gets an account just in time, attached to the organisation by the
  scope of their identity (`UTSIKT_SSO_ORG_RULES`: "scope=department code", the most
  specific scope wins; an empty code lets them in without a department, which the
  administrator then sets; a scope not listed is refused);
- only the affiliations in `UTSIKT_SSO_AFFILIATIONS` (employee, staff, faculty by default)
  come in: students are not the product's people.

SSO is off unless `UTSIKT_SSO_IDP_METADATA` names the identity provider's metadata; then
the log-in page offers it, and local log-in stays for the embedded default and for
administrators.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from djangosaml2.backends import Saml2Backend  # type: ignore[import-untyped]

from utsikt.accounts.backends import signed_in
from utsikt.accounts.models import OrgUnit, User
from utsikt.core import access, events
from utsikt.core.actors import Actor

logger = logging.getLogger(__name__)

# SWAMID's attributes, by the friendly names pysaml2 gives the urn:oid ones.
EPPN = "eduPersonPrincipalName"
MAIL = "mail"
GIVEN_NAME = "givenName"
SURNAME = "sn"
AFFILIATION = "eduPersonAffiliation"
SCOPED_AFFILIATION = "eduPersonScopedAffiliation"

ATTRIBUTE_MAPPING = {
    EPPN: ("eppn",),
    MAIL: ("email",),
    GIVEN_NAME: ("first_name",),
    SURNAME: ("last_name",),
}


def enabled() -> bool:
    return bool(getattr(settings, "UTSIKT_SSO_ENABLED", False))


class _Enabled:
    """True while single sign-on is configured, asked each time a page renders it."""

    def __bool__(self) -> bool:
        return enabled()


ENABLED = _Enabled()


def parse_org_rules(text: str) -> dict[str, str]:
    """ "ht.example.se=ht-libraries, example.se=" → {"ht.example.se": "ht-libraries", ...}."""
    rules = {}
    for part in text.split(","):
        scope, _sep, code = part.partition("=")
        if scope.strip():
            rules[scope.strip().lower()] = code.strip()
    return rules


def _first(attributes: dict[str, list[str]], name: str) -> str:
    values = attributes.get(name) or [""]
    return str(values[0]).strip()


def _scope(eppn: str) -> str:
    return eppn.rpartition("@")[2].lower() if "@" in eppn else ""


def department_code_for(scope: str, rules: dict[str, str]) -> str | None:
    """The department code for a scope by the most specific rule (None: not let in)."""
    labels = scope.split(".")
    for start in range(len(labels)):
        candidate = ".".join(labels[start:])
        if candidate in rules:
            return rules[candidate]
    return None


class Refused(PermissionDenied):
    """A genuine response for a person who may not come in; the message says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class FederationBackend(Saml2Backend):  # type: ignore[misc]
    """Who a checked SAML response is (see the module's notes); never asked for passwords."""

    def get_user(self, user_id: Any) -> Any:
        # The signed-in person as the password log-in's backend reads them (and as fast).
        user = signed_in(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def authenticate(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().authenticate(request, *args, **kwargs)
        except Refused as refusal:
            # Django's authenticate() swallows the refusal; the failure page reads it here.
            if request is not None:
                request.sso_refused = refusal.reason
            raise

    def is_authorized(
        self,
        attributes: dict[str, Any],
        attribute_mapping: dict[str, Any],
        idp_entityid: str,
        assertion_info: dict[str, Any],
        **kwargs: Any,
    ) -> bool:
        eppn = _first(attributes, EPPN)
        if not eppn or not _first(attributes, MAIL):
            raise Refused("missing_attributes")
        rules = parse_org_rules(settings.UTSIKT_SSO_ORG_RULES)
        if department_code_for(_scope(eppn), rules) is None:
            raise Refused("unknown_scope")
        allowed = {a.strip().lower() for a in settings.UTSIKT_SSO_AFFILIATIONS.split(",")}
        affiliations = {str(a).lower() for a in attributes.get(AFFILIATION, [])} | {
            str(a).partition("@")[0].lower() for a in attributes.get(SCOPED_AFFILIATION, [])
        }
        if not affiliations & allowed:
            raise Refused("affiliation")
        return True

    def get_or_create_user(
        self,
        user_lookup_key: str,
        user_lookup_value: Any,
        create_unknown_user: bool,
        idp_entityid: str,
        attributes: dict[str, Any],
        attribute_mapping: dict[str, Any],
        request: Any,
    ) -> tuple[User | None, bool]:
        eppn = str(user_lookup_value).strip().lower()
        email = _first(attributes, MAIL).lower()
        known = User.objects.filter(eppn=eppn).first()
        if known is not None:
            return known, False
        local = User.objects.filter(email__iexact=email, eppn__isnull=True).first()
        if local is not None:
            if local.is_superuser:
                # A break-glass administrator logs in locally; a federation identity that
                # claims the address must not become one.
                raise Refused("administrator")
            User.objects.filter(pk=local.pk).update(eppn=eppn)
            local.eppn = eppn
            events.record(
                action="person.linked_to_federation",
                actor=Actor.system("sso"),
                subject=local,
                payload={"idp": idp_entityid},
            )
            return local, False
        if User.objects.filter(email__iexact=email).exists():
            # The address belongs to another federation identity.
            raise Refused("email_taken")
        user = User(eppn=eppn, email=email)
        user.set_unusable_password()
        return user, True

    def _update_user(
        self,
        user: User,
        attributes: dict[str, Any],
        attribute_mapping: dict[str, Any],
        force_save: bool = False,
    ) -> User:
        created = user.pk is None
        given, surname = _first(attributes, GIVEN_NAME)[:150], _first(attributes, SURNAME)[:150]
        # Names go into e-mail subjects: one line each (as the profile form refuses).
        user.first_name = "".join(c for c in given if c.isprintable()) or user.first_name
        user.last_name = "".join(c for c in surname if c.isprintable()) or user.last_name
        if created:
            scope = _scope(user.eppn or "")
            code = department_code_for(scope, parse_org_rules(settings.UTSIKT_SSO_ORG_RULES))
            if code:
                user.department = OrgUnit.objects.departments().filter(code=code).first()
            try:
                with transaction.atomic():
                    user.save()
                    events.record(
                        action="person.created_by_sso",
                        actor=Actor.system("sso"),
                        subject=user,
                        payload={"scope": scope, "department": code or None},
                    )
            except IntegrityError as error:  # two first log-ins at once
                raise Refused("email_taken") from error
        else:
            User.objects.filter(pk=user.pk).update(
                first_name=user.first_name, last_name=user.last_name
            )
        return user


REASONS = {
    "missing_attributes": lambda: _(
        "Your university's log-in did not tell us your e-mail address and identity. "
        "Ask your IT service desk to release them to Utsikt."
    ),
    "unknown_scope": lambda: _(
        "Your organisation is not one whose staff use this Utsikt. Log in with your "
        "account at this university."
    ),
    "affiliation": lambda: _(
        "Utsikt is for the university's staff. Your log-in does not say that you are employed."
    ),
    "administrator": lambda: _(
        "This address belongs to an administrator, who logs in with their local account."
    ),
    "email_taken": lambda: _(
        "Another account already uses your e-mail address. Ask the administrator to join them."
    ),
}


def refused(
    request: HttpRequest, exception: Exception | None = None, status: int = 403, **kwargs: Any
) -> HttpResponse:
    """The page for a log-in that did not go through: never a 500, and never the details of
    a failed check (which would help whoever forged the response)."""
    reason = getattr(exception, "reason", None) or getattr(request, "sso_refused", None)
    if reason in REASONS:
        message = REASONS[reason]()
    else:
        logger.info("SAML response refused: %r", exception)
        message = _(
            "The log-in from your university could not be accepted: it was not signed, not "
            "meant for Utsikt, too old, already used, or not asked for by this browser. "
            "Start again from the log-in page."
        )
    return render(request, "accounts/sso_refused.html", {"message": message}, status=status)


# --- the views: public (anyone may start a log-in), 404 while SSO is not configured --------


def _only_when_enabled(view: Any) -> Any:
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not enabled():
            raise Http404
        return view(request, *args, **kwargs)  # type: ignore[no-any-return]

    return checked


@functools.cache
def _views() -> dict[str, Any]:
    """djangosaml2's views, imported when SSO first serves a request.

    Importing them builds pysaml2's XML schema validators: about a second of CPU in every
    process that loads the URLs (each web process, each test process, each management
    command that reverses a URL), most of which never see a SAML message.
    """
    from djangosaml2 import views as saml_views  # type: ignore[import-untyped]

    class _Acs(saml_views.AssertionConsumerServiceView):  # type: ignore[misc]
        def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if "SAMLResponse" not in request.POST:
                return refused(request, status=400)
            try:
                return super().post(request, *args, **kwargs)  # type: ignore[no-any-return]
            except Refused as error:
                return refused(request, error)

        def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            return refused(request, status=405)

    return {
        "login": saml_views.LoginView.as_view(),
        "acs": _Acs.as_view(),
        "metadata": saml_views.MetadataView.as_view(),
    }


def _saml_view(name: str) -> Any:
    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return _views()[name](request, *args, **kwargs)  # type: ignore[no-any-return]

    return view


login = access.public(_only_when_enabled(_saml_view("login")))
acs = access.public(csrf_exempt(_only_when_enabled(_saml_view("acs"))))
metadata = access.public(_only_when_enabled(_saml_view("metadata")))
