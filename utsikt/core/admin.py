from typing import Any

from django.contrib import admin

from utsikt.core.models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin[Event]):
    """Read-only: the log is written by the write functions and never edited."""

    list_display = ["created_at", "action", "subject_type", "subject_id", "actor_label"]
    list_filter = ["actor_kind", "action"]
    search_fields = ["action", "actor_label", "subject_type"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
