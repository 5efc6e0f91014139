"""The after-trip checklist on the application's page, and the money recorded beside it.

Each form posts to its own route, which calls one write in `mobility.homecoming` or
`mobility.money` and returns to the application's page with what happened.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from utsikt.accounts.http import AuthenticatedRequest
from utsikt.accounts.models import User
from utsikt.core import access, limits
from utsikt.core.actors import Actor
from utsikt.mobility import homecoming, money, workflow
from utsikt.mobility.access import application_for
from utsikt.mobility.forms import (
    ActualCostForm,
    AttendanceForm,
    HomecomingDatesForm,
    LearningReportForm,
    MobilityCostsForm,
    ReimbursementForm,
)
from utsikt.mobility.models import ActualCost, Application, Homecoming, Reimbursement


def after_trip(user: User, application: Application, relations: set[str]) -> dict[str, Any]:
    """What the application's page shows of the after-trip steps and the money, for this
    person; nothing before the activity's last day."""
    if not homecoming.is_open(application) and application.status != "settled":
        return {}
    record = Homecoming.objects.filter(application=application).first()
    today = timezone.localdate()
    traveller = workflow.APPLICANT in relations
    officer = workflow.OFFICER in relations
    finance = workflow.FINANCE in relations
    open_now = homecoming.is_open(application)
    steps = homecoming.checklist(application, record)
    context: dict[str, Any] = {
        "homecoming": record,
        "checklist": [(step, step.late(today)) for step in steps],
        "checklist_done": all(step.done for step in steps),
        "may_hand_in": open_now and (traveller or officer),
        "may_report": open_now and traveller,
        "may_mark_report": open_now and officer,
        "actual_cost": ActualCost.objects.filter(application=application).first(),
        "reimbursement": Reimbursement.objects.filter(application=application).first(),
        "grant_now_eur": homecoming.current_grant_eur(application),
        "settle_refusal": money.why_not_settled(application)
        if application.status == "completed"
        else None,
    }
    if context["may_hand_in"]:
        context["homecoming_dates_form"] = HomecomingDatesForm(
            initial={
                "start": application.start,
                "end": application.end,
                "travel_out": application.travel_out,
                "travel_back": application.travel_back,
            }
        )
        context["attendance_form"] = AttendanceForm(
            initial={"start": application.start, "end": application.end}
        )
        costs = {}
        if record is not None and record.costs_submitted_at is not None:
            costs = {
                name: getattr(record, name)
                for name in ("travel_sek", "accommodation_sek", "per_diem_sek", "fees_sek")
            } | {"travel_claim_reference": record.travel_claim_reference}
        context["costs_form"] = MobilityCostsForm(initial=costs)
    if context["may_report"]:
        context["learning_form"] = LearningReportForm(
            initial={
                "text": record.learning_report if record else "",
                "offered_as_story": record.offered_as_story if record else False,
            }
        )
    if application.status in money.RECORDABLE:
        if finance:
            cost = context["actual_cost"]
            context["actual_cost_form"] = ActualCostForm(
                initial={
                    "amount_sek": cost.amount_sek
                    if cost
                    else (record.costs_total_sek if record else None)
                }
            )
        if officer:
            context["reimbursement_form"] = ReimbursementForm(
                initial={"amount_eur": context["grant_now_eur"]}
            )
    return context


def _done(
    request: AuthenticatedRequest,
    application: Application,
    write: Callable[[], object],
    success: str,
    form: tuple[str, Form] | None = None,
) -> HttpResponseBase:
    """Run the write; a refusal is shown on the form that asked, with what was typed."""
    try:
        write()
    except workflow.WorkflowError as error:
        if form is not None:
            form[1].add_error(None, str(error.message))
            return _invalid(request, application, form)
        messages.error(request, str(error.message))
    else:
        messages.success(request, success)
    return redirect(f"{application_url(application)}#after-trip-heading")


def application_url(application: Application) -> str:
    return reverse("mobility:application_detail", args=[application.pk])


def _invalid(
    request: AuthenticatedRequest, application: Application, form: tuple[str, Form]
) -> HttpResponseBase:
    """The application's page again, the refused form open with its errors and its values."""
    # Imported here: the page's view imports this module for the checklist's context.
    from utsikt.mobility.views import detail_page

    name, bound = form
    messages.error(request, _("Check the form: some values are missing or not valid."))
    return detail_page(request, application, {name: bound}, status=422)


def _form_step(
    request: AuthenticatedRequest,
    pk: int,
    form_class: type[Form],
    name: str,
    write: Callable[..., object],
    success: str,
) -> HttpResponseBase:
    """One checklist or money form: bound, checked, then its write with the person as actor;
    refused, the page comes back with the form open under `name` (see `_invalid`)."""
    application = application_for(request.user, pk)
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        return _invalid(request, application, (name, form))
    return _done(
        request,
        application,
        lambda: write(application=application, actor=Actor.of(request.user), **form.cleaned_data),
        success,
        form=(name, form),
    )


@access.signed_in
def dates(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    """The actual dates: first the grant they give beside the one that stands, then saved."""
    application = application_for(request.user, pk)
    if request.method != "POST":
        return redirect(f"{application_url(application)}#after-trip-heading")
    form = HomecomingDatesForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "mobility/homecoming_dates.html",
            {"application": application, "form": form},
            status=422,
        )
    if request.POST.get("intent") != "save":
        change = homecoming.grant_change(application, **form.cleaned_data)
        return render(
            request,
            "mobility/homecoming_dates.html",
            {"application": application, "form": form, "change": change},
        )
    return _done(
        request,
        application,
        lambda: homecoming.confirm_dates(
            application=application, actor=Actor.of(request.user), **form.cleaned_data
        ),
        _("The actual dates are saved and the grant follows them."),
    )


@access.signed_in
@require_POST
@limits.body_limit(homecoming.CERTIFICATE_MAX_BYTES + limits.FORM_OVERHEAD_BYTES)
def attendance(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    return _form_step(
        request,
        pk,
        AttendanceForm,
        "attendance_form",
        homecoming.record_attendance,
        _("The certificate of attendance is saved."),
    )


@access.signed_in
@require_POST
def costs(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    return _form_step(
        request,
        pk,
        MobilityCostsForm,
        "costs_form",
        homecoming.submit_costs,
        _("The Mobility Costs form is saved."),
    )


@access.signed_in
@require_POST
def participant_report(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    application = application_for(request.user, pk)
    return _done(
        request,
        application,
        lambda: homecoming.mark_participant_report_done(
            application=application, actor=Actor.of(request.user)
        ),
        _("The participant report is marked as done."),
    )


@access.signed_in
@require_POST
def learning(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    return _form_step(
        request,
        pk,
        LearningReportForm,
        "learning_form",
        homecoming.report_learning,
        _("Thank you for your report."),
    )


@access.signed_in
@require_POST
def actual_cost(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    return _form_step(
        request,
        pk,
        ActualCostForm,
        "actual_cost_form",
        money.record_actual_cost,
        _("The actual cost is recorded."),
    )


@access.signed_in
@require_POST
def reimbursement(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    return _form_step(
        request,
        pk,
        ReimbursementForm,
        "reimbursement_form",
        money.record_reimbursement,
        _("The reimbursement is recorded."),
    )
