"""Trace fixtures: reuse the ledger's and oversight's private media and fixtures."""

from __future__ import annotations

from typing import Any

import pytest

from tests.ledger.conftest import (  # noqa: F401 - fixtures
    ledger_task,
    make_item,
    other_task,
)
from tests.oversight.conftest import inspection, make_problem  # noqa: F401 - fixtures


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def changes_of(obj: Any, **filters: Any) -> list[Any]:
    """The trace entries of one object, oldest first."""
    from wenming.trace.models import Change
    from wenming.trace.registry import tracked

    spec = tracked(type(obj))
    assert spec is not None
    return list(
        Change.objects.filter(kind=spec.kind, object_id=obj.pk, **filters).order_by("at", "id")
    )


def last_change(obj: Any, **filters: Any) -> Any:
    found = changes_of(obj, **filters)
    assert found, f"no trace entry for {obj!r}"
    return found[-1]
