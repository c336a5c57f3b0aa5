"""Refuse oversized upload requests while they arrive, not after they are stored.

Django's own limits (DATA_UPLOAD_MAX_MEMORY_SIZE) leave file parts alone: a 3 GB video in
a form would be streamed to a temporary file before any view could say no. The
`LimitedUploadHandler` sits first in the request's upload handlers and

- refuses the whole request before reading it when its Content-Length exceeds
  WENMING_UPLOAD_MAX_BYTES × WENMING_UPLOAD_MAX_FILES (the body is not read at all, the
  client may see its connection closed);
- stops reading as soon as one file exceeds WENMING_UPLOAD_MAX_BYTES; the rest of the body
  is drained so the view can still answer with the Chinese message.

Either way the reason is kept on the request and read with `upload_refusal(request)`.

Upload handlers can only be changed before request.POST or request.FILES are touched, and
CsrfViewMiddleware reads request.POST before the view runs. Following Django's "Modifying
upload handlers on the fly", views therefore use the `limited_uploads` decorator: the view
is exempted from the middleware, the handler is installed, and the view is then run under
`csrf_protect`, so CSRF is still checked (with the limit already in place).

A view under `limited_uploads` must call `upload_refusal(request)` first and, when it
returns a message, show it and keep none of request.FILES (files before the refused one
may have been received completely).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import wraps
from typing import IO, Any, TypeVar, cast

from django.conf import settings
from django.core.exceptions import TooManyFilesSent
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.datastructures import MultiValueDict
from django.views.decorators.csrf import csrf_exempt, csrf_protect

_REFUSAL_ATTR = "wenming_upload_refused"
_UNREAD_ATTR = "_wenming_upload_body_unread"

_View = TypeVar("_View", bound=Callable[..., HttpResponse])


UNNAMED = "未命名文件"
DISPLAY_NAME_MAX = 120


def display_name(name: str) -> str:
    """The name shown to users; never used as a storage path."""
    text = unicodedata.normalize("NFC", str(name or ""))
    text = re.split(r"[/\\]", text)[-1]
    cleaned = []
    for char in text:
        category = unicodedata.category(char)
        if char.isspace():
            cleaned.append(" ")
        elif category not in ("Cc", "Cf", "Cs", "Co", "Cn"):
            cleaned.append(char)
    text = " ".join("".join(cleaned).split())
    if text in ("", ".", ".."):
        return UNNAMED
    if len(text) > DISPLAY_NAME_MAX:
        stem, dot, ext = text.rpartition(".")
        if dot and stem and 0 < len(ext) <= 10:
            text = stem[: DISPLAY_NAME_MAX - len(ext) - 1].rstrip() + "." + ext
        else:
            text = text[:DISPLAY_NAME_MAX].rstrip()
    return text


def _megabytes(n: int) -> str:
    value = n / (1024 * 1024)
    return f"{value:.0f}" if value >= 10 or value.is_integer() else f"{value:.1f}"


class LimitedUploadHandler(FileUploadHandler):
    """Stops an upload as soon as it is known to be over the configured limits."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self._received = 0

    def _refuse(self, message: str) -> None:
        if self.request is not None:
            setattr(self.request, _REFUSAL_ATTR, message)

    def handle_raw_input(
        self,
        input_data: IO[bytes],
        META: dict[str, str],
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> tuple[QueryDict, MultiValueDict[str, UploadedFile]] | None:
        per_file = int(settings.WENMING_UPLOAD_MAX_BYTES)
        files = max(1, int(settings.WENMING_UPLOAD_MAX_FILES))
        if content_length and content_length > per_file * files:
            self._refuse(
                f"本次上传的内容共约{_megabytes(content_length)}MB，超过了一次上传"
                f"{_megabytes(per_file * files)}MB的上限（每个文件不超过{_megabytes(per_file)}MB，"
                f"每次最多{files}个文件）。请分批上传。"
            )
            if self.request is not None:
                setattr(self.request, _UNREAD_ATTR, True)
            # Returning data here means "handled": Django reads nothing of the body. Raising
            # StopUpload from handle_raw_input would escape the multipart parser as a 500.
            return QueryDict(encoding=encoding), MultiValueDict()
        return None

    def new_file(
        self,
        field_name: str,
        file_name: str,
        content_type: str,
        content_length: int | None,
        charset: str | None = None,
        content_type_extra: dict[str, bytes] | None = None,
    ) -> None:
        super().new_file(
            field_name, file_name, content_type, content_length, charset, content_type_extra
        )
        self._received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self._received += len(raw_data)
        limit = int(settings.WENMING_UPLOAD_MAX_BYTES)
        if self._received > limit:
            shown = display_name(self.file_name or "")
            self._refuse(
                f"文件‘{shown}’超过了单个文件{_megabytes(limit)}MB的上限，未能上传。"
                "请压缩（视频可降低清晰度）或拆分后重新上传。"
            )
            # connection_reset=False: Django drains the body so a response can be sent.
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        return None


def install_upload_handlers(request: HttpRequest) -> None:
    """Put `LimitedUploadHandler` first; call before request.POST/FILES are touched."""
    handlers = request.upload_handlers
    if hasattr(request, "_files") or not isinstance(handlers, list):
        raise RuntimeError(
            "install_upload_handlers() must run before request.POST or request.FILES is read; "
            "decorate the view with limited_uploads."
        )
    if not any(isinstance(h, LimitedUploadHandler) for h in handlers):
        handlers.insert(0, LimitedUploadHandler(request))


def upload_refusal(request: HttpRequest) -> str | None:
    """The Chinese message explaining why this request's upload was stopped, if it was."""
    message = getattr(request, _REFUSAL_ATTR, None)
    return message if isinstance(message, str) else None


def limited_uploads(view: _View) -> _View:
    """Install the upload limits, then run `view` under CSRF protection.

    The pattern from Django's docs: the outer function is csrf_exempt so the middleware does
    not parse the body before the handler is installed; the view itself runs under
    csrf_protect. A request refused before its body was read carries no CSRF token and
    reaches no view: it gets a 413 with the message; one with more files than
    DATA_UPLOAD_MAX_NUMBER_FILES gets a 400 saying so.
    """
    protected = csrf_protect(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        install_upload_handlers(request)
        if request.method == "POST":
            try:
                request.FILES  # noqa: B018 - parse now, with the limits in place
            except TooManyFilesSent:
                most = settings.DATA_UPLOAD_MAX_NUMBER_FILES
                return HttpResponse(
                    f"一次最多上传{most}个文件，本次选择的文件超过了上限。请分批上传。",
                    status=400,
                    content_type="text/plain; charset=utf-8",
                )
            if getattr(request, _UNREAD_ATTR, False):
                return HttpResponse(
                    upload_refusal(request) or "",
                    status=413,
                    content_type="text/plain; charset=utf-8",
                )
        return protected(request, *args, **kwargs)

    return cast(_View, csrf_exempt(wrapper))
