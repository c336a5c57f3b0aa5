"""Reading API input the same way in every router: refusals in Chinese, uploads under limits.

A route raises `Refused` (or lets a service's `ValidationError` through); the handlers in
`wenming/api.py` answer both as `{"detail": "...", "errors": {field: [...]}}` with status 422
(413 for an oversized upload). Routes never catch them: one handler, one dialect.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Schema, Status

from wenming.core.uploads import install_upload_handlers, upload_refusal

T = TypeVar("T")


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


class Refused(Exception):
    """A refusal with field errors, answered as 422 (or the given status)."""

    def __init__(
        self, detail: str, errors: dict[str, list[str]] | None = None, status: int = 400
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or {}
        self.status = status


def refusal(exc: Refused) -> Status:
    """The response for a refusal a route caught."""
    return Status(exc.status, {"detail": exc.detail, "errors": exc.errors})


def from_validation(exc: ValidationError) -> Refused:
    if hasattr(exc, "error_dict"):
        errors = {field: list(messages) for field, messages in exc.message_dict.items()}
    else:
        errors = {"__all__": list(exc.messages)}
    return Refused("；".join(exc.messages), errors)


_SCHEMA_MESSAGES = {
    "missing": "必须填写",
    "int_parsing": "须为整数",
    "int_type": "须为整数",
    "float_parsing": "须为数字",
    "decimal_parsing": "须为数字",
    "bool_parsing": "须为 true 或 false",
    "bool_type": "须为 true 或 false",
    "date_from_datetime_parsing": "日期格式不正确，请写成 2026-03-20 这样的格式",
    "date_parsing": "日期格式不正确，请写成 2026-03-20 这样的格式",
    "datetime_parsing": "时间格式不正确，请写成 2026-03-20T09:00:00 这样的格式",
    "string_type": "须为文字",
    "string_too_long": "内容过长",
    "list_type": "须为列表",
    "dict_type": "须为对象",
    "enum": "取值不在允许的范围内",
    "literal_error": "取值不在允许的范围内",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "model_attributes_type": "请求内容须为 JSON 对象",
}


def schema_refusal(errors: list[dict[str, Any]]) -> Refused:
    """ninja's schema validation errors, said in Chinese by field."""
    by_field: dict[str, list[str]] = {}
    for error in errors:
        loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "payload")]
        if loc and loc[0] in ("query", "form", "path", "file"):
            loc = loc[1:]
        field = ".".join(loc) or "__all__"
        message = _SCHEMA_MESSAGES.get(str(error.get("type")), "取值不正确")
        limit = (error.get("ctx") or {}).get("max_length")
        if limit is not None:
            message = f"不能超过{limit}个字"
        by_field.setdefault(field, []).append(message)
    detail = "；".join(f"{field}：{'、'.join(msgs)}" for field, msgs in by_field.items())
    return Refused(f"请求内容有误（{detail}）。", by_field)


def run(call: Callable[[], T]) -> T:
    """Call a service; its `ValidationError` becomes a `Refused` with the same messages."""
    try:
        return call()
    except ValidationError as exc:
        raise from_validation(exc) from exc


def user_of(request: HttpRequest) -> User:
    """The authenticated user (every router requires authentication)."""
    return request.user  # type: ignore[return-value]


def request_data(request: HttpRequest) -> dict[str, Any]:
    """A JSON body or a form body, as one dict."""
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError as exc:
            raise Refused("请求内容不是有效的 JSON。") from exc
        return data if isinstance(data, dict) else {}
    return {k: request.POST.get(k) for k in request.POST}


def int_field(value: Any, field: str, message: str) -> int | None:
    text = str(value if value is not None else "").strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError as exc:
        raise Refused(message, {field: [message]}) from exc


def date_field(value: Any, field: str, label: str) -> datetime.date | None:
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as exc:
        message = f"{label}格式不正确，请写成 2026-03-20 这样的格式。"
        raise Refused(message, {field: [message]}) from exc


def uploads(request: HttpRequest, name: str = "files") -> list[Any]:
    """The request's files, read under the upload limits when the body is still unread."""
    if not hasattr(request, "_files"):
        install_upload_handlers(request)
    files = request.FILES.getlist(name)
    refused = upload_refusal(request)
    if refused:
        raise Refused(refused, {name: [refused]}, status=413)
    return files


def window(limit: Any, offset: Any, *, default: int = 50, most: int = 200) -> tuple[int, int]:
    """`limit` and `offset` of a paged list: `limit` defaults to `default` and is capped at
    `most`; a value that is not a whole number in range is refused in Chinese."""
    size_message = "limit 须为正整数，例如 50。"
    start_message = "offset 须为不小于 0 的整数，例如 0。"
    size = int_field(limit, "limit", size_message)
    start = int_field(offset, "offset", start_message)
    if size is not None and size < 1:
        raise Refused(size_message, {"limit": [size_message]})
    if start is not None and start < 0:
        raise Refused(start_message, {"offset": [start_message]})
    return min(size or default, most), start or 0
