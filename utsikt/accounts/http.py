"""The request of a signed-in person, typed for the views behind a sign-in decorator.

It lives in accounts because it names the User model; core imports no app, and a protocol in
core could not offer the User's own fields (department, language) that views read.
"""

from __future__ import annotations

from django.http import HttpRequest

from utsikt.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """A request behind @access.signed_in, holds_role or administrator: the user is a User.

    Only a type: the decorators guarantee it at run time, Django still passes an HttpRequest.
    """

    user: User
