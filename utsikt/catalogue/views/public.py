"""The catalogue's public pages: search (list, map, calendar), opportunities, hosts, saved
searches and feeds. The International Office's pages are in office.py."""

from __future__ import annotations

import calendar as month_calendar
import dataclasses
import functools
from collections.abc import Callable
from itertools import groupby
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST, require_safe

from utsikt.accounts.http import AuthenticatedRequest
from utsikt.catalogue import access as gates
from utsikt.catalogue import curation, geo, ical, search
from utsikt.catalogue.forms import HostForm, SaveSearchForm
from utsikt.catalogue.models import HostOrganisation, Opportunity, PartnerAgreement, SavedSearch
from utsikt.catalogue.search import index as search_index
from utsikt.core import access, cache
from utsikt.core.language import is_english
from utsikt.grants.models import Country

SEARCH_PARAMS: tuple[str, ...] = ("q", "sort", "category", "country", "topic", "language")
SEARCH_PARAMS += ("month", "kind", "fee", "more", "past", "place", "page")


@functools.lru_cache(maxsize=1024)
def _canonical(query_string: str) -> str:
    return canonical_query(QueryDict(query_string))


def canonical_query(data: QueryDict, *, without: tuple[str, ...] = ()) -> str:
    """The search's part of a query string, in a fixed order: the same search, the same key."""
    pairs = [
        (name, value)
        for name in SEARCH_PARAMS
        if name not in without
        for value in sorted(set(data.getlist(name)))
        if value
    ]
    return urlencode(pairs)


def plan_url(opportunity: Opportunity) -> str:
    """Where "Plan a mobility to this" leads: a new plan with this opportunity filled in."""
    return (
        reverse("mobility:application_start") + "?" + urlencode({"opportunity": opportunity.slug})
    )


def _page(
    request: HttpRequest,
    template: str,
    make_context: Callable[[], dict[str, Any]],
    revision: str | None,
) -> HttpResponse:
    """A search page; for anonymous visitors from the cache of the catalogue's revision."""
    return cache.anonymous_page(
        request, template, make_context, revision=revision, canonical_query=_canonical
    )


# ---------------------------------------------------------------------------------------------
# Search: list, map and calendar


def _search_context(request: HttpRequest) -> dict[str, Any]:
    query, filters, sort, page = search.from_query(request.GET)
    return {
        "query": query,
        "filters": filters,
        "sort": sort,
        "page": page,
        "sorts": SORTS,
        "today": timezone.localdate(),
        "query_string": canonical_query(request.GET, without=("page",)),
        # Everything but the words, for the map's and calendar's own search box.
        "hidden": _pairs(request.GET, "q", "page"),
        "without_place": canonical_query(request.GET, without=("page", "place")),
    }


SORTS = [
    (search.Sort.RELEVANCE, gettext_lazy("Best match")),
    (search.Sort.START, gettext_lazy("Start date")),
    (search.Sort.DEADLINE, gettext_lazy("Application deadline")),
]


def _pairs(data: QueryDict, *without: str) -> list[tuple[str, str]]:
    query = QueryDict(canonical_query(data, without=without))
    return [(k, v) for k in query for v in query.getlist(k)]


def _result_status(result: search.SearchResult) -> str:
    if not result.total:
        return _("No opportunities match.")
    return ngettext(
        "%(count)s opportunity matches.", "%(count)s opportunities match.", result.total
    ) % {"count": result.total}


@access.public
@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    """Staff weeks and courses: full text in Swedish and English, facets with counts.

    A plain GET form that works without JavaScript; with htmx, the results and facets are
    re-rendered as the visitor types or ticks, and the address follows. The results part is
    the same for everyone, so it is cached per catalogue revision and language; so is the
    whole page for anonymous visitors.
    """
    revision = search_index.current_revision()

    def make_context() -> dict[str, Any]:
        context = _search_context(request)

        def render_results() -> tuple[str, str]:
            result = search.search(
                context["query"],
                context["filters"],
                context["sort"],
                context["page"],
                revision=revision,
            )
            # Nothing upcoming: say so when past events match, with the address that shows them.
            past = 0
            if not result.total and result.query and not context["filters"].include_past:
                past = search.total(
                    context["query"],
                    dataclasses.replace(context["filters"], include_past=True),
                    revision=revision,
                )
            with_past = QueryDict(mutable=True)
            with_past.update(QueryDict(canonical_query(request.GET, without=("page", "past"))))
            with_past["past"] = "on"
            html = render_to_string(
                "catalogue/search.html#results",
                {
                    **context,
                    "result": result,
                    "facets": result.facets(),
                    "past_matches": past,
                    "with_past": with_past.urlencode(),
                },
            )
            return html, _result_status(result)

        key = cache.cache_key(revision, "results", get_language(), canonical_query(request.GET))
        results_html, status = search.cache.get_or_compute(key, render_results)
        return context | {"results_html": results_html, "status": status}

    if getattr(request, "htmx", False):
        return render(request, "catalogue/search.html#htmx", make_context())
    return _page(request, "catalogue/search.html", make_context, revision)


@access.public
@require_safe
def map_page(request: HttpRequest) -> HttpResponse:
    """Where the matching opportunities are, as dots on a map of Europe and as a list."""
    revision = search_index.current_revision()

    def make_context() -> dict[str, Any]:
        context = _search_context(request)
        found, without_city = search.places(context["query"], context["filters"], revision=revision)
        largest = max((p.count for p in found), default=1)
        english = is_english()
        others = _pairs(request.GET, "place", "page")
        countries = {
            c.iso2: c.name for c in Country.objects.filter(iso2__in={p.country_id for p in found})
        }
        dots: list[dict[str, Any]] = []
        for place in found:
            point = geo.project(place.latitude, place.longitude)
            dots.append(
                {
                    "place": place,
                    "name": place.name if english or not place.name_sv else place.name_sv,
                    "country": countries.get(place.country_id, place.country_id),
                    "x": point[0] if point else None,
                    "y": point[1] if point else None,
                    "r": geo.radius(place.count, largest),
                    "url": "?" + urlencode([*others, ("place", place.place_id)]),
                }
            )
        return context | {
            "dots": sorted((d for d in dots if d["x"] is not None), key=lambda d: -d["r"]),
            "listed": sorted(dots, key=lambda d: (d["country"], d["name"])),
            "without_city": without_city,
            "total": sum(p.count for p in found) + without_city,
            "width": geo.WIDTH,
            "height": geo.HEIGHT,
        }

    return _page(request, "catalogue/map.html", make_context, revision)


@access.public
@cache_control(public=True, max_age=86400)
@require_safe
def map_background(request: HttpRequest) -> HttpResponse:
    """The map's background: every city of the gazetteer as a faint dot (reference data)."""
    return HttpResponse(geo.background_svg(), content_type="image/svg+xml")


@access.public
@require_safe
def calendar_page(request: HttpRequest) -> HttpResponse:
    """The next twelve months of matching opportunities, month by month."""
    revision = search_index.current_revision()

    def make_context() -> dict[str, Any]:
        context = _search_context(request)
        rows, more = search.timeline(context["query"], context["filters"], revision=revision)
        # What the calendar lists is published, so dated; only a draft may lack its days.
        dated = [(o, o.start_date, o.end_date) for o in rows]
        spans = [(o, start, end) for o, start, end in dated if start and end]
        months = []
        for month, items in groupby(spans, key=lambda span: span[1].replace(day=1)):
            days = month_calendar.monthrange(month.year, month.month)[1]
            entries = []
            for opportunity, start, end in items:
                last = min(end, month.replace(day=days))
                span = (last - start).days + 1
                entries.append(
                    {
                        "opportunity": opportunity,
                        "x": round((start.day - 1) * 100 / days, 1),
                        "width": max(2.0, round(span * 100 / days, 1)),
                    }
                )
            months.append({"month": month, "entries": entries})
        return context | {"months": months, "more": more, "count": len(rows)}

    return _page(request, "catalogue/calendar.html", make_context, revision)


# ---------------------------------------------------------------------------------------------
# Opportunities


@access.public
@require_safe
def opportunity_detail(request: HttpRequest, slug: str) -> HttpResponse:
    opportunity = gates.opportunity_for(request.user, slug)
    user = request.user
    curator = gates.may_curate(user, opportunity.faculty_id)
    agreements = (
        PartnerAgreement.objects.filter(host=opportunity.host_id)
        .select_related("unit")
        .order_by("-valid_until")
    )
    return render(
        request,
        "catalogue/opportunity_detail.html",
        {
            "opportunity": opportunity,
            "host": opportunity.host,
            "curator": curator,
            "agreements": [a for a in agreements if a.is_current()],
            "plan_url": plan_url(opportunity),
            "today": timezone.localdate(),
        },
    )


@access.public
@require_safe
def opportunity_ics(request: HttpRequest, slug: str) -> HttpResponse:
    """One opportunity as an iCalendar file, to add to any calendar."""
    opportunity = gates.opportunity_for(request.user, slug)
    if not opportunity.dated:  # a draft whose days are not known yet: nothing to add
        raise Http404
    url = request.build_absolute_uri(reverse("catalogue:opportunity_detail", kwargs={"slug": slug}))
    body = ical.calendar([ical.event(opportunity, url, opportunity.host.name)], opportunity.title)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}.ics"'
    return response


# ---------------------------------------------------------------------------------------------
# Hosts


HOSTS_PER_PAGE = 50


@access.public
@require_safe
def host_list(request: HttpRequest) -> HttpResponse:
    """Partner universities and other host organisations, with what they offer."""
    today = timezone.localdate()
    q = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("kind", "")
    country = request.GET.get("country", "")[:2].upper()
    partners_only = request.GET.get("partner") == "1"
    hosts = HostOrganisation.objects.approved().select_related("country", "place")
    if q:
        hosts = hosts.matching(q)
    if kind in HostOrganisation.Kind.values:
        hosts = hosts.filter(kind=kind)
    if country:
        hosts = hosts.filter(country_id=country)
    if partners_only:
        hosts = hosts.partners(today.year)
    hosts = hosts.annotate(
        upcoming=Count(
            "opportunities",
            filter=Q(
                opportunities__status=Opportunity.Status.PUBLISHED,
                opportunities__end_date__gte=today,
            ),
        )
    ).order_by("name")
    page = Paginator(hosts, HOSTS_PER_PAGE).get_page(request.GET.get("page"))
    countries = (
        HostOrganisation.objects.approved()
        .values_list("country_id", "country__name_sv", "country__name_en")
        .distinct()
        .order_by("country_id")
    )
    english = is_english()
    return render(
        request,
        "catalogue/host_list.html",
        {
            "page": page,
            "q": q,
            "kind": kind,
            "country": country,
            "partners_only": partners_only,
            "kinds": HostOrganisation.Kind.choices,
            "countries": sorted(
                ((iso2, en if english else sv) for iso2, sv, en in countries),
                key=lambda c: c[1],
            ),
            "query_string": urlencode(
                [(k, v) for k, v in request.GET.items() if k != "page" and v]
            ),
        },
    )


@access.public
@require_safe
def host_detail(request: HttpRequest, slug: str) -> HttpResponse:
    host = gates.host_for(request.user, slug)
    today = timezone.localdate()
    upcoming = list(
        Opportunity.objects.upcoming(today)
        .filter(host=host)
        .select_related("country", "place")
        .order_by("start_date")[:50]
    )
    past_count = Opportunity.objects.listed().filter(host=host).ended(today).count()
    agreements = list(
        PartnerAgreement.objects.filter(host=host).select_related("unit").order_by("-valid_until")
    )
    return render(
        request,
        "catalogue/host_detail.html",
        {
            "host": host,
            "upcoming": upcoming,
            "past_count": past_count,
            "agreements": agreements,
            "year": today.year,
            "today": today,
            "curator": gates.is_curator(request.user),
        },
    )


@access.signed_in
def propose_host(request: AuthenticatedRequest) -> HttpResponseBase:
    """Anyone signed in suggests a host; the International Office reviews it."""
    form = HostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        host = curation.propose_host(
            name=data["name"],
            local_name=data["local_name"],
            kind=data["kind"],
            country=data["country"],
            place=form.place,
            website=data["website"],
            erasmus_code=data["erasmus_code"],
            contact_name=data["contact_name"],
            contact_email=data["contact_email"],
            note=data["note"],
            by=request.user,
        )
        if host.status == HostOrganisation.Status.PROPOSED:
            messages.success(
                request,
                _("Thank you. The International Office will review %(name)s.")
                % {"name": host.name},
            )
        else:
            messages.success(request, _("%(name)s is in the catalogue.") % {"name": host.name})
        return redirect("catalogue:host_detail", slug=host.slug)
    return render(request, "catalogue/host_form.html", {"form": form, "proposing": True})


# ---------------------------------------------------------------------------------------------
# Saved searches and calendar feeds


@access.signed_in
def saved_searches(request: AuthenticatedRequest) -> HttpResponseBase:
    """The person's saved searches; a search passed in the address is offered for saving."""
    user = request.user
    if request.method == "POST":
        form = SaveSearchForm(request.POST)
        if form.is_valid():
            query = canonical_query(QueryDict(form.cleaned_data["query"]), without=("page",))
            curation.save_search(user=user, name=form.cleaned_data["name"], query=query)
            messages.success(request, _("The search is saved."))
            return redirect("catalogue:saved_searches")
    else:
        query = canonical_query(request.GET, without=("page",))
        form = SaveSearchForm(initial={"query": query, "name": request.GET.get("q", "")[:120]})
    saved = list(SavedSearch.objects.filter(user=user))
    feeds = {
        s.pk: request.build_absolute_uri(
            reverse("catalogue:feed", kwargs={"token": gates.feed_token(s)})
        )
        for s in saved
    }
    return render(
        request,
        "catalogue/saved_searches.html",
        {
            "form": form,
            "offer": bool(form.initial.get("query") or form.is_bound),
            "saved": [(s, feeds[s.pk]) for s in saved],
        },
    )


@access.signed_in
@require_POST
def delete_saved_search(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    saved = gates.saved_search_for(request.user, pk)
    curation.delete_saved_search(saved=saved, by=request.user)
    messages.success(request, _("The saved search is deleted; its calendar address stops working."))
    return redirect("catalogue:saved_searches")


@access.signed_in
@require_POST
def renew_feed(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    saved = gates.saved_search_for(request.user, pk)
    curation.renew_feed_address(saved=saved, by=request.user)
    messages.success(request, _("The calendar address is new; copies of the old one stop working."))
    return redirect("catalogue:saved_searches")


@access.public
@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """A saved search as a calendar feed. Calendar apps cannot log in: the signed, secret
    token in the address is the permission, and deleting or renewing it revokes it."""
    saved = gates.saved_search_for_feed(token)
    query, filters, _sort, _page = search.from_query(QueryDict(saved.query))
    rows, _more = search.timeline(query, filters, months=24)
    events = []
    for opportunity in rows:
        url = request.build_absolute_uri(
            reverse("catalogue:opportunity_detail", kwargs={"slug": opportunity.slug})
        )
        events.append(ical.event(opportunity, url, opportunity.host.name))
    body = ical.calendar(events, f"Utsikt: {saved.name}")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    # The address is the permission: no shared cache may keep one person's feed.
    patch_cache_control(response, private=True, no_cache=True)
    return response
