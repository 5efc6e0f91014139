from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from utsikt.accounts import self_service, sso, views
from utsikt.accounts.forms import QueuedPasswordResetForm
from utsikt.core import access

app_name = "accounts"

urlpatterns = [
    path(
        "login/",
        access.public(views.LoginView.as_view(extra_context={"sso_enabled": sso.ENABLED})),
        name="login",
    ),
    path(
        "logout/",
        access.signed_in(views.LogoutView.as_view()),
        name="logout",
    ),
    path(
        "password/reset/",
        access.public(
            auth_views.PasswordResetView.as_view(
                template_name="accounts/password_reset.html",
                form_class=QueuedPasswordResetForm,
                email_template_name="accounts/email/password_reset.txt",
                subject_template_name="accounts/email/password_reset_subject.txt",
                success_url=reverse_lazy("accounts:password_reset_done"),
            )
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        access.public(
            auth_views.PasswordResetDoneView.as_view(
                template_name="accounts/password_reset_done.html"
            )
        ),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        access.public(
            auth_views.PasswordResetConfirmView.as_view(
                template_name="accounts/password_reset_confirm.html",
                success_url=reverse_lazy("accounts:password_reset_complete"),
            )
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        access.public(
            auth_views.PasswordResetCompleteView.as_view(
                template_name="accounts/password_reset_complete.html"
            )
        ),
        name="password_reset_complete",
    ),
    path(
        "password/change/",
        access.signed_in(
            auth_views.PasswordChangeView.as_view(
                template_name="accounts/password_change.html",
                success_url=reverse_lazy("mobility:staff_home"),
            )
        ),
        name="password_change",
    ),
    path("home/", views.home, name="home"),
    path("my/profile/", views.profile, name="profile"),
    path("administration/", views.admin_home, name="admin_home"),
    path("departments/<slug:code>/", views.department_detail, name="department_detail"),
    path("faculties/<slug:code>/", views.faculty_detail, name="faculty_detail"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("my/api-tokens/", self_service.api_tokens, name="api_tokens"),
    path("my/data.json", self_service.my_data, name="my_data"),
    # Single sign-on (SAML): 404 unless configured.
    path("sso/login/", sso.login, name="sso_login"),
    path("sso/acs/", sso.acs, name="sso_acs"),
    path("sso/metadata/", sso.metadata, name="sso_metadata"),
    path(
        "my/api-tokens/<int:pk>/revoke/",
        self_service.revoke_api_token,
        name="revoke_api_token",
    ),
]
