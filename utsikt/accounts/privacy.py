"""Data protection: a person's own data as JSON, and anonymising people past retention.

`export(user)` gathers what Utsikt keeps about a person (profile, roles, applications with
their history, invitations, saved searches, API tokens, proposed hosts, e-mails written to
them, what they did in the event log). `anonymise(user=..., actor=...)` removes what names
or describes them while the statistics stay: applications keep department, country (their
hosts), dates, activity, status and amounts; names, e-mail addresses, free text, signed
agreements, tokens and saved searches go. `due_for_anonymisation()` lists people whose last
sign of life (log-in, account, an application's change) is older than
`UTSIKT_RETENTION_DAYS` and who have no application still under way.

The event log stays the record of what was done, but its events say "anonymised" instead
of the person's name (the one change the append-only log allows, core migration 0006).

Accounts sits below the apps that hold a person's data. The applications and the catalogue
are reached by name (`apps.get_model`); the apps built later answer two signals from their
own `privacy.py` (documents, after-trip, pages): `exporting` (each receiver returns a dict
of its parts of the export) and `anonymising` (sent inside anonymise's transaction, with the
person and their e-mail address as it was).
"""

from __future__ import annotations

import datetime
from typing import Any, cast

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.dispatch import Signal
from django.utils import timezone

from utsikt.accounts.models import User
from utsikt.accounts.tokens import ApiToken
from utsikt.core import events
from utsikt.core.actors import Actor
from utsikt.core.models import Event, OutgoingEmail

ANONYMISED_DOMAIN = "anonymised.invalid"
# send(sender=User, user=...) -> each receiver returns {section: JSON-ready data}.
exporting = Signal()
# send(sender=User, user=..., email=the address before anonymising), in the transaction.
anonymising = Signal()
# The application's free text: what the person wrote about themselves and their plans.
FREE_TEXT = (
    "objectives",
    "added_value",
    "activities",
    "outcomes",
    "work_cover",
    "virtual_format",
    "virtual_description",
)


def _model(label: str) -> Any:
    return apps.get_model(label)


def is_anonymised(user: User) -> bool:
    return user.email.endswith("@" + ANONYMISED_DOMAIN)


def _value(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if hasattr(value, "as_tuple"):  # Decimal
        return str(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def delete_files(rows: QuerySet[Any], field: str) -> None:
    """Delete the stored file in `field` of each of the rows, and empty the field."""
    with_file = rows.exclude(**{field: ""})
    for row in with_file:
        getattr(row, field).delete(save=False)
    with_file.update(**{field: ""})


def as_row(obj: Any, fields: list[str]) -> dict[str, Any]:
    return {name: _value(getattr(obj, name)) for name in fields}


def export(user: User) -> dict[str, Any]:
    """Everything Utsikt keeps about the person, as JSON-ready data."""
    data = _export(user)
    for _receiver, sections in exporting.send(sender=User, user=user):
        data |= cast(dict[str, Any], sections)
    return data


def _export(user: User) -> dict[str, Any]:
    application_model = _model("mobility.Application")
    transition_model = _model("mobility.Transition")
    companion_model = _model("mobility.Companion")
    saved_search_model = _model("catalogue.SavedSearch")
    host_model = _model("catalogue.HostOrganisation")

    application_fields = [
        f.name
        for f in application_model._meta.concrete_fields
        if f.name not in {"applicant", "saved_by_page", "agreement_pdf"}
    ]
    applications = []
    mine = (
        application_model.objects.filter(applicant=user)
        .select_related("department")
        .prefetch_related("hosts")
        .order_by("created_at", "id")
    )
    for application in mine:
        row = as_row(application, [n for n in application_fields if n != "department"])
        row["department"] = application.department.code if application.department else None
        row["hosts"] = [h.name for h in application.hosts.all()]
        row["signed_agreement_kept"] = bool(application.agreement_pdf)
        row["history"] = [
            as_row(t, ["from_status", "to_status", "created_at", "comment"])
            for t in transition_model.objects.filter(application=application).order_by(
                "created_at", "id"
            )
        ]
        applications.append(row)
    return {
        "exported_at": timezone.now().isoformat(),
        "person": {
            **as_row(
                user,
                [
                    "email",
                    "eppn",
                    "first_name",
                    "last_name",
                    "job_title",
                    "staff_category",
                    "languages",
                    "language",
                    "had_grant_before",
                    "date_joined",
                    "last_login",
                ],
            ),
            "department": user.department.code if user.department else None,
            "manager": user.manager.email if user.manager else None,
        },
        "roles": [
            as_row(r, ["role", "valid_from", "valid_until"]) | {"unit": r.unit.code}
            for r in user.roles.select_related("unit")
        ],
        "applications": applications,
        "invitations_to_travel_together": [
            {
                "from": c.application.applicant.email,
                "answer": c.answer,
                "created_at": c.created_at.isoformat(),
            }
            for c in companion_model.objects.filter(colleague=user).select_related(
                "application__applicant"
            )
        ],
        "saved_searches": [
            as_row(s, ["name", "query", "created_at"])
            for s in saved_search_model.objects.filter(user=user)
        ],
        "api_tokens": [
            as_row(t, ["name", "scope", "hint", "created_at", "last_used_at", "revoked_at"])
            for t in ApiToken.objects.filter(user=user)
        ],
        "proposed_hosts": [
            as_row(h, ["name", "status", "note", "created_at"])
            for h in host_model.objects.filter(proposed_by=user)
        ],
        "emails_to_you": [
            as_row(e, ["subject", "created_at", "sent_at"])
            for e in OutgoingEmail.objects.filter(to__iexact=user.email).order_by("created_at")
        ],
        "your_actions_in_the_event_log": [
            as_row(e, ["action", "subject_type", "subject_id", "created_at", "payload"])
            for e in Event.objects.filter(actor_user=user).order_by("created_at", "id")
        ],
    }


def retention() -> datetime.timedelta:
    return datetime.timedelta(days=int(settings.UTSIKT_RETENTION_DAYS))


def due_for_anonymisation(now: datetime.datetime | None = None) -> QuerySet[User]:
    """People past retention: no sign of life since the cut-off, nothing under way, not an
    administrator (they are kept by hand), not anonymised already."""
    application_model = _model("mobility.Application")
    cut_off = (now or timezone.now()) - retention()
    # Settled is the journey's end; an old draft was never sent.
    finished = (*application_model.ENDED, "settled", "draft")
    under_way = application_model.objects.exclude(status__in=finished)
    recent = application_model.objects.filter(updated_at__gte=cut_off)
    return (
        User.objects.filter(is_superuser=False, date_joined__lt=cut_off)
        .exclude(email__endswith="@" + ANONYMISED_DOMAIN)
        .exclude(Q(last_login__gte=cut_off))
        .exclude(pk__in=under_way.values("applicant"))
        .exclude(pk__in=recent.values("applicant"))
        .annotate(last_application=Max("applications__updated_at"))
        .order_by("pk")
    )


class NotDue(Exception):
    """The person is not past retention (or is an administrator)."""


def anonymise(*, user: User, actor: Actor, now: datetime.datetime | None = None) -> None:
    """Remove what names or describes the person; the statistics stay. Refused (NotDue)
    for someone not past retention."""
    if not due_for_anonymisation(now).filter(pk=user.pk).exists():
        raise NotDue(user.pk)
    application_model = _model("mobility.Application")
    transition_model = _model("mobility.Transition")
    saved_search_model = _model("catalogue.SavedSearch")
    host_model = _model("catalogue.HostOrganisation")
    old_email = user.email
    with transaction.atomic():
        applications = application_model.objects.filter(applicant=user)
        delete_files(applications, "agreement_pdf")
        count = applications.update(saved_by_page="", **dict.fromkeys(FREE_TEXT, ""))
        transition_model.objects.filter(application__applicant=user).update(comment="")
        transition_model.objects.filter(actor=user).update(actor_label="")
        host_model.objects.filter(proposed_by=user).update(note="")
        saved_search_model.objects.filter(user=user).delete()
        ApiToken.objects.filter(user=user).delete()
        OutgoingEmail.objects.filter(to__iexact=old_email).update(
            to=f"anonymised-{user.pk}@{ANONYMISED_DOMAIN}", subject="", text="", html=""
        )
        anonymising.send(sender=User, user=user, email=old_email)
        Event.objects.forget_actor_name(user.pk)
        user.roles.all().delete()
        user.first_name = ""
        user.last_name = ""
        user.email = f"anonymised-{user.pk}@{ANONYMISED_DOMAIN}"
        user.eppn = None
        user.job_title = ""
        user.languages = ""
        user.manager = None
        user.is_active = False
        user.set_unusable_password()
        user.save()
        events.record(
            action="person.anonymised",
            actor=actor,
            subject=user,
            payload={"applications": count},
        )
