"""The International Office's pages: its catalogue, opportunities to write and publish, the
import, and hosts to review, merge and record partner agreements for."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from utsikt.accounts.access import ADMINISTRATOR, Role
from utsikt.accounts.http import AuthenticatedRequest
from utsikt.catalogue import access as gates
from utsikt.catalogue import curation, imports
from utsikt.catalogue.forms import (
    ImportForm,
    MergeForm,
    OfficerHostForm,
    OpportunityForm,
    PartnerAgreementForm,
)
from utsikt.catalogue.models import HostOrganisation, ImportRun, Opportunity, PartnerAgreement
from utsikt.core import access, limits

CURATORS = (Role.OFFICER, ADMINISTRATOR)


OFFICE_PER_PAGE = 50


@access.holds_role(*CURATORS)
@require_safe
def import_run(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    """How far a large import got, and its report once done; htmx asks again until then."""
    run = gates.import_run_for(request.user, pk)
    if run.status == ImportRun.Status.PREVIEW:  # waits on the import page, not here
        return redirect("catalogue:import")
    template = "catalogue/import_run.html"
    if getattr(request, "htmx", False):
        template += "#progress"
    return render(request, template, {"run": run, "report": run.report or None})


@access.holds_role(*CURATORS)
@require_safe
def office(request: AuthenticatedRequest) -> HttpResponse:
    """The faculty's catalogue: drafts to finish, what is published, proposals to review."""
    user = request.user
    status = request.GET.get("status", "")
    curated = Opportunity.objects.curated_by(gates.curated_faculties(user))
    items = curated.select_related("host", "country", "faculty").order_by("-updated_at", "pk")
    if status in Opportunity.Status.values:
        items = items.filter(status=status)
    counts = dict(curated.values_list("status").annotate(n=Count("pk")).order_by())
    return render(
        request,
        "catalogue/office.html",
        {
            "page": Paginator(items, OFFICE_PER_PAGE).get_page(request.GET.get("page")),
            "status": status,
            "statuses": [(s, label, counts.get(s, 0)) for s, label in Opportunity.Status.choices],
            "proposed": HostOrganisation.objects.proposed().count(),
        },
    )


@access.holds_role(*CURATORS)
def opportunity_create(request: AuthenticatedRequest) -> HttpResponseBase:
    user = request.user
    form = OpportunityForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        opportunity = curation.save_opportunity(opportunity=form.instance, by=user)
        messages.success(request, _("Saved as a draft. Publish it when it is ready."))
        return redirect("catalogue:opportunity_detail", slug=opportunity.slug)
    return render(request, "catalogue/opportunity_form.html", {"form": form})


@access.holds_role(*CURATORS)
def opportunity_edit(request: AuthenticatedRequest, slug: str) -> HttpResponseBase:
    user = request.user
    opportunity = gates.opportunity_for_editing(user, slug)
    form = OpportunityForm(request.POST or None, instance=opportunity, user=user)
    if request.method == "POST" and form.is_valid():
        curation.save_opportunity(opportunity=form.instance, by=user)
        messages.success(request, _("The changes are saved."))
        return redirect("catalogue:opportunity_detail", slug=opportunity.slug)
    return render(
        request, "catalogue/opportunity_form.html", {"form": form, "opportunity": opportunity}
    )


def _transition(
    action: Callable[..., None], done: Any
) -> Callable[[AuthenticatedRequest, str], HttpResponseBase]:
    @access.holds_role(*CURATORS)
    @require_POST
    def view(request: AuthenticatedRequest, slug: str) -> HttpResponseBase:
        opportunity = gates.opportunity_for_editing(request.user, slug)
        try:
            action(opportunity=opportunity, by=request.user)
        except curation.CurationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, done)
        return redirect("catalogue:opportunity_detail", slug=opportunity.slug)

    return view


opportunity_publish = _transition(
    curation.publish, gettext_lazy("Published: everyone can find it now.")
)
opportunity_unpublish = _transition(
    curation.unpublish, gettext_lazy("Back to draft: only your office sees it.")
)
opportunity_cancel = _transition(
    curation.cancel, gettext_lazy("Marked as cancelled; its page says so.")
)


@access.holds_role(*CURATORS)
@limits.body_limit(imports.MAX_UPLOAD_BYTES + limits.FORM_OVERHEAD_BYTES)
def import_page(request: AuthenticatedRequest) -> HttpResponseBase:
    """Upload a CSV or Excel file of opportunities; see what would happen; then confirm.

    The first step checks the file and keeps it (an ImportRun waiting for confirmation): the
    preview lists what is new, changed (before → after), unchanged, duplicated and refused.
    Headings the import does not know can be mapped to its columns, and the mapping saved
    by name for the next file from the same source.
    """
    user = request.user
    if request.method == "POST" and "run" in request.POST:
        return _import_step(request)
    form = ImportForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(imports.MAX_UPLOAD_BYTES + 1)
        saved_mapping = form.cleaned_data["mapping"]
        mapping = saved_mapping.columns if saved_mapping else {}
        if form.cleaned_data["check_only"]:
            outcome = imports.import_or_start(
                name=upload.name,
                data=data,
                faculty=form.cleaned_data["faculty"],
                by=user,
                check_only=True,
            )
            if isinstance(outcome, ImportRun):
                return redirect("catalogue:import_run", pk=outcome.pk)
            return _import_render(request, form, outcome)
        rows = _row_count(upload.name, data)
        if rows > settings.UTSIKT_IMPORT_SYNC_ROWS and not mapping:
            outcome = imports.import_or_start(
                name=upload.name, data=data, faculty=form.cleaned_data["faculty"], by=user
            )
            if isinstance(outcome, ImportRun):
                return redirect("catalogue:import_run", pk=outcome.pk)
            return _import_render(request, form, outcome)
        # One file waits for confirmation per person: an earlier one is dropped.
        ImportRun.objects.filter(by=user, status=ImportRun.Status.PREVIEW).delete()
        run = ImportRun.objects.create(
            faculty=form.cleaned_data["faculty"],
            by=user,
            file_name=upload.name[:255],
            data=data,
            check_only=True,
            status=ImportRun.Status.PREVIEW,
            columns=mapping,
        )
        return _import_preview(request, run)
    return _import_render(request, form, None)


def _row_count(name: str, data: bytes) -> int:
    try:
        return len(imports.read_table(name, data))
    except imports.ImportFileError:
        return 0


def _import_render(
    request: AuthenticatedRequest,
    form: ImportForm | None,
    report: imports.Report | None,
    **extra: Any,
) -> HttpResponse:
    return render(
        request,
        "catalogue/import.html",
        {
            "form": form or ImportForm(user=request.user),
            "report": report,
            "format_columns": imports.format_columns(),
            **extra,
        },
    )


def _import_preview(request: AuthenticatedRequest, run: ImportRun) -> HttpResponse:
    """Check the kept file (with its mapping) and show what saving it would do."""
    data = bytes(run.data)
    report = imports.import_file(
        name=run.file_name,
        data=data,
        faculty=run.faculty,
        by=request.user,
        check_only=True,
        mapping=run.columns or None,
    )
    try:
        headings = imports.headings(run.file_name, data)
    except imports.ImportFileError:
        headings = []
    mapped = [
        (i, heading, imports.column_of(heading, run.columns or None) or "")
        for i, heading in enumerate(headings)
    ]
    return _import_render(
        request,
        None,
        report,
        run=run,
        preview=True,
        mapped=mapped,
        choices=list(imports.COLUMNS),
        to_description=imports.TO_DESCRIPTION,
    )


def _import_step(request: AuthenticatedRequest) -> HttpResponseBase:
    """Confirm a checked file, or map its columns and check it again."""
    user = request.user
    pk = request.POST.get("run", "")
    run = gates.import_run_for(user, int(pk) if pk.isdigit() and len(pk) < 10 else 0)
    if run.status != ImportRun.Status.PREVIEW or run.by_id != user.pk:
        messages.error(request, _("That import is done already; upload the file again."))
        return redirect("catalogue:import")
    run = ImportRun.objects.get(pk=run.pk)  # with the file
    if "map" in request.POST:
        columns: dict[str, str] = {}
        try:
            headings = imports.headings(run.file_name, bytes(run.data))
        except imports.ImportFileError:
            headings = []
        for i, heading in enumerate(headings):
            chosen = request.POST.get(f"column-{i}", "")
            if chosen == "" or chosen in imports.COLUMNS or chosen == imports.TO_DESCRIPTION:
                columns[imports.heading_key(heading)] = chosen
        run.columns = columns
        run.save(update_fields=["columns"])
        name = request.POST.get("mapping_name", "").strip()
        if name:
            curation.save_import_mapping(faculty=run.faculty, name=name, columns=columns, by=user)
            messages.success(
                request, _("The mapping is saved as “%(name)s” for next time.") % {"name": name}
            )
        return _import_preview(request, run)
    report = imports.import_file(
        name=run.file_name,
        data=bytes(run.data),
        faculty=run.faculty,
        by=user,
        all_or_nothing="skip_invalid" not in request.POST,
        mapping=run.columns or None,
    )
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.DONE,
        check_only=False,
        report=imports.report_json(report) | {"problems": [asdict(p) for p in report.problems]},
        finished_at=timezone.now(),
        data=b"",
    )
    return _import_render(request, None, report)


@access.holds_role(*CURATORS)
@require_safe
def import_template(request: AuthenticatedRequest, kind: str) -> HttpResponse:
    """The import's template: its columns and an example row (CSV), and in Excel also a
    sheet of the values each column accepts."""
    if kind == "csv":
        response = HttpResponse(imports.template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="utsikt-import.csv"'
        return response
    if kind == "xlsx":
        response = HttpResponse(
            imports.template_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="utsikt-import.xlsx"'
        return response
    raise Http404


@access.holds_role(*CURATORS)
@require_safe
def host_review(request: AuthenticatedRequest) -> HttpResponse:
    """Hosts proposed by staff, waiting to be approved or merged into a host we have."""
    proposed = list(
        HostOrganisation.objects.proposed().select_related("country", "place", "proposed_by")
    )
    # Similar hosts the catalogue has (same Erasmus code, or a similar name in the country,
    # more so in the same city): a proposal, or a host an import created, may be one of them.
    countries = {host.country_id for host in proposed}
    by_country: dict[str, list[HostOrganisation]] = {}
    for other in HostOrganisation.objects.approved().filter(country__in=countries):
        by_country.setdefault(other.country_id, []).append(other)
    rows = [
        (host, imports.similar_hosts(host, by_country.get(host.country_id, [])))
        for host in proposed
    ]
    return render(request, "catalogue/host_review.html", {"proposed": rows})


@access.holds_role(*CURATORS)
def host_edit(request: AuthenticatedRequest, slug: str) -> HttpResponseBase:
    host = gates.host_for_review(request.user, slug)
    form = OfficerHostForm(request.POST or None, instance=host)
    if request.method == "POST" and form.is_valid():
        form.instance.place = form.place
        curation.save_host(host=form.instance, by=request.user)
        messages.success(request, _("The changes are saved."))
        return redirect("catalogue:host_detail", slug=host.slug)
    return render(request, "catalogue/host_form.html", {"form": form, "host": host})


@access.holds_role(*CURATORS)
@require_POST
def host_approve(request: AuthenticatedRequest, slug: str) -> HttpResponseBase:
    host = gates.host_for_review(request.user, slug)
    curation.approve_host(host=host, by=request.user)
    messages.success(request, _("%(name)s is in the catalogue.") % {"name": host.name})
    return redirect("catalogue:host_detail", slug=host.slug)


@access.holds_role(*CURATORS)
def host_merge(request: AuthenticatedRequest, slug: str) -> HttpResponseBase:
    """Fold a duplicate host into the one to keep."""
    duplicate = gates.host_for_review(request.user, slug)
    form = MergeForm(request.POST or None, duplicate=duplicate)
    if request.method == "POST" and form.is_valid():
        keep = curation.merge_hosts(
            keep=form.cleaned_data["keep"], duplicate=duplicate, by=request.user
        )
        messages.success(
            request,
            _("%(duplicate)s is merged into %(keep)s.")
            % {"duplicate": duplicate.name, "keep": keep.name},
        )
        return redirect("catalogue:host_detail", slug=keep.slug)
    return render(request, "catalogue/host_merge.html", {"form": form, "host": duplicate})


@access.holds_role(*CURATORS)
def agreement_add(request: AuthenticatedRequest, slug: str) -> HttpResponseBase:
    host = gates.host_for_review(request.user, slug)
    user = request.user
    year = timezone.localdate().year
    form = PartnerAgreementForm(
        request.POST or None,
        instance=PartnerAgreement(host=host),
        user=user,
        initial={"valid_from": year, "valid_until": 2027},
    )
    if request.method == "POST" and form.is_valid():
        curation.record_agreement(agreement=form.instance, by=user)
        messages.success(request, _("The agreement is saved."))
        return redirect("catalogue:host_detail", slug=host.slug)
    return render(request, "catalogue/partner_agreement_form.html", {"form": form, "host": host})
