"""Log in with an e-mail address, whatever its case, through the log-in limiter."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from utsikt.accounts import ratelimit
from utsikt.accounts.models import User

# Set on the request when the limiter refused an attempt, so that the form can say why.
REFUSED = "utsikt_login_refused"


class EmailBackend(ModelBackend):
    """Every password log-in passes here (the site's, the admin's, any later one), so the
    limiter counts each attempt before the password is checked."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        email = username or kwargs.get("email")
        if email is None:
            return None
        email = email.strip().lower()
        if request is None:  # code, not a visitor: nothing to limit
            return super().authenticate(request, username=email, password=password)
        attempt = ratelimit.begin_login(request, email)
        if attempt is None:
            setattr(request, REFUSED, True)
            return None
        user = super().authenticate(request, username=email, password=password)
        if user is not None:
            ratelimit.login_succeeded(attempt)
        return user

    def get_user(self, user_id: Any) -> User | None:
        """The person a session is signed in as, with one raw query: every signed-in page
        asks, and building the ORM's query cost several times what the database does."""
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        found = list(User.objects.raw("SELECT * FROM accounts_user WHERE id = %s", [pk]))
        return found[0] if found and self.user_can_authenticate(found[0]) else None
