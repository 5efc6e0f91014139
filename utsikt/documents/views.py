"""The documents' pages: the agreement page of an application, the host's pages (no
account: a personal link is the permission), and the public verification page."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from utsikt.accounts.http import AuthenticatedRequest
from utsikt.accounts.ratelimit import client_address
from utsikt.core import access, limits
from utsikt.core import pdf as core_pdf
from utsikt.core.actors import Actor
from utsikt.documents import agreements, attendance, outreach, ratelimit
from utsikt.documents.access import sealed_for, version_for
from utsikt.documents.forms import (
    AttendanceForm,
    ChangesForm,
    HostSignForm,
    InviteHostForm,
    LetterForm,
    ScanForm,
    StepForm,
    VerifyForm,
)
from utsikt.documents.models import (
    AgreementVersion,
    Attendance,
    HostLink,
    Letter,
    Party,
    SealedDocument,
)
from utsikt.mobility import workflow
from utsikt.mobility.access import application_for, own_application_for
from utsikt.mobility.models import Application

UPLOAD_LIMIT = core_pdf.MAX_BYTES + limits.FORM_OVERHEAD_BYTES


def _pdf_response(file: Any, filename: str, *, inline: bool = False) -> FileResponse:
    if not file:  # not rendered yet, or no longer kept (its person was anonymised)
        raise Http404
    return FileResponse(
        file.open("rb"), as_attachment=not inline, filename=filename, content_type="application/pdf"
    )


# ---------------------------------------------------------------------------------------
# The agreement page


@access.signed_in
@require_safe
def agreement(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = application_for(request.user, pk)
    versions = list(
        AgreementVersion.objects.filter(agreement__application=application)
        .order_by("-number")
        .prefetch_related("signatures", "change_requests")
    )
    current = next((v for v in versions if v.voided_at is None), None)
    relations = workflow.relations(request.user, application)
    signed = (
        {s.party for s in current.signatures.all() if s.voided_at is None} if current else set()
    )
    context = {
        "application": application,
        "versions": versions,
        "current": current,
        "signed": signed,
        "waiting": [label for party, label in Party.choices if current and party not in signed],
        "is_officer": workflow.OFFICER in relations,
        "is_applicant": workflow.APPLICANT in relations,
        "may_sign": [
            (party, Party(party).label)
            for party in agreements.parties_who_may_sign(request.user, application)
            if party not in signed
        ],
        "may_prepare": application.status in agreements.PREPARABLE,
        "sealed": list(SealedDocument.objects.filter(application=application)),
        "attendance": Attendance.objects.filter(application=application).first(),
        "may_invite_attendance": application.status in attendance.CONFIRMABLE,
        "invite_form": InviteHostForm(initial=_host_contact(application)),
        "scan_form": ScanForm(prefix="scan"),
        "links": list(HostLink.objects.filter(application=application).order_by("-created_at")),
    }
    return render(request, "documents/agreement.html", context)


def _host_contact(application: Application) -> dict[str, str]:
    host = application.hosts.order_by("pk").first()
    return {"email": host.contact_email, "name": host.contact_name} if host else {}


def _officer_application(request: AuthenticatedRequest, pk: int) -> Application:
    application = application_for(request.user, pk)
    if workflow.OFFICER not in workflow.relations(request.user, application):
        raise Http404
    return application


@access.signed_in
@require_POST
def prepare(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    application = _officer_application(request, pk)
    try:
        version = agreements.prepare(application=application, actor=Actor.of(request.user))
    except agreements.DocumentError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            _("Version %(number)s of the agreement is ready or being prepared.")
            % {"number": version.number},
        )
    return redirect("documents:agreement", pk=pk)


@access.signed_in
@require_POST
def sign(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    application = application_for(request.user, pk)
    party = request.POST.get("party", "")
    if party not in agreements.parties_who_may_sign(request.user, application):
        raise Http404
    version = agreements.current_version(application)
    if version is None:
        raise Http404
    try:
        agreements.sign(
            version=version,
            party=party,
            actor=Actor.of(request.user),
            name=str(request.user),
            position=request.user.job_title,
            ip_address=client_address(request),
            user_agent=request.headers.get("User-Agent", ""),
        )
    except agreements.DocumentError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("You have signed the agreement."))
    return redirect("documents:agreement", pk=pk)


@access.signed_in
@require_POST
def invite_host(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    application = _officer_application(request, pk)
    form = InviteHostForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the host contact's e-mail address."))
        return redirect("documents:agreement", pk=pk)
    purpose = request.POST.get("purpose", "sign")
    version = agreements.current_version(application)
    try:
        if purpose == "attendance":
            attendance.invite_host(
                application=application, actor=Actor.of(request.user), **form.cleaned_data
            )
        elif version is None:
            raise agreements.DocumentError(_("No agreement has been drawn up yet."))
        else:
            agreements.invite_host(
                version=version, actor=Actor.of(request.user), **form.cleaned_data
            )
    except (agreements.DocumentError, workflow.WorkflowError) as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The host has been sent a personal link."))
    return redirect("documents:agreement", pk=pk)


@access.signed_in
@require_POST
@limits.body_limit(UPLOAD_LIMIT)
def upload_scan(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    application = _officer_application(request, pk)
    form = ScanForm(request.POST, request.FILES, prefix="scan")
    version = agreements.current_version(application)
    if version is None or not form.is_valid():
        messages.error(request, _("Choose who signed, their name and the scanned PDF."))
        return redirect("documents:agreement", pk=pk)
    try:
        agreements.sign(
            version=version,
            party=form.cleaned_data["party"],
            actor=Actor.of(request.user),
            name=form.cleaned_data["name"],
            scan=form.cleaned_data["pdf"],
        )
    except agreements.DocumentError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The scanned signature is recorded."))
    return redirect("documents:agreement", pk=pk)


@access.signed_in
@require_safe
def version_pdf(request: AuthenticatedRequest, pk: int, number: int) -> FileResponse:
    version = version_for(request.user, pk, number)
    return _pdf_response(version.pdf, f"mobility-agreement-{pk}-v{number}.pdf")


@access.signed_in
@require_safe
def sealed_pdf(request: AuthenticatedRequest, pk: int, document: int) -> FileResponse:
    sealed = sealed_for(request.user, pk, document)
    return _pdf_response(sealed.pdf, f"{sealed.kind}-{pk}-v{sealed.version}.pdf")


# ---------------------------------------------------------------------------------------
# The host's pages: no account, a personal link


def host_language[View: Callable[..., HttpResponseBase]](view: View) -> View:
    """Hosts read in English unless they chose Swedish: the link is their first visit, and
    the university's Swedish default is for its own staff."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) not in {"sv", "en"}:
            translation.activate("en")
            request.LANGUAGE_CODE = "en"
        response = view(request, *args, **kwargs)
        response.headers["Content-Language"] = translation.get_language()
        return response

    return cast(View, wrapper)


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "documents/host_problem.html", {"reason": "busy"}, status=429)


def _problem(request: HttpRequest, reason: str) -> HttpResponse:
    status = 410 if reason in {"expired", "used", "replaced"} else 404
    return render(request, "documents/host_problem.html", {"reason": reason}, status=status)


def _open_link(request: HttpRequest, token: str, purpose: str) -> HostLink | HttpResponse:
    """The host's link for this purpose, or the page saying why not (too many tries from
    this address, expired, used, replaced or unknown)."""
    if not ratelimit.allow(request, "host", limit=ratelimit.LIMIT):
        return _too_many(request)
    try:
        return agreements.link_for(token, purpose)
    except agreements.LinkProblem as problem:
        return _problem(request, problem.reason)


@access.public
@host_language
@require_http_methods(["GET", "HEAD", "POST"])
def host_sign(request: HttpRequest, token: str) -> HttpResponse | HttpResponseBase:
    link = _open_link(request, token, HostLink.Purpose.SIGN)
    if isinstance(link, HttpResponse):
        return link
    assert link.version is not None
    sign_form = HostSignForm(initial={"name": link.name})
    changes_form = ChangesForm(initial={"name": link.name}, prefix="changes")
    if request.method == "POST":
        if request.POST.get("intent") == "changes":
            changes_form = ChangesForm(request.POST, prefix="changes")
            if changes_form.is_valid():
                try:
                    agreements.request_changes(link=link, **changes_form.cleaned_data)
                except agreements.DocumentError as error:
                    changes_form.add_error(None, str(error.message))
                else:
                    return render(request, "documents/host_done.html", {"done": "changes"})
        else:
            sign_form = HostSignForm(request.POST)
            if sign_form.is_valid():
                try:
                    agreements.host_sign(
                        link=link,
                        ip_address=client_address(request),
                        user_agent=request.headers.get("User-Agent", ""),
                        **sign_form.cleaned_data,
                    )
                except agreements.DocumentError as error:
                    sign_form.add_error(None, str(error.message))
                else:
                    return render(request, "documents/host_done.html", {"done": "signed"})
    return render(
        request,
        "documents/host_sign.html",
        {
            "link": link,
            "token": token,
            "content": link.version.content,
            "version": link.version,
            "sign_form": sign_form,
            "changes_form": changes_form,
        },
    )


@access.public
@host_language
@require_safe
def host_pdf(request: HttpRequest, token: str) -> HttpResponseBase:
    link = _open_link(request, token, HostLink.Purpose.SIGN)
    if isinstance(link, HttpResponse):
        return link
    if link.version is None or not link.version.pdf:
        raise Http404
    return _pdf_response(
        link.version.pdf, f"mobility-agreement-{link.application_id}.pdf", inline=True
    )


@access.public
@host_language
@require_http_methods(["GET", "HEAD", "POST"])
def host_attendance(request: HttpRequest, token: str) -> HttpResponse:
    link = _open_link(request, token, HostLink.Purpose.ATTENDANCE)
    if isinstance(link, HttpResponse):
        return link
    application = link.application
    form = AttendanceForm(
        initial={"name": link.name, "start": application.start, "end": application.end}
    )
    if request.method == "POST":
        form = AttendanceForm(request.POST)
        if form.is_valid():
            try:
                attendance.confirm_attendance(
                    link=link,
                    ip_address=client_address(request),
                    user_agent=request.headers.get("User-Agent", ""),
                    **form.cleaned_data,
                )
            except agreements.DocumentError as error:
                form.add_error(None, str(error.message))
            else:
                return render(request, "documents/host_done.html", {"done": "attendance"})
    return render(
        request,
        "documents/host_attendance.html",
        {
            "link": link,
            "application": application,
            "form": form,
            "content": agreements.content_for(application),
        },
    )


# ---------------------------------------------------------------------------------------
# Verification


@access.public
@require_http_methods(["GET", "HEAD", "POST"])
@limits.body_limit(UPLOAD_LIMIT)
def verify(request: HttpRequest) -> HttpResponse:
    """Anyone may check whether a PDF is an authentic, unchanged document sealed by Utsikt."""
    from utsikt.documents import sealing

    result: dict[str, Any] | None = None
    form = VerifyForm()
    if request.method == "POST":
        if not ratelimit.allow(request, "verify", limit=ratelimit.LIMIT):
            return _too_many(request)
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["pdf"]
            data = upload.read(core_pdf.MAX_BYTES + 1)
            digest = hashlib.sha256(data).hexdigest()
            document = (
                SealedDocument.objects.select_related("application").filter(sha256=digest).first()
                if len(data) <= core_pdf.MAX_BYTES
                else None
            )
            authentic = document is not None and sealing.seal_is_intact(data)
            result = {"authentic": authentic, "document": document if authentic else None}
    return render(request, "documents/verify.html", {"form": form, "result": result})


# ---------------------------------------------------------------------------------------
# Template letters and outreach (the staff member's own plan)


@access.signed_in
@require_http_methods(["GET", "HEAD", "POST"])
def letters(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    application = own_application_for(request.user, pk)
    if request.method == "POST":
        form = LetterForm(request.POST)
        if form.is_valid():
            try:
                outreach.write(
                    application=application, actor=Actor.of(request.user), **form.cleaned_data
                )
            except outreach.LetterError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("The letter is kept."))
                return redirect("documents:letters", pk=pk)
    else:
        kind = request.GET.get("kind", "")
        language = request.GET.get("language", "") or outreach.language_for(application)
        form = None
        if kind in Letter.Kind.values and language in {"sv", "en"}:
            subject, body = outreach.draft(application, kind, language)
            host = application.hosts.order_by("pk").first()
            form = LetterForm(
                initial={
                    "kind": kind,
                    "language": language,
                    "subject": subject,
                    "body": body,
                    "to_email": host.contact_email if host else "",
                }
            )
    return render(
        request,
        "documents/letters.html",
        {
            "application": application,
            "form": form,
            "kinds": Letter.Kind.choices,
            "suggested_language": outreach.language_for(application),
            "letters": list(application.letters.select_related("host")),
            "step_form": StepForm(initial={"on": timezone.localdate()}),
        },
    )


def _letter_for(request: AuthenticatedRequest, pk: int, letter: int) -> Letter:
    application = own_application_for(request.user, pk)
    found = Letter.objects.filter(application=application, pk=letter).first()
    if found is None:
        raise Http404
    return found


@access.signed_in
@require_POST
def letter_send(request: AuthenticatedRequest, pk: int, letter: int) -> HttpResponseBase:
    found = _letter_for(request, pk, letter)
    try:
        outreach.send(letter=found, actor=Actor.of(request.user))
    except outreach.LetterError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The letter is sent; the answer comes to your e-mail."))
    return redirect("documents:letters", pk=pk)


@access.signed_in
@require_POST
def letter_step(request: AuthenticatedRequest, pk: int, letter: int) -> HttpResponseBase:
    found = _letter_for(request, pk, letter)
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what happened and give the day."))
        return redirect("documents:letters", pk=pk)
    try:
        outreach.mark(letter=found, actor=Actor.of(request.user), **form.cleaned_data)
    except outreach.LetterError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Saved."))
    return redirect("documents:letters", pk=pk)
