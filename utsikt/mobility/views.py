"""The applicant's plans, the manager's inbox, the office's pipeline and finance's overview."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.http.response import HttpResponseRedirectBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from utsikt.accounts import access as people
from utsikt.accounts.http import AuthenticatedRequest
from utsikt.accounts.models import OrgUnit, RoleAssignment, User
from utsikt.catalogue.models import HostOrganisation, Opportunity
from utsikt.core import access, limits, revision
from utsikt.core.actors import Actor
from utsikt.core.cache import private_page
from utsikt.core.language import in_language
from utsikt.grants import rates
from utsikt.grants.gazetteer import find_places
from utsikt.grants.models import Country
from utsikt.grants.vocabulary import Activity
from utsikt.mobility import planning, workflow
from utsikt.mobility.access import (
    application_for,
    invitation_for,
    own_application_for,
    shared_plan_for,
)
from utsikt.mobility.estimate import Estimated, Incomplete, estimate, shown, shown_saved
from utsikt.mobility.forms import (
    ActualDatesForm,
    DecisionForm,
    GrantForm,
    InviteForm,
    PipelineFilter,
    PlanForm,
    SignedMobilityAgreementForm,
    host_label,
)
from utsikt.mobility.homecoming_views import after_trip
from utsikt.mobility.models import Application, ApplicationTally, Companion, Status

Role = RoleAssignment.Role
PAGE_SIZE = 25
# The revision the database's triggers change on every write to what the four work lists
# show (migration 0010): their repeated pages come from the cache until it changes.
WORK_LISTS = revision.WORKFLOW


_STATUS_LABELS: dict[str, Any] = dict(Status.choices)
_ACTIVITY_LABELS: dict[str, Any] = dict(Activity.choices)
_SOME_ID = 987654321


def _listed(ids: list[int]) -> list[Application]:
    """The applications with these ids, in this order, with what every list shows.

    Lists first pick the page's ids with a lean query that indexes can answer, then fetch
    the rows and what they show; sorting thousands of joined rows is what made them slow.
    Each row also gets what the table would otherwise work out per row with Django's
    heavier tools: its address (`detail_address`, one `reverse` for the page instead of
    one per row) and its status and activity labels (`status_label`, `activity_label`:
    `get_FOO_display` builds a dict of the choices on every call).
    """
    found = (
        Application.objects.select_related("applicant", "department", "allocation")
        .prefetch_related(
            Prefetch("hosts", queryset=HostOrganisation.objects.select_related("place"))
        )
        .in_bulk(ids)
    )
    before, after = reverse("mobility:application_detail", args=[_SOME_ID]).split(str(_SOME_ID))
    listed = [found[pk] for pk in ids]
    for application in listed:
        vars(application).update(
            detail_address=f"{before}{application.pk}{after}",
            status_label=_STATUS_LABELS.get(application.status, application.status),
            activity_label=_ACTIVITY_LABELS.get(application.activity, application.activity),
        )
    return listed


def _first(applications: Any, count: int) -> list[Application]:
    return _listed(list(applications.values_list("pk", flat=True)[:count]))


def _page(request: HttpRequest, applications: Any, count: int | None = None) -> Any:
    ids: Any = (
        applications
        if isinstance(applications, _Merged)
        else applications.values_list("pk", flat=True)
    )
    paginator = Paginator(ids, PAGE_SIZE)
    if count is not None:
        paginator.count = count  # already counted: spare the database a second count
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = _listed(list(page.object_list))
    return page


class _Merged:
    """The ids of some applications in one order, read part by part and merged in one query.

    A list over several departments sorted by another column made the database read every
    row of those departments and sort them: thousands at 100,000 applications. Each part
    here (one department, and for the pipeline one value of `first_time`) is read in order
    along its own index, only as far as the page needs, and the parts are merged by
    UNION ALL with the page's ORDER BY, LIMIT and OFFSET, so that the work per page stays
    the same however many applications there are. Paginator reads it like a list of ids.
    """

    def __init__(self, parts: list[Any], order: tuple[str, ...], count: int) -> None:
        self.parts = parts
        # The same order every time, ties included.
        self.order = order if order[-1] == "pk" else (*order, "pk")
        self.total = count

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, window: slice) -> list[int]:
        start, stop = window.start or 0, window.stop
        if not self.parts or stop is None or stop <= start:
            return []
        columns = [field.lstrip("-") for field in self.order]
        selects, params = [], []
        for number, part in enumerate(self.parts):
            sql, part_params = (
                part.order_by(*self.order).values_list(*columns)[:stop].query.sql_with_params()
            )
            # Django's own SQL, its values as parameters: nothing of the request in the text.
            selects.append(f"SELECT * FROM ({sql}) AS part_{number}")  # noqa: S608
            params.extend(part_params)
        # Columns by position: the merged rows have no table to name them by.
        order = ", ".join(
            f"{position} {'DESC' if field.startswith('-') else 'ASC'}"
            for position, field in enumerate(self.order, start=1)
        )
        query = " UNION ALL ".join(selects)
        query += f" ORDER BY {order} LIMIT {int(stop - start)} OFFSET {int(start)}"
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            return [row[columns.index("pk")] for row in cursor.fetchall()]


def _by_department(
    scope: Any, department_ids: list[int], order: tuple[str, ...], count: int, split: str = ""
) -> _Merged:
    """`scope` in `order`, a part per department (and per value of the boolean `split`)."""
    parts = [
        scope.filter(department_id=pk, **({split: value} if split else {}))
        for pk in department_ids
        for value in ((True, False) if split else (None,))
    ]
    return _Merged(parts, order, count)


@access.signed_in
@private_page(WORK_LISTS)
def staff_home(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    mine = Application.objects.of(user).order_by("-updated_at")
    invitations = (
        Companion.objects.filter(colleague=user, answer=Companion.Answer.INVITED)
        .select_related("application__applicant__department", "application__opportunity")
        .prefetch_related(
            Prefetch(
                "application__hosts",
                queryset=HostOrganisation.objects.select_related("place", "country"),
            )
        )
    )
    profile_missing = [
        str(field.verbose_name)
        for field in (User.staff_category.field, User.languages.field, User.department.field)
        if not getattr(user, field.name)
    ]
    return render(
        request,
        "mobility/staff_home.html",
        {
            "page": _page(
                request, mine, count=ApplicationTally.objects.filter(applicant=user).total()
            ),
            "invitations": invitations,
            "faculty": user.faculty,
            "profile_missing": profile_missing,
        },
    )


@access.signed_in
def start(request: AuthenticatedRequest) -> HttpResponseBase:
    """GET: confirm what the new plan starts from; POST: create the draft and open it."""
    opportunity = None
    slug = request.POST.get("opportunity") or request.GET.get("opportunity")
    if slug:
        opportunity = get_object_or_404(
            Opportunity.objects.listed().select_related("host__place", "host__country"), slug=slug
        )
    if request.method != "POST":
        return render(request, "mobility/start.html", {"opportunity": opportunity})
    try:
        application = planning.start_plan(applicant=request.user, opportunity=opportunity)
    except workflow.WorkflowError as error:
        messages.error(request, str(error.message))
        return redirect("mobility:staff_home")
    return redirect("mobility:application_plan", pk=application.pk)


def _save(
    request: AuthenticatedRequest, application: Application, form: PlanForm, version: int
) -> Application:
    return planning.save_draft(
        application=application,
        by=request.user,
        version=version,
        data=form.draft_values(),
        hosts=list(form.cleaned_data["hosts"]),
        page=form.cleaned_data.get("page") or "",
    )


def _plan_context(
    application: Application, form: PlanForm, conflict: Application | None = None
) -> dict[str, Any]:
    differences = []
    if conflict is not None and form.is_bound:
        for name in form._meta.fields or ():  # the plan's own fields, as stored
            if name not in form.cleaned_data:
                continue
            saved = getattr(conflict, name)
            if saved != form.cleaned_data[name]:
                differences.append((form[name].label, saved))
    return {
        "application": application,
        "form": form,
        **shown(estimate(application)),
        "conflict": conflict,
        "differences": differences,
        "missing": workflow.missing_for_submission(application),
    }


def _chosen_version(request: HttpRequest, form: PlanForm) -> int:
    """The version the save is based on: the page's own, or, when the person chose to keep
    their text over a version saved elsewhere ("Keep mine"), that version."""
    chosen = request.POST.get("keep_mine", "")
    return int(chosen) if chosen.isdigit() else int(form.cleaned_data["version"])


def _page_answer(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    """The planner's buttons post through htmx (in the page's queue): a redirect is then
    followed by the browser, and a page shown again replaces the page (htmx swaps only
    successful answers, so a conflict or a mistake comes as 200 with its own heading)."""
    if not getattr(request, "htmx", False):
        return response
    if isinstance(response, HttpResponseRedirectBase):
        return HttpResponseClientRedirect(response["Location"])
    response.status_code = 200
    return response


@access.signed_in
def plan(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    """The planner: one page, saved as a draft, with the rules' verdict beside it."""
    application = own_application_for(request.user, pk)
    if not application.is_editable:
        return _page_answer(request, redirect("mobility:application_detail", pk=pk))
    if request.method != "POST":
        form = PlanForm(instance=application)
        return render(request, "mobility/plan.html", _plan_context(application, form))
    form = PlanForm(request.POST, instance=Application.objects.get(pk=pk))
    if not form.is_valid():
        return _page_answer(
            request,
            render(request, "mobility/plan.html", _plan_context(application, form), status=422),
        )
    try:
        application = _save(request, application, form, _chosen_version(request, form))
    except planning.EditConflict as conflict:
        messages.warning(request, str(conflict.message))
        return _page_answer(
            request,
            render(
                request,
                "mobility/plan.html",
                _plan_context(application, form, conflict.current),
                status=409,
            ),
        )
    except workflow.WorkflowError as error:
        messages.error(request, str(error.message))
        return _page_answer(request, redirect("mobility:application_detail", pk=pk))
    if request.POST.get("intent") == "submit":
        saved_version = application.version
        return _page_answer(request, _act(request, application, "submit", version=saved_version))
    messages.success(request, _("Your plan is saved."))
    return _page_answer(request, redirect("mobility:application_plan", pk=pk))


@access.signed_in
@require_safe
def host_options(request: AuthenticatedRequest) -> HttpResponse:
    """htmx: suggestions for the planner's "Add a host" box, as options of its datalist."""
    text = request.GET.get("add_host", "").strip()[:100]
    hosts = (
        HostOrganisation.objects.approved()
        .matching(text)
        .select_related("place", "country")
        .order_by("name")[:15]
        if len(text) >= 2
        else []
    )
    return render(
        request, "mobility/_host_options.html", {"hosts": [(h, host_label(h)) for h in hosts]}
    )


@access.signed_in
@require_POST
def autosave(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """htmx: save the draft as the applicant types; answer with the live verdict."""
    application = own_application_for(request.user, pk)
    form = PlanForm(request.POST, instance=Application.objects.get(pk=pk), autosave=True)
    saved, conflict = False, None
    # An autosave never resolves a conflict: only the person's choice does (see plan).
    if form.is_valid() and application.is_editable:
        try:
            application = _save(request, application, form, form.cleaned_data["version"])
            saved = True
        except planning.EditConflict as error:
            conflict = error.current
        except workflow.WorkflowError:
            pass
    context = _plan_context(application, form, conflict)
    context.update({"saved": saved, "autosave": True})
    if saved and form.added_host:
        # The host chosen from the suggestions joins the ticked ones, and the box empties.
        context["picker_form"] = PlanForm(instance=application)
    return render(request, "mobility/plan.html#live", context, status=200)


@access.signed_in
def detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return detail_page(request, application_for(request.user, pk))


def detail_page(
    request: AuthenticatedRequest,
    application: Application,
    forms: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The application's page; `forms` are bound forms shown instead of empty ones, so that a
    refused step shows its errors with what the person typed (status 422)."""
    user = request.user
    relations = workflow.relations(user, application)
    allowed = workflow.allowed_actions(application, relations)
    if application.status == Status.DRAFT:
        verdict = estimate(application)
        estimated = shown(verdict)
        amount = verdict.estimate.grant.total_eur if isinstance(verdict, Estimated) else None
    else:
        estimated = shown_saved(application.estimate)
        amount = application.estimate.get("total_eur")
    return render(
        request,
        "mobility/detail.html",
        {
            "application": application,
            "hosts": application.hosts.select_related("place", "country"),
            "history": application.transitions.select_related("actor"),
            "allowed": allowed,
            "relations": relations,
            **estimated,
            "allocation": getattr(application, "allocation", None),
            "companions": application.companions.select_related(
                "colleague", "colleague_application"
            ),
            "decision_form": DecisionForm(),
            "grant_form": GrantForm(initial={"amount_eur": amount}),
            # The officer sees where the faculty's budget stands before allocating.
            "budget": workflow.budget_standing(application) if "grant" in allowed else None,
            "agreement_form": SignedMobilityAgreementForm(),
            "invite_form": InviteForm(inviter=user) if "applicant" in relations else None,
            "first_time": application.first_time
            if application.status != Status.DRAFT
            else application.first_grant,
            "dated_actions": _dated_actions(application, allowed, relations),
            "dates_form": ActualDatesForm(
                initial={
                    "start": application.start,
                    "end": application.end,
                    "travel_out": application.travel_out,
                    "travel_back": application.travel_back,
                }
            )
            if workflow.may_correct_dates(user, application)
            else None,
            # The after-trip checklist and the money, from the activity's last day.
            **after_trip(user, application, relations),
            **(forms or {}),
        },
        status=status,
    )


def _dated_actions(
    application: Application, allowed: list[str], relations: set[str]
) -> list[dict[str, Any]]:
    """The steps tied to the trip's dates this person may take, and from which day."""
    labels = {
        "start_travel": _("The trip has started"),
        "complete": _("Back home"),
        "settle": _("Mark as settled"),
    }
    return [
        {
            "action": action,
            "label": labels[action],
            "from_day": workflow.too_early(application, action),
            "may_override": workflow.OFFICER in relations,
        }
        for action in workflow.DATED_ACTIONS
        if action in allowed
    ]


def _act(
    request: AuthenticatedRequest,
    application: Application,
    action: str,
    *,
    version: int | None = None,
) -> HttpResponseBase:
    """Take an action; `version` is the plan's version the submission was judged on, when
    the caller knows it better than the page (the planner, having just saved it)."""
    user = request.user
    arguments: dict[str, Any] = {"application": application, "actor": Actor.of(user)}
    if action in {"approve", "return_for_changes", "reject", "withdraw", "cancel"}:
        form: Any = DecisionForm(request.POST)
        form.is_valid()
        if action != "approve" or form.cleaned_data.get("comment"):
            arguments["comment"] = form.cleaned_data.get("comment", "")
    elif action == "grant":
        form = GrantForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the grant as a whole number of euros."))
            return redirect("mobility:application_detail", pk=application.pk)
        arguments.update(form.cleaned_data)
    elif action == "record_signed_agreement":
        form = SignedMobilityAgreementForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("Choose the signed PDF to upload."))
            return redirect("mobility:application_detail", pk=application.pk)
        arguments["pdf"] = form.cleaned_data["pdf"]
    elif action in workflow.DATED_ACTIONS:
        arguments["override_reason"] = request.POST.get("override_reason", "")[:2000]
    elif action == "submit":
        shown_version = request.POST.get("version", "")
        if version is not None:
            arguments["version"] = version
        elif shown_version.isdigit():
            arguments["version"] = int(shown_version)
        verdict = estimate(application)
        if not isinstance(verdict, Estimated | Incomplete):
            messages.error(request, _("The rules cannot check the plan yet: see what to fix."))
            return redirect("mobility:application_plan", pk=application.pk)
        arguments["estimate"] = verdict.estimate if isinstance(verdict, Estimated) else None
    try:
        workflow.check(user, application, action)
        getattr(workflow, action)(**arguments)
    except workflow.WorkflowError as error:
        messages.error(request, str(error.message))
        if action == "submit":
            return redirect("mobility:application_plan", pk=application.pk)
    else:
        messages.success(
            request, _("Done: %(status)s.") % {"status": application.get_status_display()}
        )
    return redirect("mobility:application_detail", pk=application.pk)


@access.signed_in
@require_POST
# The signed agreement is uploaded through the same route as every other action.
@limits.body_limit(workflow.AGREEMENT_MAX_BYTES + limits.FORM_OVERHEAD_BYTES)
def act(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponseBase:
    """Take one workflow action; `workflow.check` first decides whether this person may."""
    if action not in workflow.ACTIONS:
        raise Http404
    application = application_for(request.user, pk)
    return _act(request, application, action)


@access.signed_in
@require_POST
def correct_dates(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    """The traveller or the office records the dates the trip actually had."""
    application = application_for(request.user, pk)
    form = ActualDatesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the dates as dates."))
        return redirect("mobility:application_detail", pk=pk)
    try:
        workflow.correct_dates(
            application=application, actor=Actor.of(request.user), **form.cleaned_data
        )
    except workflow.WorkflowError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The actual dates are saved."))
    return redirect("mobility:application_detail", pk=pk)


@access.signed_in
def agreement(request: AuthenticatedRequest, pk: int) -> FileResponse:
    application = application_for(request.user, pk)
    if not application.agreement_pdf:
        raise Http404
    return FileResponse(
        application.agreement_pdf.open("rb"),
        as_attachment=True,
        filename=f"mobility-agreement-{application.pk}.pdf",
        content_type="application/pdf",
    )


@access.signed_in
@require_POST
def invite(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    application = own_application_for(request.user, pk)
    form = InviteForm(request.POST, inviter=request.user)
    if form.is_valid():
        try:
            planning.invite_companion(
                application=application,
                colleague=form.cleaned_data["colleague"],
                by=request.user,
            )
            messages.success(request, _("Your colleague is invited and gets an e-mail."))
        except workflow.WorkflowError as error:
            messages.error(request, str(error.message))
    else:
        messages.error(request, _("Choose a colleague to invite."))
    return redirect("mobility:application_detail", pk=pk)


@access.signed_in
def answer(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    """GET: the invitation, saying who, what, where and when; POST: accept or decline."""
    companion = invitation_for(request.user, pk)
    if request.method != "POST":
        return render(
            request,
            "mobility/invitation.html",
            {"invitation": companion, "plan": companion.application},
        )
    accept = request.POST.get("answer") == "accept"
    try:
        planning.answer_invitation(companion=companion, by=request.user, accept=accept)
    except workflow.WorkflowError as error:
        messages.error(request, str(error.message))
        return redirect("mobility:staff_home")
    if accept and companion.colleague_application_id:
        messages.success(
            request, _("You travel together. Your own plan is started from your colleague's.")
        )
        return redirect("mobility:application_plan", pk=companion.colleague_application_id)
    return redirect("mobility:staff_home")


@access.signed_in
@require_safe
def shared_plan(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A read-only summary of a plan its author invited this person to share."""
    plan = shared_plan_for(request.user, pk)
    return render(
        request,
        "mobility/shared_plan.html",
        {"plan": plan, "invitations": plan.companions.filter(colleague=request.user)},
    )


@access.signed_in
def together(request: AuthenticatedRequest) -> HttpResponse:
    """Who else is going to this city or this staff week, and whom to travel with."""
    user = request.user
    city = request.GET.get("city", "").strip()
    visible = Application.objects.visible_to_colleagues().exclude(applicant=user)
    if city:
        visible = visible.with_host(place__in=find_places(city))
    same_trip = visible.sharing_a_trip_with(Application.objects.of(user).open())
    pairing = planning.suggested_companions(visible, user)
    return render(
        request,
        "mobility/together.html",
        {
            "city": city,
            "query": urlencode({"city": city}) if city else "",
            "page": _page(request, visible.order_by("start", "pk")),
            "same_trip": _first(same_trip.order_by("start", "pk"), 10),
            "suggestions": _first(pairing.order_by("start", "pk"), 10),
        },
    )


@access.holds_role(Role.MANAGER, Role.DEPUTY)
@private_page(WORK_LISTS)
def manager_home(request: AuthenticatedRequest) -> HttpResponse:
    """The manager's inbox: what waits for a decision, with the department's net cost."""
    user = request.user
    departments = people.managed_departments(user)
    department_ids = list(departments.values_list("pk", flat=True))
    waiting = Application.objects.awaiting(departments).exclude(applicant=user)
    decided = _listed(
        _by_department(
            Application.objects.in_departments(departments).exclude(
                status__in=[Status.DRAFT, Status.SUBMITTED]
            ),
            department_ids,
            ("-updated_at",),
            count=0,
        )[:10]
    )
    deputies = (
        RoleAssignment.objects.current()
        .filter(role=Role.DEPUTY, unit__in=departments)
        .exclude(user=user)
        .select_related("user", "unit")
    )
    waiting_count = (
        ApplicationTally.objects.filter(department__in=department_ids, status=Status.SUBMITTED)
        .exclude(applicant=user)
        .total()
    )
    return render(
        request,
        "mobility/manager_home.html",
        {
            "page": _page(
                request,
                _by_department(waiting, department_ids, ("updated_at",), waiting_count),
            ),
            "decided": decided,
            "departments": departments.with_member_counts(),
            "deputies": deputies,
        },
    )


def _pipeline_counts(
    chosen: Any, department_ids: list[int], filters: dict[str, Any]
) -> dict[str, int]:
    """The pipeline's applications per status: from the tally when only the status and the
    department narrow it (the tally counts by those), else counted over the filtered list."""
    if any(filters.get(name) for name in ("country", "call_year", "activity")):
        return dict(chosen.order_by().values_list("status").annotate(n=Count("pk")))
    tally = ApplicationTally.objects.filter(department__in=department_ids).exclude(
        status=Status.DRAFT
    )
    if filters.get("status"):
        tally = tally.filter(status=filters["status"])
    if filters.get("department"):
        tally = tally.filter(department__code=filters["department"])
    return tally.per_status()


@access.holds_role(Role.OFFICER)
@private_page(WORK_LISTS)
def office_home(request: AuthenticatedRequest) -> HttpResponse:
    """The faculty's pipeline with filters, counts per status, and first-timers marked."""
    user = request.user
    faculties = people.office_faculties(user)
    scope = Application.objects.in_faculties(faculties).exclude(status=Status.DRAFT)
    departments = people.visible_departments(user).filter(parent__in=faculties)
    filters = PipelineFilter(
        request.GET or None,
        departments=departments,
        # (code, name) pairs read as values: 250 model instances cost the page a millisecond.
        countries=[
            (code, in_language(swedish, english))
            for code, swedish, english in Country.objects.values_list("iso2", "name_sv", "name_en")
        ],
        years=rates.call_years(),
    )
    chosen = scope.filtered(**filters.cleaned_data) if filters.is_valid() else scope
    department_ids = list(OrgUnit.objects.filter(parent__in=faculties).values_list("pk", flat=True))
    counts = _pipeline_counts(
        chosen, department_ids, filters.cleaned_data if filters.is_valid() else {}
    )
    # First-timers first, then the longest waiting.
    ordered = _by_department(
        chosen,
        department_ids,
        ("-first_time", "updated_at"),
        count=sum(counts.values()),
        split="first_time",
    )
    page = _page(request, ordered, count=sum(counts.values()))
    return render(
        request,
        "mobility/office_home.html",
        {
            "faculties": faculties,
            "filters": filters,
            "counts": [
                (status, label, counts.get(status, 0))
                for status, label in Status.choices
                if status != Status.DRAFT
            ],
            "total": sum(counts.values()),
            "page": page,
            "query": request.GET.urlencode(),
        },
    )


@access.holds_role(Role.FINANCE)
@private_page(WORK_LISTS)
def finance_home(request: AuthenticatedRequest) -> HttpResponse:
    """What the department pays and what Erasmus+ reimburses, application by application."""
    user = request.user
    departments = people.finance_departments(user)
    applications = Application.objects.in_departments(departments).exclude(
        status__in=[Status.DRAFT, *Application.ENDED]
    )
    department_ids = list(departments.values_list("pk", flat=True))
    count = (
        ApplicationTally.objects.filter(department__in=department_ids)
        .exclude(status__in=[Status.DRAFT, *Application.ENDED])
        .total()
    )
    ordered = _by_department(applications, department_ids, ("start", "pk"), count)
    return render(
        request,
        "mobility/finance_home.html",
        {
            "departments": departments.with_member_counts(),
            "page": _page(request, ordered, count=len(ordered)),
        },
    )
