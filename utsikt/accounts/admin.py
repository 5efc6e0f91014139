from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from utsikt.accounts.forms import AdminLoginForm
from utsikt.accounts.models import OrgUnit, RoleAssignment, User


# Stacked, not tabular: Django's tabular inline has a column header without text, which screen
# readers announce as nothing (axe: empty-table-header).
class RoleInline(admin.StackedInline[RoleAssignment, OrgUnit]):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin[OrgUnit]):
    list_display = ["name_sv", "name_en", "kind", "parent", "code"]
    list_filter = ["kind", "parent"]
    search_fields = ["name_sv", "name_en", "code"]
    prepopulated_fields = {"code": ["name_en"]}
    inlines = [RoleInline]


class UserRoleInline(admin.StackedInline[RoleAssignment, User]):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    ordering = ["last_name", "first_name"]
    list_display = ["email", "first_name", "last_name", "department", "staff_category", "is_active"]
    list_filter = ["staff_category", "department__parent", "is_active", "is_superuser"]
    search_fields = ["email", "first_name", "last_name", "eppn"]
    autocomplete_fields = ["department", "manager"]
    list_select_related = ["department"]
    inlines = [UserRoleInline]
    fieldsets = (
        (None, {"fields": ("email", "password", "eppn")}),
        (_("Person"), {"fields": ("first_name", "last_name", "job_title", "language")}),
        (
            _("Place in the organisation"),
            {
                "fields": (
                    "department",
                    "staff_category",
                    "manager",
                    "languages",
                    "had_grant_before",
                )
            },
        ),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin[RoleAssignment]):
    list_display = ["user", "role", "unit", "valid_from", "valid_until"]
    list_filter = ["role", "unit__kind"]
    search_fields = ["user__email", "user__last_name", "unit__name_sv", "unit__name_en"]
    autocomplete_fields = ["user", "unit"]
    list_select_related = ["user", "unit"]


# The admin's log-in goes through the same limiter and says so when it refuses.
admin.site.login_form = AdminLoginForm


# --- data protection: anonymise people past retention (accounts/privacy.py) -------------------


@admin.action(description=_("Anonymise the selected people who are past retention"))
def anonymise_past_retention(
    modeladmin: admin.ModelAdmin[User], request: Any, queryset: QuerySet[User]
) -> None:
    from utsikt.accounts import privacy
    from utsikt.core.actors import Actor

    due = set(privacy.due_for_anonymisation().filter(pk__in=queryset).values_list("pk", flat=True))
    for user in queryset.filter(pk__in=due):
        privacy.anonymise(user=user, actor=Actor.of(request.user))
    skipped = queryset.count() - len(due)
    modeladmin.message_user(
        request,
        _("Anonymised %(done)s; %(skipped)s not past retention (or administrators), kept.")
        % {"done": len(due), "skipped": skipped},
    )


UserAdmin.actions = [anonymise_past_retention]  # type: ignore[misc]
