"""The JSON API (django-ninja): the catalogue, the estimate, and the signed-in person's own
applications and their workflow actions. The OpenAPI schema is served at /api/openapi.json.

Every route decides who may call it (utsikt/api/auth.py) and refuses in JSON, never with a
login page; objects come through the same gates as the pages (`opportunity_for`,
`own_application_for`), so what a page answers 404 to, the API does too.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.db import models
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext
from ninja import NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from pydantic import Field

from utsikt.accounts import tokens
from utsikt.accounts.http import AuthenticatedRequest
from utsikt.api import auth, schemas
from utsikt.catalogue import access as catalogue_gates
from utsikt.catalogue.models import HostOrganisation, Opportunity
from utsikt.core import access
from utsikt.core.actors import Actor
from utsikt.grants import estimates, trips
from utsikt.grants.eligibility import bilingual
from utsikt.mobility import access as mobility_gates
from utsikt.mobility import workflow
from utsikt.mobility.estimate import Estimated, Incomplete, estimate
from utsikt.mobility.models import Application, Transition


class UtsiktAPI(NinjaAPI):
    def get_root_path(self, path_params: dict[str, Any]) -> str:
        # The API is mounted by hand (urls.py, each address with its access decision),
        # without ninja's root view that it would reverse.
        return "/api/"


api = UtsiktAPI(
    title="Utsikt",
    version="1",
    description=(
        "Erasmus+ staff mobility: the catalogue, the grant estimate, and your own "
        "applications. Send `Authorization: Bearer <token>` with a token made on your "
        "account page (read or write scope), or call from a signed-in browser session."
    ),
    urls_namespace="api",
    docs_url=None,  # the docs page loads its scripts from a CDN, which the CSP refuses
    openapi_url="/openapi.json",
)

# The statuses a route may answer with besides 200, in the schema for programs (and for
# Schemathesis, which checks that no undocumented status comes back).
READ_ERRORS: dict[int, Any] = {400: schemas.Error, 401: schemas.Error, 404: schemas.Error}
# Public routes: credentials are optional (an empty requirement), and known when sent.
OPTIONAL_AUTH: dict[str, Any] = {"security": [{"BearerToken": []}, {"Session": []}, {}]}
WRITE_ERRORS: dict[int, Any] = {
    **READ_ERRORS,
    403: schemas.Error,
    409: schemas.Error,
    413: schemas.Error,
}


# --- refusals in the project's shape ----------------------------------------------------------


@api.exception_handler(auth.ScopeRefused)
def _scope(request: HttpRequest, exc: Exception) -> HttpResponse:
    return access.api_refusal(
        403,
        "insufficient_scope",
        lambda: gettext("This token may only read. Make a token with write access to act."),
    )


@api.exception_handler(auth.CsrfRefused)
def _csrf(request: HttpRequest, exc: Exception) -> HttpResponse:
    return access.api_refusal(
        403,
        "csrf_failed",
        lambda: gettext("Send the page's CSRF token, or call with an API token."),
    )


@api.exception_handler(AuthenticationError)
def _not_signed_in(request: HttpRequest, exc: Exception) -> HttpResponse:
    if "Authorization" in request.headers:
        response = access.api_refusal(
            401,
            "invalid_token",
            lambda: gettext("This token is not valid: it may have been revoked."),
        )
    else:
        response = access.api_refusal(401, "not_signed_in", lambda: gettext("Log in to use this."))
    response["WWW-Authenticate"] = 'Bearer realm="utsikt"'
    return response


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return access.api_refusal(
        404, "not_found", lambda: gettext("There is nothing at this address.")
    )


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    response = access.api_refusal(
        400, "invalid", lambda: gettext("Some of what you sent is not valid: see the problems.")
    )
    sv, en = bilingual(lambda: gettext("This value is not valid."))
    problems = [
        {
            "field": ".".join(str(part) for part in error.get("loc", ())),
            "message_sv": sv,
            "message_en": f"{en} ({error.get('msg', '')})",
        }
        for error in exc.errors
    ]
    body = json.loads(response.content) | {"problems": problems}
    return JsonResponse(body, status=400)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:  # ninja's own "cannot parse the body"
        return access.api_refusal(
            400, "bad_request", lambda: gettext("The request cannot be read.")
        )
    return access.api_refusal(exc.status_code, "refused", lambda: gettext("You may not use this."))


@api.exception_handler(RequestDataTooBig)
def _too_large(request: HttpRequest, exc: Exception) -> HttpResponse:
    return access.api_refusal(
        413, "too_large", lambda: gettext("The request is too large to be read.")
    )


# --- the estimate -----------------------------------------------------------------------------


def _invalid_trip(problems: list[dict[str, str]]) -> JsonResponse:
    return JsonResponse({"error": "invalid_trip", "problems": problems}, status=400)


ESTIMATE_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "description": (
                        "One trip: call_year, activity, start, end, hosts [{city, country, "
                        "kind}], and optionally origin, travel_days, green_travel, travel_sek "
                        "and more (see grants/trips.py); unknown fields are refused."
                    ),
                    "example": {
                        "call_year": 2025,
                        "activity": "job_shadowing",
                        "start": "2026-05-04",
                        "end": "2026-05-08",
                        "hosts": [{"city": "Porto", "country": "PT"}],
                    },
                }
            }
        },
    }
}


@api.post(
    "/estimate",
    url_name="estimate",
    auth=None,
    response={200: dict[str, Any], 400: schemas.InvalidTrip, 413: schemas.Error},
    openapi_extra=ESTIMATE_BODY,
    summary="Estimate the grant for one trip",
)
def estimate_trip(request: HttpRequest) -> HttpResponse:
    """POST one trip as JSON; get the verdict and the money as JSON (400 for bad input).

    A JSON calculation that changes nothing, for anyone: no CSRF token is needed.
    """
    try:
        data = json.loads(request.body)
    except RequestDataTooBig:
        return _too_large(request, RequestDataTooBig())
    # RecursionError: JSON nested thousands deep, which Python's parser cannot follow.
    except (ValueError, UnicodeDecodeError, RecursionError):
        sv, en = bilingual(lambda: gettext("Send one trip as a JSON object."))
        return _invalid_trip([{"field": "", "message_sv": sv, "message_en": en}])
    try:
        return JsonResponse(estimates.run(data))
    except trips.InvalidTrip as invalid:
        return _invalid_trip([problem.as_dict() for problem in invalid.problems])


@api.get("/estimate", url_name="estimate", auth=None, include_in_schema=False)
def estimate_by_get(request: HttpRequest) -> HttpResponse:
    response = access.api_refusal(
        405, "method_not_allowed", lambda: gettext("Send the trip with POST.")
    )
    response["Allow"] = "POST"
    return response


# --- the catalogue ----------------------------------------------------------------------------


class OpportunityFilter(Schema):
    q: str = Field("", max_length=100, description="words in the title")
    country: str = Field("", max_length=2, description="ISO 3166-1 alpha-2")
    kind: str = Field("", max_length=20)
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=100_000)


class HostFilter(Schema):
    q: str = Field("", max_length=100, description="words in the name or the city")
    country: str = Field("", max_length=2)
    kind: str = Field("", max_length=30)
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=100_000)


def _clean(text: str) -> str:
    """Text from a query, without what no name holds (control characters, lone surrogates)."""
    return "".join(c for c in text if c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF).strip()


def _page[T: models.Model](
    found: QuerySet[T], filters: OpportunityFilter | HostFilter, item: Callable[[T], dict[str, Any]]
) -> dict[str, Any]:
    """One page of a catalogue list, narrowed by the filters both lists share."""
    country = _clean(filters.country).upper()
    if country:
        found = found.filter(country_id=country)
    if filters.kind:
        found = found.filter(kind=_clean(filters.kind))
    page = found[filters.offset : filters.offset + filters.limit]
    return {
        "count": found.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [item(row) for row in page],
    }


def _opportunity(o: Opportunity) -> dict[str, Any]:
    return {
        "slug": o.slug,
        "kind": o.kind,
        "status": o.status,
        "title_sv": o.title_sv,
        "title_en": o.title_en,
        "description_sv": o.description_sv,
        "description_en": o.description_en,
        "host": o.host.slug,
        "country": o.country_id,
        "city": o.place.name if o.place else None,
        "start_date": o.start_date,
        "end_date": o.end_date,
        "dates_approximate": o.dates_approximate,
        "deadline": o.deadline,
        "fee": str(o.fee) if o.fee is not None else None,
        "currency": o.currency,
        "places": o.places,
        "languages": list(o.languages),
        "topics": list(o.topics),
        "staff_categories": list(o.staff_categories),
        "registration_url": o.registration_url,
    }


def _host(h: HostOrganisation) -> dict[str, Any]:
    return {
        "slug": h.slug,
        "name": h.name,
        "local_name": h.local_name,
        "kind": h.kind,
        "country": h.country_id,
        "city": h.place.name if h.place else None,
        "website": h.website,
        "erasmus_code": h.erasmus_code,
        "partner_until": h.partner_until,
    }


@api.get(
    "/catalogue/opportunities",
    url_name="opportunities",
    auth=auth.anyone(),
    openapi_extra=OPTIONAL_AUTH,
    response={200: schemas.OpportunityPage, **READ_ERRORS},
    tags=["catalogue"],
)
def opportunities(request: HttpRequest, filters: Query[OpportunityFilter]) -> dict[str, Any]:
    """Published and past staff weeks, courses and job-shadowing offers, soonest first."""
    found = Opportunity.objects.listed().select_related("host", "place")
    q = _clean(filters.q)
    if q:
        found = found.filter(Q(title_sv__icontains=q) | Q(title_en__icontains=q))
    return _page(found, filters, _opportunity)


@api.get(
    "/catalogue/opportunities/{slug}",
    url_name="opportunity",
    auth=auth.anyone(),
    openapi_extra=OPTIONAL_AUTH,
    response={200: schemas.Opportunity, **READ_ERRORS},
    tags=["catalogue"],
)
def opportunity(request: HttpRequest, slug: str) -> dict[str, Any]:
    """One opportunity, as its page shows it (a curator also sees their faculty's drafts)."""
    return _opportunity(catalogue_gates.opportunity_for(request.user, slug))


@api.get(
    "/catalogue/hosts",
    url_name="hosts",
    auth=auth.anyone(),
    openapi_extra=OPTIONAL_AUTH,
    response={200: schemas.HostPage, **READ_ERRORS},
    tags=["catalogue"],
)
def hosts(request: HttpRequest, filters: Query[HostFilter]) -> dict[str, Any]:
    """Approved host organisations: partner universities and any other host, by name."""
    found = HostOrganisation.objects.approved().select_related("place").order_by("name", "id")
    q = _clean(filters.q)
    if q:
        found = found.matching(q)
    return _page(found, filters, _host)


@api.get(
    "/catalogue/hosts/{slug}",
    url_name="host",
    auth=auth.anyone(),
    openapi_extra=OPTIONAL_AUTH,
    response={200: schemas.Host, **READ_ERRORS},
    tags=["catalogue"],
)
def host(request: HttpRequest, slug: str) -> dict[str, Any]:
    """One host organisation (a proposed one only for its proposer and the curators)."""
    return _host(catalogue_gates.host_for(request.user, slug))


# --- my applications --------------------------------------------------------------------------


def _application(a: Application, user: Any) -> dict[str, Any]:
    # Only one's own applications are served, and to them one stands as the applicant only.
    return {
        "id": a.pk,
        "status": a.status,
        "status_label": str(a.get_status_display()),
        "version": a.version,
        "call_year": a.call_year,
        "activity": a.activity,
        "department": a.department.code if a.department else None,
        "opportunity": a.opportunity.slug if a.opportunity else None,
        "hosts": [h.slug for h in a.hosts.all()],
        "start": a.start,
        "end": a.end,
        "travel_out": a.travel_out,
        "travel_back": a.travel_back,
        "created_at": a.created_at,
        "updated_at": a.updated_at,
        "actions": workflow.allowed_actions(a, {workflow.APPLICANT}),
        "estimate": a.estimate or {},
    }


@api.get(
    "/my/applications",
    url_name="applications",
    auth=auth.signed_in(tokens.Scope.READ),
    response={200: schemas.ApplicationList, **READ_ERRORS, 403: schemas.Error},
    tags=["applications"],
)
def applications(request: AuthenticatedRequest) -> dict[str, Any]:
    """Your own applications, newest first, with the actions you may take on each now."""
    mine = (
        Application.objects.of(request.user)
        .select_related("department", "opportunity")
        .prefetch_related(Prefetch("hosts", HostOrganisation.objects.only("slug")))
        .order_by("-created_at", "-id")
    )
    items = [_application(a, request.user) for a in mine]
    return {"count": len(items), "items": items}


def _detail(application: Application, user: Any) -> dict[str, Any]:
    history = Transition.objects.filter(application=application).order_by("created_at", "id")
    return {
        **_application(application, user),
        "objectives": application.objectives,
        "added_value": application.added_value,
        "activities": application.activities,
        "outcomes": application.outcomes,
        "work_cover": application.work_cover,
        "history": [
            {
                "from_status": t.from_status,
                "to_status": t.to_status,
                "at": t.created_at,
                "comment": t.comment,
            }
            for t in history
        ],
    }


@api.get(
    "/my/applications/{pk}",
    url_name="application",
    auth=auth.signed_in(tokens.Scope.READ),
    response={200: schemas.ApplicationDetail, **READ_ERRORS, 403: schemas.Error},
    tags=["applications"],
)
def application(request: AuthenticatedRequest, pk: int) -> dict[str, Any]:
    """One of your own applications with its history; 404 for anybody else's."""
    if not 0 < pk < 2**31:
        raise Http404
    return _detail(mobility_gates.own_application_for(request.user, pk), request.user)


def _workflow_refusal(error: workflow.WorkflowError) -> HttpResponse:
    status, code = 400, "refused"
    if isinstance(error, workflow.NotAllowed):
        status, code = 403, "not_allowed"
    elif isinstance(error, workflow.TransitionRefused):
        status, code = 409, "moved_on"
    elif isinstance(error, workflow.TooEarly):
        code = "too_early"
    return access.api_refusal(status, code, lambda: str(error.message))


@api.post(
    "/my/applications/{pk}/actions/{action}",
    url_name="application_act",
    auth=auth.signed_in(tokens.Scope.WRITE),
    response={200: schemas.ApplicationDetail, **WRITE_ERRORS},
    tags=["applications"],
)
def act(
    request: AuthenticatedRequest, pk: int, action: str, body: schemas.ActionIn | None = None
) -> Any:
    """Take a workflow action on your own application: submit, withdraw, start_travel or
    complete (the traveller's steps); `workflow.check` decides first, as on the pages."""
    if action not in workflow.ACTIONS or not 0 < pk < 2**31:
        raise Http404
    application = mobility_gates.own_application_for(request.user, pk)
    body = body or schemas.ActionIn(comment="", override_reason="", version=None)
    arguments: dict[str, Any] = {"application": application, "actor": Actor.of(request.user)}
    try:
        workflow.check(request.user, application, action)
        if action in {"withdraw", "return_for_changes", "reject", "cancel", "approve"}:
            arguments["comment"] = body.comment
        elif action in workflow.DATED_ACTIONS:
            arguments["override_reason"] = body.override_reason
        elif action == "submit":
            if body.version is not None:
                arguments["version"] = body.version
            verdict = estimate(application)
            if not isinstance(verdict, Estimated | Incomplete):
                return access.api_refusal(
                    400,
                    "rules_cannot_check",
                    lambda: gettext("The rules cannot check the plan yet: see what to fix."),
                )
            arguments["estimate"] = verdict.estimate if isinstance(verdict, Estimated) else None
        getattr(workflow, action)(**arguments)
    except workflow.WorkflowError as error:
        return _workflow_refusal(error)
    application.refresh_from_db()
    return _detail(application, request.user)
