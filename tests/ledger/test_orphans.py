"""The orphan sweep: stray stored files go, referenced and recent ones stay."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def _stray(relative: str, age_minutes: int, content: bytes = b"x" * 2048) -> Path:
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    then = time.time() - age_minutes * 60
    os.utime(path, (then, then))
    return path


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("ledger_orphans", *args, stdout=out)
    return out.getvalue()


def test_orphans_are_listed_then_deleted(make_item, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        item = make_item()
    kept = [Path(f.file.path) for f in item.files.all()]
    thumbs = [Path(f.thumbnail.path) for f in item.files.all() if f.thumbnail]
    assert thumbs  # made by the immediate task backend
    for path in kept + thumbs:  # old enough to be looked at, but referenced
        os.utime(path, (time.time() - 7200, time.time() - 7200))
    old = _stray("evidence/1/2026/0123abcd.jpg", 120)
    old_thumb = _stray("thumbs/1/2026/feed.jpg", 90)
    old_export = _stray("exports/1/dead.zip", 600)
    recent = _stray("evidence/1/2026/inflight.jpg", 5)

    listed = _run()
    assert "共发现孤立文件 3 个" in listed
    assert "evidence/1/2026/0123abcd.jpg" in listed and "inflight" not in listed
    assert old.exists()  # listing changes nothing

    deleted = _run("--delete")
    assert "共删除孤立文件 3 个，释放 6.0 KB。" in deleted
    assert not old.exists() and not old_thumb.exists() and not old_export.exists()
    assert recent.exists()
    assert all(p.exists() for p in kept + thumbs)

    assert "没有发现孤立文件。" in _run("--delete")
    assert "共删除孤立文件 1 个" in _run("--delete", "--min-age-minutes", "0")
    assert not recent.exists() and all(p.exists() for p in kept + thumbs)


def test_empty_storage(db) -> None:  # type: ignore[no-untyped-def]
    assert _run() == "没有发现孤立文件。\n"
