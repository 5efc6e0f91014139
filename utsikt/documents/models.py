"""The Mobility Agreement in versions, its signatures, host links, and sealed documents.

An agreement's content is a snapshot of the application (every field of the template) taken
when a version is made; any change to that content makes a new version and voids the
signatures on the earlier one. A sealed document (the agreement signed by all three, the
certificate of attendance, the training certificate) is kept with its SHA-256, by which the
public verification page recognises it.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Agreement(models.Model):
    """The Mobility Agreement of one application."""

    application = models.OneToOneField(
        "mobility.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="mobility_agreement",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("Mobility Agreement")
        verbose_name_plural = _("Mobility Agreements")

    def __str__(self) -> str:
        return f"Mobility Agreement {self.application_id}"


class AgreementVersion(models.Model):
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    # Every field of the template as it stood when the version was made.
    content = models.JSONField(_("content"))
    content_sha256 = models.CharField(max_length=64)
    pdf = models.FileField(_("PDF"), upload_to="documents/agreements/%Y/", blank=True)
    rendered_at = models.DateTimeField(_("rendered"), null=True, blank=True)
    voided_at = models.DateTimeField(_("replaced"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")
        ordering = ["agreement", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="agreement_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agreement} v{self.number}"


class Party(models.TextChoices):
    STAFF = "staff", _("Staff member")
    SENDING = "sending", _("Sending institution")
    RECEIVING = "receiving", _("Receiving organisation")


class Signature(models.Model):
    class Method(models.TextChoices):
        ONLINE = "online", _("in Utsikt")
        LINK = "link", _("through a personal link")
        SCAN = "scan", _("on paper, scanned")

    version = models.ForeignKey(
        AgreementVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="signatures",
    )
    party = models.CharField(_("party"), max_length=20, choices=Party.choices)
    method = models.CharField(_("how"), max_length=10, choices=Method.choices)
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    user = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=400, blank=True)
    scan = models.FileField(_("scan"), upload_to="documents/scans/%Y/", blank=True)
    signed_at = models.DateTimeField(_("signed"), default=timezone.now)
    voided_at = models.DateTimeField(_("void since"), null=True, blank=True)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "party"],
                condition=models.Q(voided_at__isnull=True),
                name="signature_once_per_party",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_party_display()}: {self.name}"


class HostLink(models.Model):
    """A personal link sent to the host's contact: to sign, or to confirm attendance.

    The link's token carries this row's id and nonce; the row says whether it was used.
    """

    class Purpose(models.TextChoices):
        SIGN = "sign", _("sign the Mobility Agreement")
        ATTENDANCE = "attendance", _("confirm attendance")

    application = models.ForeignKey(
        "mobility.Application", on_delete=models.CASCADE, related_name="+"
    )
    version = models.ForeignKey(
        AgreementVersion, null=True, blank=True, on_delete=models.CASCADE, related_name="links"
    )
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    nonce = models.CharField(max_length=32, unique=True)
    name = models.CharField(_("contact person"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"))
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("host link")
        verbose_name_plural = _("host links")

    def __str__(self) -> str:
        return f"{self.purpose} {self.email}"


class ChangeRequest(models.Model):
    version = models.ForeignKey(
        AgreementVersion, on_delete=models.CASCADE, related_name="change_requests"
    )
    name = models.CharField(_("name"), max_length=200)
    comment = models.TextField(_("comment"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("request for changes")
        verbose_name_plural = _("requests for changes")

    def __str__(self) -> str:
        return f"{self.version}: {self.name}"


class Attendance(models.Model):
    """The host's confirmation that the staff member attended, with the actual dates."""

    application = models.OneToOneField(
        "mobility.Application", on_delete=models.CASCADE, related_name="documents_attendance"
    )
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)
    confirmed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="attendance_dates_in_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.start}–{self.end}"


class SealedDocument(models.Model):
    """A PDF Utsikt sealed; the verification page finds it by its SHA-256."""

    class Kind(models.TextChoices):
        AGREEMENT = "agreement", _("Mobility Agreement")
        ATTENDANCE = "attendance", _("Certificate of attendance")
        TRAINING = "training", _("Certificate of training")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    application = models.ForeignKey(
        "mobility.Application", on_delete=models.CASCADE, related_name="+"
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    pdf = models.FileField(upload_to="documents/sealed/%Y/")
    sha256 = models.CharField(max_length=64, unique=True)
    sealed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("sealed document")
        verbose_name_plural = _("sealed documents")
        ordering = ["-sealed_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.application_id} v{self.version}"


class Letter(models.Model):
    """A letter to a prospective host, filled from the plan and edited before sending; its
    outreach is tracked: written, sent, answered, accepted or declined, each with its date."""

    class Kind(models.TextChoices):
        JOB_SHADOWING = "job_shadowing", _("First enquiry about job shadowing")
        STAFF_WEEK = "staff_week", _("Enquiry about a staff week")
        PROGRAMME = "programme", _("Proposed programme")
        THANK_YOU = "thank_you", _("Thank you after the visit")

    class Status(models.TextChoices):
        WRITTEN = "written", _("written")
        SENT = "sent", _("sent")
        ANSWERED = "answered", _("answered")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    application = models.ForeignKey(
        "mobility.Application", on_delete=models.CASCADE, related_name="letters"
    )
    host = models.ForeignKey(
        "catalogue.HostOrganisation",
        verbose_name=_("host"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("letter"), max_length=20, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=2, default="en")
    to_email = models.EmailField(_("to"), blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WRITTEN
    )
    written_on = models.DateField(_("written"), default=timezone.localdate)
    sent_on = models.DateField(_("sent"), null=True, blank=True)
    answered_on = models.DateField(_("answered"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted"), null=True, blank=True)
    declined_on = models.DateField(_("declined"), null=True, blank=True)

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["-written_on", "-id"]
        indexes = [models.Index(fields=["application", "-written_on"], name="letter_plan_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"
