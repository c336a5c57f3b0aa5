"""The import preview: an upload read, shown, corrected and saved (or discarded).

`draft_start` keeps the upload (nothing else is saved) and reads it, with the corrections of a
reading profile when an earlier document from the same issuer was corrected; `draft_correct`
records one correction and reads the document again; `draft_save` imports the reading as a
new draft evaluation system (all or nothing, through `services.framework_import`) and keeps
the corrections as the issuer's reading profile.

A profile keeps corrections by what a row says and what a column is called (`portable`), not
by row numbers, and `localize` fits them onto the rows of the next edition.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from wenming.frameworks import services
from wenming.frameworks.io.reading import MEANINGS, ROLES, Corrections, Reading
from wenming.frameworks.io.spec import parse_points
from wenming.frameworks.models import ImportDraft, ReadingProfile
from wenming.orgs.models import Organization

_SPACE = re.compile(r"\s+")
ROW_KEY_LENGTH = 80
# An upload left in the preview this long is set aside (its file content dropped) when the
# same person uploads again: the preview is a step, not a store.
STALE_AFTER = datetime.timedelta(days=7)


def _key(text: str) -> str:
    return _SPACE.sub("", text or "")[:ROW_KEY_LENGTH]


def row_key(cells: list[str]) -> str:
    """What a row says, as the profile remembers it: its non-empty cells, spaces removed."""
    return _key("|".join(c for c in cells if c and c.strip()))


def signature(reading: Reading) -> str:
    """The header names of the document's data tables: documents of one issuer share it."""
    names = sorted(
        {_key(name) for t in reading.tables if t.use == "data" for name in t.names.values()}
    )
    return "|".join(n for n in names if n)[:500]


def portable(reading: Reading, corrections: Corrections) -> dict[str, Any]:
    """The corrections keyed by row text and column name instead of sheet and row number."""
    rows = {(r.sheet, r.row): r for r in reading.rows}
    names = {(t.sheet, col): name for t in reading.tables for col, name in t.names.items()}
    data = corrections.as_dict()
    data["roles"] = [
        {"text": row_key(rows[key].cells), "role": role}
        for key, role in corrections.roles.items()
        if key in rows and row_key(rows[key].cells)
    ]
    data["columns"] = [
        {"sheet": sheet, "name": _key(names.get((sheet, col), "")), "column": col, "meaning": m}
        for (sheet, col), m in corrections.columns.items()
    ]
    return data


def localize(profile: dict[str, Any], reading: Reading) -> Corrections:
    """A profile's corrections fitted onto this document's rows and columns."""
    by_text: dict[str, str] = {e["text"]: e["role"] for e in profile.get("roles", [])}
    roles = [
        {"sheet": r.sheet, "row": r.row, "role": by_text[row_key(r.cells)]}
        for r in reading.rows
        if row_key(r.cells) in by_text
    ]
    columns = []
    for entry in profile.get("columns", []):
        for table in reading.tables:
            found = [c for c, name in table.names.items() if _key(name) == entry.get("name")]
            if entry.get("name") and found:
                columns.append(
                    {"sheet": table.sheet, "column": found[0], "meaning": entry["meaning"]}
                )
            elif not entry.get("name") and table.sheet == entry.get("sheet"):
                columns.append({"sheet": table.sheet, **_column(entry)})
    return Corrections.from_dict({**profile, "roles": roles, "columns": columns})


def _column(entry: dict[str, Any]) -> dict[str, Any]:
    return {"column": entry.get("column"), "meaning": entry.get("meaning")}


def find_profile(owner: Organization, reading: Reading) -> ReadingProfile | None:
    """The owner's profile for this document's issuer, else for its header."""
    profiles = ReadingProfile.objects.filter(owner=owner)
    issuer = _key(reading.tree.issuer)
    if issuer:
        found = profiles.filter(issuer=issuer).first()
        if found is not None:
            return found
    sig = signature(reading)
    return profiles.filter(signature=sig).first() if sig else None


def read_draft(draft: ImportDraft) -> Reading:
    return services.read_upload(
        bytes(draft.content), draft.filename, Corrections.from_dict(draft.corrections)
    )


def draft_start(
    *,
    owner: Organization,
    user: User,
    filename: str,
    content: bytes,
    overrides: dict[str, Any],
) -> tuple[ImportDraft, Reading]:
    """Keep the upload and read it. Raises `ImportFailed` when it cannot be read as tables at
    all (nothing is kept then)."""
    reading = services.read_upload(content, filename)
    now = timezone.now()
    ImportDraft.objects.filter(
        created_by=user,
        framework__isnull=True,
        discarded_at__isnull=True,
        created_at__lt=now - STALE_AFTER,
    ).update(discarded_at=now, content=b"")
    profile = find_profile(owner, reading)
    corrections: dict[str, Any] = {}
    if profile is not None:
        fitted = localize(profile.corrections, reading)
        corrections = fitted.as_dict()
        reading = services.read_upload(content, filename, fitted)
    draft = ImportDraft.objects.create(
        owner=owner,
        created_by=user,
        filename=filename[:255],
        content=content,
        overrides={k: v for k, v in overrides.items() if v not in (None, "")},
        corrections=corrections,
        profile=profile,
    )
    return draft, reading


# --- one correction at a time ---------------------------------------------------------------


def draft_correct(*, draft: ImportDraft, change: dict[str, Any]) -> Reading:
    """Record one correction and read the document again. `change["kind"]` is one of role,
    column, cap, basic_total, text_points, reset. Raises ValidationError in Chinese."""
    if not draft.is_open:
        raise ValidationError("这次导入已经保存或放弃，不能再修改。请重新上传文件。")
    data = dict(draft.corrections or {})
    kind = change.get("kind")
    if kind == "reset":
        data = {}
        draft.profile = None
    elif kind == "role":
        data["roles"] = _replace(data.get("roles", []), change, ("sheet", "row"), "role", ROLES)
    elif kind == "column":
        data["columns"] = _replace(
            data.get("columns", []), change, ("sheet", "column"), "meaning", MEANINGS
        )
    elif kind == "cap":
        caps = dict(data.get("caps") or {})
        section = str(change.get("section", ""))
        value = str(change.get("value", "")).strip()
        if value:
            caps[section] = _points(value, "上限")
        else:
            caps.pop(section, None)
        data["caps"] = caps
    elif kind == "basic_total":
        value = str(change.get("value", "")).strip()
        data["basic_total"] = _points(value, "基本分") if value else None
    elif kind == "text_points":
        data["accept_text_points"] = str(change.get("value", "")) in ("1", "true", "on")
    else:
        raise ValidationError("无法识别的修改，请刷新页面后重试。")
    try:
        corrections = Corrections.from_dict(data)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    draft.corrections = corrections.as_dict()
    draft.save(update_fields=["corrections", "profile", "updated_at"])
    return read_draft(draft)


def _replace(
    entries: list[dict[str, Any]],
    change: dict[str, Any],
    keys: tuple[str, str],
    field: str,
    allowed: dict[str, str],
) -> list[dict[str, Any]]:
    """Entries with the one for `change`'s place replaced (or removed when its value is "")."""
    sheet, place = str(change.get(keys[0], "")), change.get(keys[1])
    try:
        where = int(str(place))
    except ValueError as exc:
        raise ValidationError("修改的位置不正确，请刷新页面后重试。") from exc
    value = str(change.get("value", ""))
    if value and value not in allowed:
        raise ValidationError(f"“{value}”不是可选的取值，请从列表中选择。")
    kept = [e for e in entries if (str(e.get(keys[0])), int(e.get(keys[1], -1))) != (sheet, where)]
    if value:
        kept.append({keys[0]: sheet, keys[1]: where, field: value})
    return kept


def _points(value: str, label: str) -> str:
    try:
        return str(parse_points(value))
    except ValueError as exc:
        raise ValidationError(f"{label}：{exc}") from exc


# --- save or discard --------------------------------------------------------------------------


def draft_save(*, draft: ImportDraft, user: User) -> services.ImportResult:
    """Import the reading as a new draft evaluation system, all or nothing, and keep the
    corrections as the issuer's reading profile."""
    if not draft.is_open:
        raise ValidationError("这次导入已经保存或放弃。请重新上传文件。")
    corrections = Corrections.from_dict(draft.corrections)
    with transaction.atomic():
        result = services.framework_import(
            content=bytes(draft.content),
            filename=draft.filename,
            owner=draft.owner,
            user=user,
            overrides=_overrides(draft.overrides),
            corrections=corrections,
        )
        if not result.ok or result.framework is None:
            return result
        draft.framework = result.framework
        draft.save(update_fields=["framework", "updated_at"])
        if corrections_count(draft):
            _keep_profile(draft, corrections, user)
    return result


def _overrides(data: dict[str, Any]) -> dict[str, Any]:
    out = dict(data)
    if out.get("edition_year") not in (None, ""):
        out["edition_year"] = int(out["edition_year"])
    return out


def _keep_profile(draft: ImportDraft, corrections: Corrections, user: User) -> None:
    reading = read_draft(draft)
    issuer, sig = _key(reading.tree.issuer), signature(reading)
    profile = draft.profile or (
        ReadingProfile.objects.filter(owner=draft.owner, issuer=issuer, signature=sig).first()
    )
    if profile is None:
        profile = ReadingProfile(owner=draft.owner, issuer=issuer, signature=sig, created_by=user)
    profile.corrections = portable(reading, corrections)
    profile.times_used += 1
    profile.save()


def draft_discard(*, draft: ImportDraft) -> None:
    if draft.is_open:
        draft.discarded_at = timezone.now()
        draft.save(update_fields=["discarded_at", "updated_at"])


def corrections_count(draft: ImportDraft) -> int:
    data = draft.corrections or {}
    return (
        len(data.get("roles") or [])
        + len(data.get("columns") or [])
        + len(data.get("caps") or {})
        + (1 if data.get("basic_total") else 0)
        + (1 if data.get("accept_text_points") else 0)
    )
