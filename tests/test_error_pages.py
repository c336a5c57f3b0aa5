"""Refusals and missing pages speak Chinese and say why, also with DEBUG off."""

from __future__ import annotations

from django.urls import reverse


def test_forbidden_page_explains_in_chinese(as_user, staff, settings):  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    response = as_user(staff).get(reverse("frameworks:import"))
    html = response.content.decode()
    assert response.status_code == 403
    assert "无权访问" in html and "只有文明办管理员或单位创建办可以导入测评体系" in html


def test_not_found_page_explains_in_chinese(as_user, outsider_admin, demo, settings):  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    response = as_user(outsider_admin).get(reverse("orgs:detail", args=[demo["unit"].pk]))
    html = response.content.decode()
    assert response.status_code == 404
    assert "没有找到" in html and "返回工作台" in html
