"""Makes the logged-in user the actor of every change a request saves."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from wenming.trace.context import _actor, request_scope


class TraceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Resolved lazily: `request.user` is only loaded when something is recorded, and an
        # API token that replaces `request.user` later in the request is seen as well.
        token = _actor.set(lambda: getattr(request, "user", None))
        try:
            with request_scope():
                return self.get_response(request)
        finally:
            _actor.reset(token)
