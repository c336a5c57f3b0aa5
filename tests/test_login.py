"""Logging in, in Chinese, with a lockout after repeated wrong passwords."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse


def test_login_and_home_show_the_users_place(demo):  # type: ignore[no-untyped-def]
    client = Client()
    response = client.post(reverse("login"), {"username": "keshi", "password": "wenming2026"})
    assert response.status_code == 302
    html = client.get(reverse("home")).content.decode()
    assert "部门负责人" in html and "食品安全监管科" in html and "临州市市场监督管理局" in html


def test_pages_need_login(db):  # type: ignore[no-untyped-def]
    response = Client().get(reverse("frameworks:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_wrong_password_is_explained(demo):  # type: ignore[no-untyped-def]
    response = Client().post(reverse("login"), {"username": "cjb", "password": "nope"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_repeated_failures_lock_the_account_even_with_the_right_password(demo, settings):  # type: ignore[no-untyped-def]
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "cjb", "password": "wrong"})
    locked = client.post(reverse("login"), {"username": "cjb", "password": "wenming2026"})
    assert locked.status_code == 429
    assert "暂时锁定" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post(demo):  # type: ignore[no-untyped-def]
    client = Client()
    client.post(reverse("login"), {"username": "cjb", "password": "wenming2026"})
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session
