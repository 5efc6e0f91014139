"""Log-in, the role home pages and the organisation pages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from utsikt.accounts import access as people
from utsikt.accounts.forms import LoginForm, ProfileForm
from utsikt.accounts.http import AuthenticatedRequest
from utsikt.accounts.models import OrgUnit, RoleAssignment, User
from utsikt.core import access
from utsikt.core.language import LANGUAGE_FROM_LOG_IN, remember_language

Role = RoleAssignment.Role

# Where each role lands, most specific first: a manager who is also staff lands on decisions.
ROLE_HOMES = [
    (people.ADMINISTRATOR, "accounts:admin_home"),
    (Role.OFFICER, "mobility:office_home"),
    (Role.MANAGER, "mobility:manager_home"),
    (Role.FINANCE, "mobility:finance_home"),
    (people.STAFF, "mobility:staff_home"),
]


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        if form.rate_limited:
            response.status_code = 429
        return response

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        # Without a language chosen in this browser, the person's own is remembered in the
        # cookie the language middleware reads first: then a request that needs nothing of
        # the person does not load them just to learn their language. Log-out takes it back,
        # so that the next person to log in on this browser gets their own.
        if settings.LANGUAGE_COOKIE_NAME not in self.request.COOKIES:
            remember_language(response, form.get_user().language)
            self.request.session[LANGUAGE_FROM_LOG_IN] = True
        return response


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        set_at_log_in = request.session.get(LANGUAGE_FROM_LOG_IN, False)
        response = super().post(request, *args, **kwargs)
        if set_at_log_in:
            response.delete_cookie(settings.LANGUAGE_COOKIE_NAME, samesite="Lax")
        return response


@access.signed_in
def home(request: AuthenticatedRequest) -> HttpResponseBase:
    roles = people.roles_of(request.user)
    for role, url_name in ROLE_HOMES:
        if role in roles:
            return redirect(url_name)
    return redirect("mobility:staff_home")  # pragma: no cover - every signed-in person is staff


@access.signed_in
def profile(request: AuthenticatedRequest) -> HttpResponseBase:
    user = request.user
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile is saved."))
        response = redirect("mobility:staff_home")
        # The language chosen in the profile is the one the pages use from now on.
        remember_language(response, user.language)
        return response
    return render(request, "accounts/profile.html", {"form": form})


@access.administrator
def admin_home(request: AuthenticatedRequest) -> HttpResponse:
    counts = OrgUnit.objects.aggregate(
        faculties=Count("id", filter=Q(kind=OrgUnit.Kind.FACULTY)),
        departments=Count("id", filter=Q(kind=OrgUnit.Kind.DEPARTMENT)),
    )
    counts["people"] = User.objects.filter(is_active=True).count()
    counts["roles"] = RoleAssignment.objects.current().count()
    # People who cannot apply yet because nobody would approve them.
    unmanaged = User.objects.filter(is_active=True, manager__isnull=True, is_superuser=False)
    return render(
        request,
        "accounts/admin_home.html",
        {
            "counts": counts,
            "unmanaged": unmanaged.select_related("department")[:20],
            "unmanaged_count": unmanaged.count(),
        },
    )


@access.holds_role(Role.MANAGER, Role.DEPUTY, Role.FINANCE, Role.OFFICER, people.ADMINISTRATOR)
def department_detail(request: AuthenticatedRequest, code: str) -> HttpResponse:
    user = request.user
    department = people.department_for(user, code)
    holders = department.role_holders.current().select_related("user").order_by("role")
    # The same rule as each person's page: the list shows only those the user may look up.
    members = people.members_visible_to(user, department).select_related("manager")
    return render(
        request,
        "accounts/department_detail.html",
        {
            "department": department,
            "holders": holders,
            "members": members[:200],
            "shows_grant_history": people.shows_grant_history_in(user, department),
        },
    )


@access.holds_role(Role.OFFICER, people.ADMINISTRATOR)
def faculty_detail(request: AuthenticatedRequest, code: str) -> HttpResponse:
    user = request.user
    faculty = people.faculty_for(user, code)
    departments = faculty.children.departments().with_member_counts()
    officers = faculty.role_holders.current().filter(role=Role.OFFICER).select_related("user")
    return render(
        request,
        "accounts/faculty_detail.html",
        {"faculty": faculty, "departments": departments, "officers": officers},
    )


@access.signed_in
def person_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = people.person_for(request.user, pk)
    return render(
        request,
        "accounts/person_detail.html",
        {
            "person": person,
            "roles": person.roles.current().select_related("unit"),
            "is_self": person.pk == request.user.pk,
            "shows_grant_history": people.shows_grant_history(request.user, person),
            "edit_url": reverse("accounts:profile"),
        },
    )
