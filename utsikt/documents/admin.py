"""Read-only views of the documents: every change goes through agreements.py, attendance.py
and outreach.py, which record events; the admin only shows what happened."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from utsikt.documents.models import AgreementVersion, Letter, SealedDocument, Signature


class ReadOnly(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(AgreementVersion)
class AgreementVersionAdmin(ReadOnly):
    list_display = ["agreement", "number", "rendered_at", "voided_at", "created_at"]


@admin.register(Signature)
class SignatureAdmin(ReadOnly):
    list_display = ["version", "party", "method", "name", "signed_at", "voided_at"]
    list_filter = ["party", "method"]


@admin.register(SealedDocument)
class SealedDocumentAdmin(ReadOnly):
    list_display = ["kind", "application", "version", "sha256", "sealed_at"]
    list_filter = ["kind"]


@admin.register(Letter)
class LetterAdmin(ReadOnly):
    list_display = ["application", "kind", "status", "written_on", "sent_on"]
    list_filter = ["kind", "status"]
