"""Reading API input the same way in every router: refusals in Chinese, uploads under limits.

Input arrives through ninja parameters (`Schema` bodies, `Query`, `Form`, `File`), so the
OpenAPI document describes it. A body schema derives from `Input`: clients send JSON, and
the plain clients that post forms send the same fields as form fields (`BodyParser`, set on
the API, reads both). Text fields carry the `max_length` of their model column
(`column_length`), so an over-long value is refused in Chinese, not stored or cut.

A route raises `Refused` (or lets a service's `ValidationError` through); the handlers in
`wenming/api.py` answer both as `{"detail": "...", "errors": {field: [...]}}` with status 422
(413 for an oversized upload). Routes never catch them: one handler, one dialect. Where the
service names a field otherwise than the API does, `field_names` renames its errors; where a
screen's form holds the rules, `cleaned(form)` runs it and refuses with its messages. Routes
that receive files install the upload limits first (`limited_uploads`, `check_uploads`).
"""

from __future__ import annotations

import datetime
import json
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar, Union, get_args, get_origin

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.datastructures import MultiValueDict
from ninja import Schema, Status
from ninja.parser import Parser
from pydantic import ModelWrapValidatorHandler, model_validator

from wenming.core.uploads import install_upload_handlers, upload_refusal

T = TypeVar("T")

FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


class Refused(Exception):
    """A refusal with field errors, answered as 422 (or the given status, 413 for uploads)."""

    def __init__(
        self,
        detail: str,
        errors: dict[str, list[str]] | None = None,
        status: int = 422,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or {}
        self.status = status
        # More of the same refusal for clients that place it (an import's problems with their
        # sheet, row and column); added to the body beside `detail` and `errors`.
        self.extra = extra or {}


def refused(field: str, message: str, status: int = 422) -> Refused:
    """A refusal about one field: the sentence is both the detail and the field's error."""
    return Refused(message, {field: [message]}, status=status)


# --- bodies: JSON, or the same fields as a form ----------------------------------------------


class FormFields(dict[str, Any]):
    """A form body as a dict: a field sent once is its value, one sent several times a list."""


class BodyParser(Parser):
    """JSON bodies; form bodies (urlencoded or multipart) are read as `FormFields`. An empty
    query parameter (`?status=`) counts as not sent, as links built by templates send them."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        if request.content_type in FORM_TYPES:
            return FormFields(
                (key, values[0] if len(values) == 1 else values)
                for key, values in request.POST.lists()
            )
        data: dict[str, Any] = json.loads(request.body)
        return data

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        values = super().parse_querydict(data, list_fields, request)
        if data is request.GET:
            values = {k: v for k, v in values.items() if v not in ("", [""])}
        return values


def _takes_list(annotation: Any) -> bool:
    if get_origin(annotation) in (Union, types.UnionType):
        return any(_takes_list(arg) for arg in get_args(annotation))
    return get_origin(annotation) is list or annotation is list


def _takes_text(annotation: Any) -> bool:
    if get_origin(annotation) in (Union, types.UnionType):
        return any(_takes_text(arg) for arg in get_args(annotation))
    return annotation is str


def form_list(value: Any) -> Any:
    """A list field from a form: repeated fields, one field, or a JSON array in one field."""
    if isinstance(value, list):
        return value
    text = str(value).strip()
    if text.startswith("["):
        try:
            return json.loads(text)
        except ValueError:
            return value
    return [value] if text else []


class Input(Schema):
    """A request body, sent as JSON or as form fields.

    An empty value for a field that is not text counts as not sent (forms send "" for an
    empty box). From a form, a list field takes repeated fields (or one field holding a
    JSON array).
    """

    # A wrap validator, so that it sees the raw dict before ninja's own (which wraps it).
    @model_validator(mode="wrap")
    @classmethod
    def _from_form(cls, data: Any, handler: ModelWrapValidatorHandler[Any]) -> Any:
        return handler(cls.form_values(data))

    @classmethod
    def form_values(cls, data: Any) -> Any:
        """`data` with form values read as the fields' types expect (see the class doc)."""
        if not isinstance(data, dict):
            return data
        from_form = isinstance(data, FormFields)
        out: dict[str, Any] = {}
        for name, value in data.items():
            field = cls.model_fields.get(name)
            if field is not None and value == "" and not _takes_text(field.annotation):
                continue
            if from_form and field is not None and _takes_list(field.annotation):
                value = form_list(value)
            out[name] = value
        return FormFields(out) if from_form else out


def column_length(model: type[models.Model], name: str) -> int | None:
    """The `max_length` of a model's text column, for the schema field that fills it."""
    field = model._meta.get_field(name)
    length = getattr(field, "max_length", None)
    return int(length) if length else None


@contextmanager
def field_names(renames: dict[str, str]) -> Iterator[None]:
    """Name a service's field errors as the API's fields are named (`lead_department` →
    `lead_department_id`), so a client finds each message under the field it sent."""
    try:
        yield
    except ValidationError as exc:
        refusal = from_validation(exc)
        refusal.errors = {renames.get(k, k): v for k, v in refusal.errors.items()}
        raise refusal from exc


def cleaned(form: forms.BaseForm, renames: dict[str, str] | None = None) -> dict[str, Any]:
    """A screen's form run on API input: its cleaned data, or a refusal with the form's own
    Chinese messages by field (named as the API names them, through `renames`)."""
    if not form.is_valid():
        names = renames or {}
        errors = {
            names.get(field, field): [str(m) for m in messages]
            for field, messages in form.errors.items()
        }
        raise Refused("；".join(m for msgs in errors.values() for m in msgs), errors)
    return form.cleaned_data


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
    "int_from_float": "须为整数",
    "float_parsing": "须为数字",
    "decimal_parsing": "须为数字",
    "decimal_type": "须为数字",
    "bool_parsing": "须为 true 或 false",
    "bool_type": "须为 true 或 false",
    "date_from_datetime_parsing": "日期格式不正确，请写成 2026-03-20 这样的格式",
    "date_from_datetime_inexact": "日期格式不正确，请写成 2026-03-20 这样的格式",
    "date_parsing": "日期格式不正确，请写成 2026-03-20 这样的格式",
    "date_type": "日期格式不正确，请写成 2026-03-20 这样的格式",
    "datetime_parsing": "时间格式不正确，请写成 2026-03-20T09:00:00 这样的格式",
    "string_type": "须为文字",
    "list_type": "须为列表",
    "dict_type": "须为对象",
    "model_type": "须为对象",
    "model_attributes_type": "请求内容须为 JSON 对象",
}
_SOURCES = ("body", "query", "form", "file", "path", "header", "cookie")


def _schema_message(error: dict[str, Any]) -> str:
    kind = str(error.get("type"))
    ctx = error.get("ctx") or {}
    if "max_length" in ctx:
        return f"不能超过{ctx['max_length']}个字"
    if kind in ("enum", "literal_error") and "expected" in ctx:
        allowed = str(ctx["expected"]).replace("'", "").replace(" or ", "、").replace(", ", "、")
        return f"只能是{allowed}"
    bounds = {
        "greater_than_equal": ("ge", "不能小于"),
        "greater_than": ("gt", "须大于"),
        "less_than_equal": ("le", "不能大于"),
        "less_than": ("lt", "须小于"),
    }
    if kind in bounds and bounds[kind][0] in ctx:
        key, words = bounds[kind]
        return f"{words}{ctx[key]}"
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    return _SCHEMA_MESSAGES.get(kind, "取值不正确")


def schema_refusal(errors: list[dict[str, Any]]) -> Refused:
    """ninja's schema validation errors, said in Chinese by field (`lines.0.progress`)."""
    by_field: dict[str, list[str]] = {}
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        if loc and loc[0] in _SOURCES:
            loc = loc[1:]
        if loc and loc[0] == "payload":
            loc = loc[1:]
        field = ".".join(loc) or "__all__"
        by_field.setdefault(field, []).append(_schema_message(error))
    if list(by_field) == ["__all__"] and by_field["__all__"] == ["必须填写"]:
        message = "请求内容为空，请以 JSON（或表单）提交。"
        return Refused(message, {"__all__": [message]})
    detail = "；".join(f"{field}：{'、'.join(msgs)}" for field, msgs in by_field.items())
    return Refused(f"请求内容有误（{detail}）。", by_field)


def user_of(request: HttpRequest) -> User:
    """The authenticated user (every router requires authentication)."""
    return request.user  # type: ignore[return-value]


def limited_uploads(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For a route that receives files, with `ninja.decorators.decorate_view`: the upload
    limits go in before authentication or ninja's `File`/`Form` parameters read the body,
    so an oversized upload is stopped while it arrives. The route then calls
    `check_uploads` first; a schema error caused by a stopped upload is answered as the
    413 it is (`wenming/api.py`)."""

    @wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not hasattr(request, "_files"):
            install_upload_handlers(request)
        return run(request, *args, **kwargs)

    return wrapper


def check_uploads(request: HttpRequest, name: str = "files") -> None:
    """413 with the Chinese reason when the upload limits stopped this request's files."""
    message = upload_refusal(request)
    if message:
        raise refused(name, message, status=413)


# --- the older reading, kept while the oversight and scoring routers move to schemas ----------


def refusal(exc: Refused) -> Status:
    """The response for a refusal a route caught."""
    return Status(exc.status, {"detail": exc.detail, "errors": exc.errors})


def run(call: Callable[[], T]) -> T:
    """Call a service; its `ValidationError` becomes a `Refused` with the same messages."""
    try:
        return call()
    except ValidationError as exc:
        raise from_validation(exc) from exc


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
    check_uploads(request, name)
    return files
