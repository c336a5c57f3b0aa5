"""API routes for the organization tree, through the access module."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from wenming.orgs import access
from wenming.orgs.models import Membership

router = Router(tags=["组织机构"])


class OrgOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    short_name: str
    code: str | None
    parent_id: int | None
    is_active: bool
    children: list[OrgOut] = []


class MembershipOut(Schema):
    id: int
    user_id: int
    username: str
    name: str
    role: str
    role_label: str
    title: str


class OrgDetailOut(OrgOut):
    memberships: list[MembershipOut]


class MeOut(Schema):
    username: str
    name: str
    memberships: list[MembershipOut]
    organizations: list[OrgOut]


def _org_out(org) -> OrgOut:
    return OrgOut(
        id=org.pk,
        kind=org.kind,
        kind_label=org.get_kind_display(),
        name=org.name,
        short_name=org.short_name,
        code=org.code,
        parent_id=org.parent_id,
        is_active=org.is_active,
        children=[],
    )


def _membership_out(m: Membership) -> MembershipOut:
    return MembershipOut(
        id=m.pk,
        user_id=m.user_id,
        username=m.user.username,
        name=m.user.get_full_name() or m.user.username,
        role=m.role,
        role_label=m.get_role_display(),
        title=m.title,
    )


@router.get("/tree", response=list[OrgOut], summary="可见的组织机构树")
def org_tree(request: HttpRequest) -> list[OrgOut]:
    orgs = list(access.visible_orgs(request.user).order_by("path"))
    nodes = {org.pk: _org_out(org) for org in orgs}
    roots: list[OrgOut] = []
    for org in orgs:
        node = nodes[org.pk]
        parent = nodes.get(org.parent_id) if org.parent_id else None
        (parent.children if parent else roots).append(node)
    for node in nodes.values():
        node.children.sort(key=lambda n: n.name)
    return roots


@router.get("/me", response=MeOut, summary="当前用户的任职")
def me(request: HttpRequest) -> MeOut:
    scope = access.scope_for(request.user)
    user = request.user
    memberships = [m for m in scope.memberships]
    for m in memberships:
        m.user = user  # type: ignore[assignment]
    return MeOut(
        username=user.get_username(),
        name=user.get_full_name() or user.get_username(),  # type: ignore[union-attr]
        memberships=[_membership_out(m) for m in memberships],
        organizations=[_org_out(o) for o in scope.home_orgs],
    )


@router.get("/{org_id}", response=OrgDetailOut, summary="组织详情及人员")
def org_detail(request: HttpRequest, org_id: int) -> OrgDetailOut:
    org = access.get_org_for_user(request.user, org_id)
    memberships = (
        Membership.objects.filter(organization=org, is_active=True)
        .select_related("user")
        .order_by("id")
    )
    children = org.children.order_by("sort_order", "name")
    out = OrgDetailOut(
        **_org_out(org).dict(exclude={"children"}),
        children=[_org_out(c) for c in children],
        memberships=[_membership_out(m) for m in memberships],
    )
    return out
