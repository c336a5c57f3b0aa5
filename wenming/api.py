"""The JSON API under /api/v1/: token or session authentication, routers per app.

One dialect for every failure (`docs/api.md`, "Errors"): the handlers below turn each kind of
failure into one status code, always with a Chinese `detail` and, for input, `errors` by field:

- 400: the body cannot be read (not JSON, not a form);
- 401: no valid token or session;
- 403: the object is visible but the action is not the caller's (`PermissionDenied`);
- 404: the object does not exist or is not visible to the caller (`Http404`);
- 413: an upload over the limits (`Refused(..., status=413)`, too many files, a body too big);
- 422: the input is understood but refused: a field is missing or malformed (ninja's schema
  validation), or a business rule says no (`Refused`, or a service's `ValidationError`).

Routes take their input as ninja parameters (bodies derive from `api_input.Input`: JSON, or
the same fields as a form) and never catch these errors themselves.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    TooManyFilesSent,
    ValidationError,
)
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as SchemaError
from ninja.security import HttpBearer, SessionAuth

from wenming import trace
from wenming.core.api_input import BodyParser, Refused, from_validation, schema_refusal
from wenming.core.uploads import LimitedUploadHandler, upload_refusal
from wenming.orgs.tokens import token_user


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_user(token)
        if user is None:
            return None
        request.user = user
        trace.set_actor(user)
        return user


class Session(SessionAuth):
    """The browser's session, with its CSRF check. The check reads a form body from the
    stream; a multipart body is read whole first, so that a body schema can still read it
    (not where upload limits are installed: there the files are streamed, and the route
    reads them as `File` and `Form` parameters)."""

    def _get_key(self, request: HttpRequest) -> str | None:
        streamed = any(isinstance(h, LimitedUploadHandler) for h in request.upload_handlers)
        if request.content_type == "multipart/form-data" and not streamed:
            request.body  # noqa: B018 - read now, bounded by DATA_UPLOAD_MAX_MEMORY_SIZE
        return super()._get_key(request)


api = NinjaAPI(
    title="文明创建管理平台 API",
    version="1",
    description="组织机构、测评体系、创建工作、任务推进、创建台账、测评打分、督查整改、驾驶舱、操作记录与消息提醒接口。认证：`Authorization: Bearer <令牌>`（用 `wenming create_token 用户名` 签发），或已登录的浏览器会话。",
    auth=[BearerToken(), Session()],
    parser=BodyParser(),
    urls_namespace="api",
)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "您无权进行此操作。"}, status=403)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "没有找到。"}, status=404)


@api.exception_handler(Refused)
def refused(request: HttpRequest, exc: Refused) -> HttpResponse:
    body = {**exc.extra, "detail": exc.detail, "errors": exc.errors}
    return api.create_response(request, body, status=exc.status)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return refused(request, from_validation(exc))


@api.exception_handler(SchemaError)
def malformed(request: HttpRequest, exc: SchemaError) -> HttpResponse:
    stopped = upload_refusal(request)
    if stopped:  # the fields are missing because the upload limits stopped the body
        return refused(request, Refused(stopped, {"files": [stopped]}, status=413))
    return refused(request, schema_refusal(exc.errors))


@api.exception_handler(TooManyFilesSent)
def too_many_files(request: HttpRequest, exc: TooManyFilesSent) -> HttpResponse:
    most = settings.DATA_UPLOAD_MAX_NUMBER_FILES
    message = f"一次最多上传{most}个文件，本次的文件超过了上限。请分批上传。"
    return refused(request, Refused(message, {"files": [message]}, status=413))


@api.exception_handler(RequestDataTooBig)
def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    message = "请求内容过大。文件请以 multipart 上传到接收文件的接口，其他内容请精简后再提交。"
    return refused(request, Refused(message, status=413))


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    detail = str(exc)
    if exc.status_code == 400 and detail.startswith("Cannot parse request body"):
        detail = "请求内容无法读取，请以 JSON（或表单）提交。"
    return api.create_response(request, {"detail": detail, "errors": {}}, status=exc.status_code)


from wenming.activities.api import router as activities_router  # noqa: E402
from wenming.activities.nominations_api import router as nominations_router  # noqa: E402
from wenming.activities.study_api import router as study_router  # noqa: E402
from wenming.applications.api import router as applications_router  # noqa: E402
from wenming.campaigns.api import router as campaigns_router  # noqa: E402
from wenming.dashboards.api import router as dashboards_router  # noqa: E402
from wenming.frameworks.api import router as frameworks_router  # noqa: E402
from wenming.ledger.api import router as ledger_router  # noqa: E402
from wenming.notifications.api import router as notifications_router  # noqa: E402
from wenming.orgs.api import router as orgs_router  # noqa: E402
from wenming.oversight.api import router as oversight_router  # noqa: E402
from wenming.rechecks.api import router as rechecks_router  # noqa: E402
from wenming.registry.api import negative_router, revocation_router  # noqa: E402
from wenming.registry.api import router as registry_router  # noqa: E402
from wenming.scoring.api import router as scoring_router  # noqa: E402
from wenming.supervision.bulletin_api import router as city_bulletins_router  # noqa: E402
from wenming.supervision.directive_api import router as directives_router  # noqa: E402
from wenming.supervision.problem_api import router as city_problems_router  # noqa: E402
from wenming.tasks.api import router as tasks_router  # noqa: E402
from wenming.tasks.reports.api import router as reports_router  # noqa: E402
from wenming.tasks.subtask_api import router as subtasks_router  # noqa: E402
from wenming.trace.api import router as trace_router  # noqa: E402

api.add_router("/orgs", orgs_router)
api.add_router("/frameworks", frameworks_router)
api.add_router("/campaigns", campaigns_router)
api.add_router("/tasks", tasks_router)
api.add_router("/subtasks", subtasks_router)
api.add_router("/reports", reports_router)
api.add_router("/evidence", ledger_router)
api.add_router("/scoring", scoring_router)
api.add_router("/oversight", oversight_router)
api.add_router("/activities", activities_router)
api.add_router("/nominations", nominations_router)
api.add_router("/study", study_router)
api.add_router("/trace", trace_router)
api.add_router("/notifications", notifications_router)
api.add_router("/dashboards", dashboards_router)
api.add_router("/registry", registry_router)
api.add_router("/revocations", revocation_router)
api.add_router("/negative-events", negative_router)
api.add_router("/applications", applications_router)
api.add_router("/rechecks", rechecks_router)
api.add_router("/supervision", city_problems_router)
api.add_router("/supervision", city_bulletins_router)
api.add_router("/supervision", directives_router)
