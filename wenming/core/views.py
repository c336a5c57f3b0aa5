from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from wenming.core import registry
from wenming.http import AuthenticatedHttpRequest


class LoginForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    password = forms.CharField(label="密码", widget=forms.PasswordInput)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return "/"


def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if user is not None:
            login(request, user)
            return redirect(_safe_next(request))
        form.add_error(None, "用户名或密码不正确。连续输错5次将暂时锁定登录。")
    return render(request, "core/login.html", {"form": form, "next": _safe_next(request)})


def lockout(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    form = LoginForm(request.POST or None)
    form.is_valid()
    form.add_error(
        None, "密码错误次数过多，该账号已在本机暂时锁定，请15分钟后再试或联系管理员解锁。"
    )
    return render(request, "core/login.html", {"form": form, "locked": True}, status=429)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("login")


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The home page: one card per app that registered one (`core.registry.register_card`)."""
    return render(request, "core/home.html", registry.cards_for(request.user))
