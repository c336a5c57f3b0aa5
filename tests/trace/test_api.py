"""The trace API: the log's access, filters and paging, each object's history, and bounded
queries, with the same rules as the screens."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.tasks import make_task
from wenming import trace
from wenming.orgs.models import ApiToken
from wenming.trace.models import Action, Change

pytestmark = pytest.mark.django_db

API = "/api/v1/trace"
LOG = f"{API}/changes"


def bearer(user: Any) -> Client:
    _, raw = ApiToken.issue(user)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _fill(campaign: Any, n: int) -> Any:
    task = make_task(campaign)
    Change.objects.bulk_create(
        [
            Change(
                kind="task",
                object_id=task.pk,
                object_repr=f"任务{i}",
                action="update",
                actor_name="李文静",
                unit_path=campaign.unit.path,
                unit_id=campaign.unit_id,
                changes={"进度（%）": [i, i + 1], "状态": ["未开始", "进行中"]},
            )
            for i in range(n)
        ]
    )
    return task


def test_who_may_read_the_log(
    demo, office_admin, coordinator, leader, dept_head, staff, inspector, outsider_admin
) -> None:
    for user in (office_admin, coordinator, leader, outsider_admin):
        assert bearer(user).get(LOG).status_code == 200
    for user in (dept_head, staff, inspector):
        refused = bearer(user).get(LOG)
        assert refused.status_code == 403
        assert "只有创建办、文明办管理员和单位领导可以查看操作记录" in refused.json()["detail"]
    assert Client().get(LOG).status_code == 401


def test_scoped_to_what_the_user_sees(demo, campaign, coordinator, office_admin, outsider_admin):
    court_dept = demo["court"].children.first()
    with trace.acting_as(office_admin):
        court_dept.sort_order = 9
        court_dept.save()
    make_task(campaign, title="本单位的任务")

    def reprs(user: Any) -> set[str]:
        return {c["object_repr"] for c in bearer(user).get(LOG).json()["items"]}

    assert court_dept.name not in reprs(coordinator)
    assert "本单位的任务" in reprs(coordinator)
    assert court_dept.name in reprs(office_admin)
    # Another city's office reads its own log, which holds nothing of ours.
    theirs = reprs(outsider_admin)
    assert "本单位的任务" not in theirs and court_dept.name not in theirs


def test_items_and_filters(campaign, coordinator, staff, demo, as_user) -> None:
    task = make_task(campaign, lead_department=demo["food"], title="开展道德讲堂活动")
    other = make_task(campaign, title="窗口文明服务")
    as_user(staff).post(
        reverse("tasks:progress", args=[task.pk]), {"progress": 30, "note": "已办两期"}
    )
    as_user(coordinator).post(reverse("tasks:delete", args=[other.pk]))
    client = bearer(coordinator)

    def items(**params: str) -> list[dict[str, Any]]:
        response = client.get(LOG, params)
        assert response.status_code == 200, response.content
        return response.json()["items"]

    by_actor = items(actor="陈晓燕")
    assert by_actor and all(c["actor"] == "陈晓燕" for c in by_actor)
    progress = next(c for c in by_actor if c["object_id"] == task.pk)
    assert progress["action"] == "update" and progress["action_label"] == "修改"
    assert progress["kind"] == "task" and progress["kind_label"] == "工作任务"
    assert progress["object_repr"] == "开展道德讲堂活动"
    fields = {c["field"]: c for c in progress["changes"]}
    assert any(c["after"] == "30" for c in fields.values())
    assert all(set(c) == {"field", "before", "after"} for c in progress["changes"])
    assert {"id", "at", "summary"} <= set(progress)
    updates = items(action=Action.UPDATE, kind="task")
    assert {c["action"] for c in updates} == {"update"}
    assert {c["object_id"] for c in updates} == {task.pk, other.pk}
    assert {c["object_id"] for c in items(q="已办两期")} == {task.pk}
    assert {c["object_repr"] for c in items(q="窗口")} == {"窗口文明服务"}
    today = datetime.date.today()
    assert items(date_from=str(today), date_to=str(today))
    assert not items(date_to=str(today - datetime.timedelta(days=1)))
    assert not items(date_from=str(today + datetime.timedelta(days=1)))


def test_system_changes_and_refused_filters(campaign, coordinator) -> None:
    _fill(campaign, 1)
    Change.objects.create(
        kind="task", action="create", object_repr="系统生成", unit_path=campaign.unit.path
    )
    client = bearer(coordinator)
    made = client.get(LOG, {"q": "系统生成"}).json()["items"]
    assert [c["actor"] for c in made] == ["系统"]
    bad_date = client.get(LOG, {"date_from": "三月"})
    assert bad_date.status_code == 422
    assert "date_from" in bad_date.json()["errors"]
    bad_kind = client.get(LOG, {"kind": "nothing"})
    assert bad_kind.status_code == 422 and "kind" in bad_kind.json()["errors"]
    bad_limit = client.get(LOG, {"limit": "many"})
    assert bad_limit.status_code == 422 and "limit" in bad_limit.json()["detail"]
    assert client.get(LOG, {"offset": "-1"}).status_code == 422


def test_pagination(campaign, coordinator) -> None:
    _fill(campaign, 260)
    client = bearer(coordinator)
    first = client.get(LOG, {"kind": "task"}).json()
    assert first["count"] == 261 and len(first["items"]) == 50
    assert len(client.get(LOG, {"kind": "task", "limit": 500}).json()["items"]) == 200
    rest = client.get(LOG, {"kind": "task", "limit": 100, "offset": 250}).json()
    assert rest["count"] == 261 and len(rest["items"]) == 11
    ids = [c["id"] for c in client.get(LOG, {"limit": 10}).json()["items"]]
    ids += [c["id"] for c in client.get(LOG, {"limit": 10, "offset": 10}).json()["items"]]
    assert len(set(ids)) == 20 and ids == sorted(ids, reverse=True)


def test_object_history(demo, campaign, coordinator, staff, outsider_admin, as_user) -> None:
    task = make_task(campaign, lead_department=demo["food"], title="开展道德讲堂活动")
    as_user(staff).post(
        reverse("tasks:progress", args=[task.pk]), {"progress": 30, "note": "已办两期"}
    )
    url = f"{API}/task/{task.pk}"
    body = bearer(staff).get(url).json()
    assert body["kind"] == "task" and body["kind_label"] == "工作任务"
    assert body["object_id"] == task.pk and body["object_repr"] == "开展道德讲堂活动"
    assert body["count"] == len(body["items"]) >= 2 and not body["truncated"]
    assert body["items"][-1]["action"] == "create"
    assert body["items"][0]["actor"] == "陈晓燕"
    # The same answer as the history screen: another city, or an unknown kind, is told nothing.
    assert bearer(outsider_admin).get(url).status_code == 404
    assert bearer(coordinator).get(f"{API}/nothing/{task.pk}").status_code == 404
    assert bearer(coordinator).get(f"{API}/task/999999").status_code == 404


def test_history_is_capped(campaign, coordinator) -> None:
    task = _fill(campaign, 230)
    body = bearer(coordinator).get(f"{API}/task/{task.pk}").json()
    assert len(body["items"]) == 200 and body["count"] == 231 and body["truncated"]


@pytest.mark.parametrize("size", [5, 150])
def test_log_query_count_is_bounded(
    size, campaign, coordinator, django_assert_max_num_queries
) -> None:
    _fill(campaign, size)
    client = bearer(coordinator)
    with django_assert_max_num_queries(6):
        response = client.get(LOG, {"q": "进度", "limit": 200})
    assert response.status_code == 200
    assert len(response.json()["items"]) > size
