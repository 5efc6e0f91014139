from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
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
