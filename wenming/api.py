"""The JSON API under /api/v1/: token or session authentication, routers per app."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.security import HttpBearer, SessionAuth

from wenming.orgs.models import ApiToken


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = ApiToken.authenticate(token)
        if found is None:
            return None
        request.user = found.user
        return found.user


api = NinjaAPI(
    title="文明创建管理平台 API",
    version="1",
    description="组织机构与测评体系接口。认证：`Authorization: Bearer <令牌>`（用 `wenming create_token 用户名` 签发），或已登录的浏览器会话。",
    auth=[BearerToken(), SessionAuth()],
    urls_namespace="api",
)

from wenming.frameworks.api import router as frameworks_router  # noqa: E402
from wenming.orgs.api import router as orgs_router  # noqa: E402

api.add_router("/orgs", orgs_router)
api.add_router("/frameworks", frameworks_router)
