"""API tokens outside the API: the download addresses the API hands out (evidence files,
binders, problem files) answer a client that sends `Authorization: Bearer <token>` as the
API itself does, and a browser by its session.

The token is the same `ApiToken` the API accepts (`wenming/api.py`); it stands for its user,
with that user's access and nothing more.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponseBase

from wenming.orgs.models import ApiToken

_View = TypeVar("_View", bound=Callable[..., HttpResponseBase])


def bearer_token(request: HttpRequest) -> str | None:
    """The raw token of an `Authorization: Bearer <token>` header, if there is one."""
    scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
    raw = raw.strip()
    return raw if scheme.lower() == "bearer" and raw else None


def token_user(raw: str) -> User | None:
    """The active user a valid, unrevoked token stands for."""
    found = ApiToken.authenticate(raw)
    return found.user if found is not None else None


def token_or_login_required(view: _View) -> _View:
    """Like `login_required`, and a valid Bearer token counts as being logged in.

    A request with no valid token is treated exactly as `login_required` treats it: with a
    session it is served, without one it is sent to the login page.
    """
    session_view = login_required(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        raw = bearer_token(request)
        user = token_user(raw) if raw else None
        if user is None:
            return session_view(request, *args, **kwargs)
        request.user = user
        return view(request, *args, **kwargs)

    return cast(_View, wrapper)
