from django.contrib import admin

from utsikt.mobility.models import Application, FacultyBudget, Transition


@admin.register(FacultyBudget)
class FacultyBudgetAdmin(admin.ModelAdmin[FacultyBudget]):
    list_display = ["faculty", "call_year", "amount_eur"]
    list_filter = ["call_year", "faculty"]


class TransitionInline(admin.TabularInline[Transition, Application]):
    model = Transition
    extra = 0
    can_delete = False
    readonly_fields = [
        "from_status",
        "to_status",
        "actor",
        "actor_kind",
        "actor_label",
        "comment",
        "created_at",
    ]

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin[Application]):
    """Read-only: every change goes through the workflow, which writes the history."""

    list_display = ["applicant", "activity", "status", "department", "call_year", "start"]
    list_filter = ["status", "call_year", "activity", "department__parent"]
    search_fields = ["applicant__email", "applicant__last_name"]
    list_select_related = ["applicant", "department"]
    inlines = [TransitionInline]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
