"""The read side: the ledger, the budget, the dashboard, the EU export and who is late.

Every page reads through the person's scope (`access.scope_of`) and sums in the database,
so that it issues the same queries with a hundred mobilities as with a hundred thousand.
The only writes here are the office's budget, through `mobility.money.set_faculty_budget`.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from utsikt.accounts import access as people
from utsikt.accounts.http import AuthenticatedRequest
from utsikt.accounts.models import RoleAssignment, User
from utsikt.core import access
from utsikt.core.actors import Actor
from utsikt.mobility import homecoming, money, workflow
from utsikt.mobility.models import Application, ApplicationQuerySet
from utsikt.reporting import budget as budgets
from utsikt.reporting import dashboard as charts
from utsikt.reporting import eu, exports, ledger
from utsikt.reporting.access import Scope, scope_of
from utsikt.reporting.forms import BudgetForm, Filters

Role = RoleAssignment.Role
PAGE_SIZE = 25
FORMATS = ("csv", "xlsx")
SHOWN_REFUSALS = 200
READERS = (Role.OFFICER, Role.MANAGER, Role.DEPUTY, Role.FINANCE)


def report_links(user: User) -> list[tuple[str, str]]:
    """The reports this person may open, for the links above each report."""
    roles = user.current_roles()
    links = [
        (Role.OFFICER, Role.FINANCE, "reporting:ledger", _("Ledger")),
        (Role.OFFICER, Role.MANAGER, "reporting:budget", _("Budget")),
        (Role.OFFICER, Role.FINANCE, "reporting:dashboard", _("Dashboard")),
        (Role.OFFICER, Role.OFFICER, "reporting:eu", _("EU export")),
        (Role.OFFICER, Role.OFFICER, "reporting:late", _("Late after the trip")),
    ]
    managers = {Role.MANAGER, Role.DEPUTY}
    found = []
    for first, second, name, label in links:
        wanted = {first, second} | (managers if Role.MANAGER in {first, second} else set())
        if name == "reporting:dashboard":
            wanted |= managers
        if roles & wanted:
            found.append((name, label))
    return found


def _render(
    request: AuthenticatedRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(
        request,
        template,
        {**context, "report_links": report_links(request.user)},
        status=status,
    )


def _filtered(request: HttpRequest, scope: Scope) -> tuple[Filters, ApplicationQuerySet]:
    filters = Filters(request.GET or None, scope=scope)
    return filters, filters.narrowed(scope.applications())


def _page(request: HttpRequest, applications: ApplicationQuerySet, count: int) -> Any:
    """A page of ids by a lean query, then its rows with their money (see mobility lists)."""
    paginator = Paginator(applications.values_list("pk", flat=True), PAGE_SIZE)
    paginator.count = count  # counted with the totals already
    page = paginator.get_page(request.GET.get("page"))
    ids = list(page.object_list)
    found = ledger.rows(Application.objects.filter(pk__in=ids)).in_bulk(ids)
    page.object_list = [found[pk] for pk in ids]  # type: ignore[misc]
    return page


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@access.holds_role(Role.FINANCE, Role.OFFICER)
@require_safe
def ledger_page(request: AuthenticatedRequest) -> HttpResponse:
    """Per department: each mobility's grant, actual cost and net; what is expected, what
    was reimbursed and when."""
    scope = scope_of(request.user)
    filters, applications = _filtered(request, scope)
    chosen = ledger.in_ledger(applications)
    departments = ledger.per_department(chosen)
    totals = ledger.summed(departments)
    return _render(
        request,
        "reporting/ledger.html",
        {
            "filters": filters,
            "totals": totals,
            "departments": departments,
            "page": _page(
                request, chosen.order_by("department_id", "start", "pk"), totals.mobilities
            ),
            "query": _query(request),
        },
    )


LEDGER_HEADER = [
    "mobility",
    "department",
    "traveller",
    "call_year",
    "status",
    "start",
    "end",
    "grant_eur",
    "actual_cost_sek",
    "reimbursed_eur",
    "rate_sek_per_eur",
    "rate_date",
    "reimbursed_sek",
    "paid_on",
    "net_sek",
]


def _ledger_rows(applications: ApplicationQuerySet) -> Any:
    values = (
        applications.annotate(grant=ledger.grant_eur(), net=ledger.net_sek())
        .order_by("department__name_sv", "start", "pk")
        .values_list(
            "pk",
            "department__name_sv",
            "applicant__first_name",
            "applicant__last_name",
            "call_year",
            "status",
            "start",
            "end",
            "grant",
            "actual_cost__amount_sek",
            "reimbursement__amount_eur",
            "reimbursement__rate",
            "reimbursement__rate_date",
            "reimbursement__amount_sek",
            "reimbursement__paid_on",
            "net",
        )
        .iterator(chunk_size=2000)
    )
    for pk, department, first, last, *rest in values:
        yield [pk, department, f"{first} {last}".strip(), *rest]


@access.holds_role(Role.FINANCE, Role.OFFICER)
@require_safe
def ledger_export(request: AuthenticatedRequest, fmt: str) -> HttpResponseBase:
    if fmt not in FORMATS:
        raise Http404
    scope = scope_of(request.user)
    _filters, applications = _filtered(request, scope)
    rows = _ledger_rows(ledger.in_ledger(applications))
    name = f"ledger-{timezone.localdate().isoformat()}.{fmt}"
    if fmt == "csv":
        return exports.csv_response(name, LEDGER_HEADER, rows)
    return exports.xlsx_response(name, LEDGER_HEADER, rows)


@access.holds_role(Role.OFFICER, Role.MANAGER, Role.DEPUTY)
def budget_page(request: AuthenticatedRequest) -> HttpResponseBase:
    """The faculty's allocation per call year and where it stands; managers see their
    departments' share."""
    user = request.user
    scope = scope_of(user)
    office = people.office_faculties(user)
    form = BudgetForm(request.POST or None, faculties=office)
    if request.method == "POST":
        if not scope.office:
            return HttpResponse(status=403)
        if form.is_valid():
            try:
                money.set_faculty_budget(actor=Actor.of(user), **form.cleaned_data)
            except workflow.WorkflowError as error:
                messages.error(request, str(error.message))
            else:
                messages.success(request, _("The allocation is saved."))
            return redirect("reporting:budget")
    filters, applications = _filtered(request, scope)
    managed = scope.applications().filter(department__in=people.managed_departments(user))
    return _render(
        request,
        "reporting/budget.html",
        {
            "filters": filters,
            "faculties": budgets.faculties(
                applications, frozenset(office.values_list("pk", flat=True)), filters.chosen_year
            )
            if scope.office
            else [],
            "departments": budgets.departments(
                applications if scope.office else filters.narrowed(managed), filters.chosen_year
            ),
            "form": form if scope.office else None,
        },
        status=422 if request.method == "POST" else 200,
    )


def _cache_key(request: HttpRequest, scope: Scope) -> str:
    """The dashboard's cache key: whose scope, which filters, which language."""
    filters = hashlib.sha256(request.GET.urlencode().encode()).hexdigest()[:16]
    departments = ",".join(str(pk) for pk in sorted(scope.department_ids))
    scope_hash = hashlib.sha256(departments.encode()).hexdigest()[:16]
    return f"reporting.dashboard.{scope_hash}.{filters}.{translation.get_language()}"


@access.holds_role(*READERS)
@require_safe
def dashboard_page(request: AuthenticatedRequest) -> HttpResponse:
    scope = scope_of(request.user)
    filters, applications = _filtered(request, scope)
    return _render(
        request,
        "reporting/dashboard.html",
        {
            "filters": filters,
            "drawings": [
                charts.draw(chart)
                for chart in charts.cached_charts(applications, _cache_key(request, scope))
            ],
            "query": request.GET.urlencode(),
            "office": scope.office,
        },
    )


@access.holds_role(*READERS)
@require_safe
def chart_export(request: AuthenticatedRequest, slug: str, fmt: str) -> HttpResponseBase:
    if fmt not in FORMATS:
        raise Http404
    scope = scope_of(request.user)
    _filters, applications = _filtered(request, scope)
    chart = charts.chart(applications, slug)
    if chart is None:
        raise Http404
    header = [chart.title, chart.unit]
    rows: list[list[exports.Cell]] = [
        [label, int(value) if value == int(value) else value] for label, value in chart.rows
    ]
    name = f"{slug}.{fmt}"
    if fmt == "csv":
        return exports.csv_response(name, header, rows)
    return exports.xlsx_response(name, header, rows)


@access.holds_role(Role.OFFICER)
@require_safe
def eu_page(request: AuthenticatedRequest) -> HttpResponse:
    """The pre-check of the EU export: every row the EU's tool would refuse, and why."""
    scope = scope_of(request.user)
    filters, applications = _filtered(request, scope)
    mapping = eu.current_mapping()
    # Counted as they are read; only the first ones are kept to be shown.
    shown: list[eu.Refusal] = []
    refused = 0
    for refusal in eu.refusals(mapping, applications):
        refused += 1
        if len(shown) < SHOWN_REFUSALS:
            shown.append(refusal)
    return _render(
        request,
        "reporting/eu.html",
        {
            "filters": filters,
            "mapping": mapping,
            "refusals": shown,
            "refused": refused,
            "exported": eu.exported(applications).count(),
            "query": request.GET.urlencode(),
        },
    )


@access.holds_role(Role.OFFICER)
@require_safe
def eu_file(request: AuthenticatedRequest, fmt: str) -> HttpResponseBase:
    """The Beneficiary Module import file; refused while the pre-check finds a row the EU
    would refuse, unless the office asks for the rows that pass only."""
    if fmt not in FORMATS:
        raise Http404
    scope = scope_of(request.user)
    _filters, applications = _filtered(request, scope)
    mapping = eu.current_mapping()
    passing_only = request.GET.get("passing") == "1"
    if not passing_only and next(eu.refusals(mapping, applications), None) is not None:
        messages.error(
            request, _("The EU would refuse some rows: correct them, or export the others only.")
        )
        return redirect(f"{reverse('reporting:eu')}?{_query(request)}")
    rows = eu.file_rows(mapping, applications, passing_only=passing_only)
    name = f"beneficiary-module-{mapping.version}.{fmt}"
    if fmt == "csv":
        return exports.csv_response(name, mapping.headers, rows)
    return exports.xlsx_response(name, mapping.headers, rows)


@access.holds_role(Role.OFFICER)
@require_safe
def late_page(request: AuthenticatedRequest) -> HttpResponse:
    """Travellers whose month after the trip has passed with a step not done."""
    scope = scope_of(request.user)
    filters, applications = _filtered(request, scope)
    late = homecoming.late(applications).order_by("end", "pk")
    count = late.count()
    paginator = Paginator(late.values_list("pk", flat=True), PAGE_SIZE)
    paginator.count = count
    page = paginator.get_page(request.GET.get("page"))
    ids = list(page.object_list)
    found = Application.objects.select_related("applicant", "department", "homecoming").in_bulk(ids)
    today = timezone.localdate()
    rows: Any = [
        (
            found[pk],
            [
                step
                for step in homecoming.checklist(found[pk], getattr(found[pk], "homecoming", None))
                if step.late(today)
            ],
        )
        for pk in ids
    ]
    page.object_list = rows
    return _render(
        request,
        "reporting/late.html",
        {"filters": filters, "page": page, "count": count, "query": _query(request)},
    )
