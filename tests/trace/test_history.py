"""An object's history panel: visible to whoever sees the object, lazily loaded."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.tasks import make_task
from tests.trace.conftest import last_change

pytestmark = pytest.mark.django_db


def test_task_history_fragment_and_page(campaign, staff, coordinator, demo, as_user) -> None:
    task = make_task(campaign, lead_department=demo["food"])
    as_user(staff).post(reverse("tasks:progress", args=[task.pk]), {"progress": 40, "note": "过半"})
    as_user(coordinator).post(
        reverse("tasks:claim", args=[task.pk]), {"department": demo["food"].pk}
    )
    url = reverse("trace:history", args=["task", task.pk])
    fragment = as_user(staff).get(url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert "<html" not in html
    assert "陈晓燕" in html and "过半" in html and "未开始" in html and "进行中" in html
    # Newest first.
    assert html.index("过半") < html.index("新增")
    page = as_user(staff).get(url).content.decode()
    assert "<html" in page and "修改记录" in page and "工作台" in page


def test_history_hidden_with_the_object(
    campaign, other_task, make_item, dept_head, other_dept_head, outsider_admin, as_user
) -> None:
    item = make_item()
    url = reverse("trace:history", args=["evidence", item.pk])
    assert as_user(dept_head).get(url).status_code == 200
    # Another department does not see this department's evidence, nor its history.
    assert as_user(other_dept_head).get(url).status_code == 404
    assert as_user(outsider_admin).get(url).status_code == 404
    assert as_user(dept_head).get(reverse("trace:history", args=["nothing", 1])).status_code == 404


def test_children_show_in_the_parent_history(campaign, coordinator, as_user) -> None:
    html = (
        as_user(coordinator)
        .get(
            reverse("trace:history", args=["campaign", campaign.pk]), headers={"HX-Request": "true"}
        )
        .content.decode()
    )
    assert "阶段“组织实施”" in html


def test_deleted_task_history_for_managers_only(
    campaign, coordinator, staff, demo, as_user
) -> None:
    task = make_task(campaign, lead_department=demo["food"])
    as_user(coordinator).post(reverse("tasks:delete", args=[task.pk]))
    url = reverse("trace:history", args=["task", task.pk])
    assert as_user(coordinator).get(url).status_code == 200
    assert as_user(staff).get(url).status_code == 404
    assert last_change(task).actor == coordinator


@pytest.mark.parametrize(
    ("kind", "url_name"),
    [("campaign", "campaigns:detail"), ("org", "orgs:detail"), ("task", "tasks:detail")],
)
def test_detail_pages_carry_a_lazy_panel(
    kind, url_name, campaign, coordinator, demo, as_user
) -> None:
    pk = {"campaign": campaign.pk, "org": demo["unit"].pk}.get(kind) or make_task(campaign).pk
    html = as_user(coordinator).get(reverse(url_name, args=[pk])).content.decode()
    assert "修改记录" in html
    assert f'hx-get="{reverse("trace:history", args=[kind, pk])}"' in html
    assert 'hx-trigger="toggle once"' in html
