"""The JSON API: bearer tokens, the organization tree and evaluation systems, all scoped."""

from __future__ import annotations

import json

from django.test import Client

from wenming.frameworks.models import Framework
from wenming.orgs.demo import SAMPLE_FRAMEWORK
from wenming.orgs.models import ApiToken

SMALL = b"framework: {code: S, name: x}\nitems:\n  - {code: A, title: t, points: 2}\n"


def bearer(user) -> Client:  # type: ignore[no-untyped-def]
    _, raw = ApiToken.issue(user)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_requests_without_credentials_are_refused(db):  # type: ignore[no-untyped-def]
    assert Client().get("/api/v1/orgs/tree").status_code == 401
    wrong = Client(headers={"Authorization": "Bearer wm_nope_nope"})
    assert wrong.get("/api/v1/orgs/tree").status_code == 401


def test_revoked_token_stops_working(coordinator):  # type: ignore[no-untyped-def]
    token, raw = ApiToken.issue(coordinator)
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert client.get("/api/v1/orgs/me").status_code == 200
    token.revoke()
    assert client.get("/api/v1/orgs/me").status_code == 401


def _names(nodes):  # type: ignore[no-untyped-def]
    for node in nodes:
        yield node["name"]
        yield from _names(node["children"])


def test_org_tree_is_scoped(office_admin, coordinator, outsider_admin):  # type: ignore[no-untyped-def]
    admin_view = set(_names(bearer(office_admin).get("/api/v1/orgs/tree").json()))
    assert {
        "临州市文明办",
        "临州市江北区文明办",
        "临州市中级人民法院",
        "食品安全监管科",
    } <= admin_view
    assert "云岭市文明办" not in admin_view and "示例省文明办" not in admin_view
    unit_view = set(_names(bearer(coordinator).get("/api/v1/orgs/tree").json()))
    assert "临州市市场监督管理局" in unit_view and "临州市中级人民法院" not in unit_view
    outsider_view = set(_names(bearer(outsider_admin).get("/api/v1/orgs/tree").json()))
    assert outsider_view == {"云岭市文明办", "云岭市税务局", "纳税服务科"}


def test_org_detail_of_another_city_is_not_found(outsider_admin, demo):  # type: ignore[no-untyped-def]
    response = bearer(outsider_admin).get(f"/api/v1/orgs/{demo['unit'].pk}")
    assert response.status_code == 404
    assert "没有找到" in response.json()["detail"]


def test_me_lists_roles(dept_head):  # type: ignore[no-untyped-def]
    me = bearer(dept_head).get("/api/v1/orgs/me").json()
    assert [m["role_label"] for m in me["memberships"]] == ["部门负责人"]


def test_framework_tree_export_and_compare(staff, demo):  # type: ignore[no-untyped-def]
    client = bearer(staff)
    listing = client.get("/api/v1/frameworks").json()
    sample = next(f for f in listing if f["lineage"] == "SAMPLE-WMDW")
    tree = client.get(f"/api/v1/frameworks/{sample['id']}/tree").json()
    assert tree["summary"]["standards"] == 85 and tree["problems"] == []
    first = tree["nodes"][0]
    assert first["code"] == "A" and first["children"][0]["children"][0]["code"] == "A1-1"
    assert first["points"] == "10.00"
    exported = client.get(f"/api/v1/frameworks/{sample['id']}/export?format=yaml")
    assert exported.status_code == 200 and "SAMPLE-WMDW" in exported.content.decode()
    same = client.get(f"/api/v1/frameworks/compare?old={sample['id']}&new={sample['id']}").json()
    assert same["changes"] == []


def test_import_through_the_api(office_admin, coordinator, demo):  # type: ignore[no-untyped-def]
    client = bearer(office_admin)
    ok = client.post(
        "/api/v1/frameworks/import",
        {"file": _file("s.yaml", SAMPLE_FRAMEWORK.read_bytes()), "owner_id": demo["office"].pk},
    )
    assert ok.status_code == 201
    body = ok.json()
    assert body["ok"] and body["standards"] == 85 and body["veto_count"] == 8
    bad = client.post(
        "/api/v1/frameworks/import",
        {
            "file": _file("b.yaml", b"framework: {name: x}\nitems: [{code: A, title: t}]"),
            "owner_id": demo["office"].pk,
        },
    )
    assert bad.status_code == 422
    assert bad.json()["errors"]["file"][0].endswith("缺少分值")
    assert "缺少分值" in bad.json()["detail"]
    # A unit's 创建办 cannot import in the name of the office above it.
    before = Framework.objects.count()
    refused = bearer(coordinator).post(
        "/api/v1/frameworks/import", {"file": _file("s.yaml", SMALL), "owner_id": demo["office"].pk}
    )
    assert refused.status_code == 403 and Framework.objects.count() == before


def test_publish_through_the_api_needs_the_owner(office_admin, coordinator, demo):  # type: ignore[no-untyped-def]
    created = (
        bearer(office_admin)
        .post(
            "/api/v1/frameworks/import",
            {"file": _file("s.yaml", SMALL), "owner_id": demo["office"].pk},
        )
        .json()
    )
    url = f"/api/v1/frameworks/{created['framework_id']}/publish"
    assert bearer(coordinator).post(url).status_code == 404  # drafts are invisible below
    published = bearer(office_admin).post(url)
    assert published.status_code == 200 and published.json()["status"] == "published"
    again = bearer(office_admin).post(url)
    assert again.status_code == 422 and again.json()["detail"] == "只有草稿可以发布。"


def test_a_draft_is_edited_through_the_api(office_admin, coordinator, demo):  # type: ignore[no-untyped-def]
    client = bearer(office_admin)
    created = client.post(
        "/api/v1/frameworks/import",
        {"file": _file("s.yaml", SMALL), "owner_id": demo["office"].pk},
    ).json()
    url = f"/api/v1/frameworks/{created['framework_id']}"
    response = client.patch(url, json.dumps({"issuer": "临州市文明办"}), "application/json")
    assert response.status_code == 200 and response.json()["issuer"] == "临州市文明办"
    response = client.patch(url, json.dumps({"name": "名" * 201}), "application/json")
    assert response.status_code == 422 and response.json()["errors"] == {
        "name": ["不能超过200个字"]
    }
    node = client.get(f"{url}/tree").json()["nodes"][0]
    response = client.patch(
        f"{url}/nodes/{node['id']}",
        json.dumps({"points": "3", "methods": ["实地察看", "个别座谈"]}),
        "application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["node"]["points"] == "3.00"
    response = client.patch(
        f"{url}/nodes/{node['id']}", json.dumps({"points": "-1"}), "application/json"
    )
    assert response.status_code == 422 and response.json()["errors"] == {
        "points": ["分值不能为负数。"]
    }
    assert (
        bearer(coordinator).patch(url, json.dumps({"issuer": "x"}), "application/json").status_code
        == 404
    )
    client.post(f"{url}/publish")
    response = client.patch(url, json.dumps({"issuer": "x"}), "application/json")
    assert response.status_code == 422 and "创建新版本" in response.json()["detail"]


def test_openapi_schema_is_served(coordinator):  # type: ignore[no-untyped-def]
    schema = bearer(coordinator).get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert "/api/v1/frameworks/{framework_id}/tree" in schema.json()["paths"]


def _file(name: str, content: bytes):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_a_browser_session_posts_a_form_with_its_csrf_token(coordinator, campaign):  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    token = "a" * 32
    client.cookies["csrftoken"] = token
    data = {"campaign_id": campaign.pk, "title": "会话提交的任务", "csrfmiddlewaretoken": token}
    response = client.post("/api/v1/tasks", data)  # multipart, read by the CSRF check first
    assert response.status_code == 201, response.content
    del data["csrfmiddlewaretoken"]
    assert client.post("/api/v1/tasks", data).status_code == 403
