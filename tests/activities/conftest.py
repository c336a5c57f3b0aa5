"""Activity fixtures: the market bureau's campaign (`campaign`), its 食品安全监管科 (`food`,
the `dept_head`/`staff` personas' department) and `record(**overrides)`, which records an
activity through the service with one photo and two participants of the unit (the
`dept_head` 2.5 hours, the `staff` 2 hours) on the campaign's first basic standard. Files go
to a private MEDIA_ROOT per test, so the sign-in sheet and photos are real files on disk.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from tests.ledger.conftest import jpeg, upload

STARTS = datetime.datetime(2026, 3, 20, 14, 30)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def photo(name: str = "活动现场.jpg", pattern: int = 0) -> Any:
    return upload(name, jpeg(pattern=pattern), "image/jpeg")


@pytest.fixture
def standard(campaign):  # type: ignore[no-untyped-def]
    from wenming.frameworks.models import Node

    return (
        Node.objects.filter(framework=campaign.framework, is_leaf=True, section="basic")
        .order_by("position")
        .first()
    )


@pytest.fixture
def record(campaign, demo, coordinator, dept_head, staff, standard) -> Callable[..., Any]:  # type: ignore[no-untyped-def]
    """`record(**overrides)`: an activity recorded by the 创建办 through the service."""
    from wenming.activities import services
    from wenming.activities.services import Participant

    def run(**overrides: Any) -> Any:
        args: dict[str, Any] = {
            "campaign": campaign,
            "user": coordinator,
            "department": demo["food"],
            "kind": "volunteer",
            "title": "3月学雷锋志愿服务",
            "starts_at": timezone.make_aware(STARTS),
            "ends_at": timezone.make_aware(STARTS + datetime.timedelta(hours=3)),
            "place": "城东农贸市场",
            "standards": [standard],
            "summary": "志愿者在农贸市场开展食品安全宣传。",
            "result": "发放宣传资料300份。",
            "participants": [
                Participant(person=dept_head, hours=Decimal("2.5")),
                Participant(person=staff, hours=Decimal("2")),
            ],
            "photos": [photo()],
        }
        args.update(overrides)
        return services.activity_record(**args)

    return run
