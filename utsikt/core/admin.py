from typing import Any

from django.contrib import admin
from django.db import models

from utsikt.core.models import Event, OutgoingEmail


class ReadOnlyAdmin[M: models.Model](admin.ModelAdmin[M]):
    """What the project writes itself and nobody edits by hand."""

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin[Event]):
    """The log is written by the write functions and never edited."""

    list_display = ["created_at", "action", "subject_type", "subject_id", "actor_label"]
    list_filter = ["actor_kind", "action"]
    search_fields = ["action", "actor_label", "subject_type"]
    date_hierarchy = "created_at"


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyAdmin[OutgoingEmail]):
    """What went out, and what failed and why, for the operators."""

    list_display = ["subject", "to", "created_at", "sent_at", "attempts", "last_error"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["to", "subject", "key"]
    date_hierarchy = "created_at"
