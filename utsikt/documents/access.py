"""Who may see which documents: the application's own gate decides (mobility.access)."""

from __future__ import annotations

from django.http import Http404

from utsikt.accounts.models import User
from utsikt.documents.models import AgreementVersion, SealedDocument
from utsikt.mobility.access import application_for
from utsikt.mobility.models import Application


def version_for(user: User, pk: int, number: int) -> AgreementVersion:
    application = application_for(user, pk)
    version = (
        AgreementVersion.objects.filter(agreement__application=application, number=number)
        .select_related("agreement")
        .first()
    )
    if version is None or not version.pdf:
        raise Http404
    return version


def sealed_for(user: User, pk: int, document_id: int) -> SealedDocument:
    application: Application = application_for(user, pk)
    document = SealedDocument.objects.filter(application=application, pk=document_id).first()
    if document is None:
        raise Http404
    return document
