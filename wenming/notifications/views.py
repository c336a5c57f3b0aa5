"""消息提醒 screens: the inbox, the navbar badge, opening and marking read, preferences."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from wenming.http import AuthenticatedHttpRequest
from wenming.notifications import inbox as box
from wenming.notifications.access import get_notification_for_user
from wenming.notifications.digest import email_enabled
from wenming.notifications.forms import PreferenceForm
from wenming.notifications.models import Kind, Preference

PAGE_SIZE = 30


@login_required
@require_GET
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    unread_count = box.unread_count(request.user)
    show_all = request.GET.get("show") == "all"
    kind = request.GET.get("kind", "")
    if kind not in Kind.values:
        kind = ""
    qs = box.listing(request.user, unread_only=not show_all, kind=kind)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode(
        {k: v for k, v in {"show": "all" if show_all else "", "kind": kind}.items() if v}
    )
    return render(
        request,
        "notifications/inbox.html",
        {
            "crumbs": [("消息提醒", None)],
            "page": page,
            "query": query,
            "show_all": show_all,
            "kind": kind,
            "kinds": Kind.choices,
            "kind_label": Kind(kind).label if kind else "",
            "unread_count": unread_count,
        },
    )


@require_GET
def badge(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The navbar's unread count, loaded by htmx; empty when nothing is unread.

    After the session expires the navbar keeps polling: answer 204 (htmx swaps nothing)
    rather than redirecting, which would put the login page inside the navbar.
    """
    if not request.user.is_authenticated:
        return HttpResponse(status=204)
    # Without the request: polled on every page, it needs none of the context processors'
    # queries (the navigation's memberships).
    count = box.unread_count(request.user)
    return HttpResponse(render_to_string("notifications/_badge.html", {"count": count}))


def _safe_target(request: AuthenticatedHttpRequest, url: str) -> str:
    """Only paths on this site: a stored link never sends a person elsewhere."""
    if url.startswith("/") and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("notifications:inbox")


@login_required
@require_GET
def open_notification(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Follow a notification's link (from the inbox or the digest mail), marking it read."""
    notification = get_notification_for_user(request.user, pk)
    box.mark_read(notification)
    return redirect(_safe_target(request, notification.url))


@login_required
@require_POST
def mark_read(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    box.mark_read(get_notification_for_user(request.user, pk))
    return redirect(_back(request))


@login_required
@require_POST
def read_all(request: AuthenticatedHttpRequest) -> HttpResponse:
    count = box.mark_all_read(request.user)
    if count:
        messages.success(request, f"已将{count}条消息标为已读。")
    else:
        messages.info(request, "没有未读消息。")
    return redirect(_back(request))


def _back(request: AuthenticatedHttpRequest) -> str:
    nxt = request.POST.get("next", "")
    inbox_url = reverse("notifications:inbox")
    if nxt.startswith(inbox_url) and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}
    ):
        return nxt
    return inbox_url


@login_required
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    pref, _ = Preference.objects.get_or_create(user=request.user)
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            pref.muted_kinds = [k for k in Kind.values if k in form.cleaned_data["muted_kinds"]]
            pref.email_digest = form.cleaned_data["email_digest"]
            pref.save(update_fields=["muted_kinds", "email_digest", "updated_at"])
            email = form.cleaned_data["email"].strip()
            if email != request.user.email:
                request.user.email = email
                request.user.save(update_fields=["email"])
            muted = len(pref.muted_kinds)
            messages.success(
                request,
                "提醒设置已保存。"
                + (f"已关闭{muted}类提醒。" if muted else "各类提醒都会送达。")
                + ("每日邮件汇总已开启。" if pref.email_digest and email else "不发送邮件汇总。"),
            )
            return redirect("notifications:preferences")
    else:
        form = PreferenceForm(
            initial={
                "muted_kinds": pref.muted_kinds,
                "email_digest": pref.email_digest,
                "email": request.user.email,
            }
        )
    return render(
        request,
        "notifications/preferences.html",
        {
            "crumbs": [("消息提醒", reverse("notifications:inbox")), ("提醒设置", None)],
            "form": form,
            "email_enabled": email_enabled(),
        },
    )
