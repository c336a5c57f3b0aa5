"""API routes for the organization tree, its people, leading groups and working groups.

The same rules as the `/orgs/` screens: objects through `wenming.orgs.access` (404 for what
the user cannot see, 403 for what they see but may not change), input checked by the
screens' own forms (`wenming.orgs.forms`, their Chinese messages by field), writes through
`wenming.orgs.services`. A unit's 创建办 manages its unit and departments; an office admin
everything below the office.
"""

from __future__ import annotations

from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from wenming.core.api_input import (
    ErrorOut,
    Input,
    cleaned,
    column_length,
    field_names,
    refused,
    user_of,
)
from wenming.orgs import access, services
from wenming.orgs.forms import (
    AddPersonForm,
    LeadingGroupMemberForm,
    MembershipForm,
    OrgCreateForm,
    OrgEditForm,
    WorkingGroupForm,
)
from wenming.orgs.models import (
    LeadingGroupMember,
    LeadingGroupPosition,
    Membership,
    Organization,
    OrgKind,
    WorkingGroup,
)

router = Router(tags=["组织机构"])
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


# --- shapes ------------------------------------------------------------------------------


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


class LeadingGroupMemberOut(Schema):
    id: int
    user_id: int
    name: str
    position: str
    position_label: str
    duty: str
    department_ids: list[int] = Field([], description="分管部门")
    department_names: list[str] = []
    is_active: bool


class WorkingGroupOut(Schema):
    id: int
    name: str
    duties: str
    leader_id: int | None
    member_ids: list[int]
    is_active: bool


class OrgDetailOut(OrgOut):
    memberships: list[MembershipOut]
    campaign_office_host_id: int | None = None
    leading_group: list[LeadingGroupMemberOut] = []
    working_groups: list[WorkingGroupOut] = []


class MeOut(Schema):
    username: str
    name: str
    memberships: list[MembershipOut]
    organizations: list[OrgOut]


class PersonOut(Schema):
    membership: MembershipOut
    password: str | None = Field(
        None, description="系统生成的初始密码，只在这里出现一次；自己填写了密码时为 null"
    )


class OrgIn(Input):
    kind: str = Field(
        max_length=column_length(Organization, "kind"),
        description="office（下级文明办）、unit（单位）或 department（部门）",
    )
    name: str = Field(max_length=column_length(Organization, "name"))
    short_name: str = Field("", max_length=column_length(Organization, "short_name"))
    code: str = Field("", max_length=column_length(Organization, "code"))
    level: str = Field("", max_length=column_length(Organization, "level"))
    unit_category: str = Field("", max_length=column_length(Organization, "unit_category"))
    department_type: str = Field("", max_length=column_length(Organization, "department_type"))
    sort_order: int | None = None


class OrgPatch(Input):
    name: str | None = Field(None, max_length=column_length(Organization, "name"))
    short_name: str | None = Field(None, max_length=column_length(Organization, "short_name"))
    code: str | None = Field(None, max_length=column_length(Organization, "code"))
    level: str | None = Field(None, max_length=column_length(Organization, "level"))
    unit_category: str | None = Field(None, max_length=column_length(Organization, "unit_category"))
    department_type: str | None = Field(
        None, max_length=column_length(Organization, "department_type")
    )
    sort_order: int | None = None


class OfficeHostIn(Input):
    department_id: int | None = Field(None, description="创建办所在部门；不填则清除")


class PersonIn(Input):
    mode: Literal["new", "existing"] = Field(
        "new", description="new 新建账号；existing 把已有账号加入本组织"
    )
    username: str = Field(max_length=150)
    full_name: str = Field("", max_length=150, description="新建账号时必填")
    password: str = Field("", max_length=128, description="不填则由系统生成（只返回一次）")
    role: str = Field(max_length=column_length(Membership, "role"))
    title: str = Field("", max_length=column_length(Membership, "title"))
    phone: str = Field("", max_length=column_length(Membership, "phone"))


class MembershipPatch(Input):
    role: str | None = Field(None, max_length=column_length(Membership, "role"))
    title: str | None = Field(None, max_length=column_length(Membership, "title"))
    phone: str | None = Field(None, max_length=column_length(Membership, "phone"))


class LeadingGroupMemberIn(Input):
    user_id: int
    position: str = Field(
        LeadingGroupPosition.MEMBER,
        max_length=column_length(LeadingGroupMember, "position"),
        description="head（组长）、deputy（副组长）或 member（成员）",
    )
    duty: str = Field("", max_length=column_length(LeadingGroupMember, "duty"))
    department_ids: list[int] = Field(
        [], description="分管部门：本单位的在用部门；这些部门的工作逾期时提醒也发给该成员"
    )


class LeadingGroupMemberPatch(Input):
    duty: str | None = Field(None, max_length=column_length(LeadingGroupMember, "duty"))
    department_ids: list[int] | None = Field(None, description="分管部门；给出即整体替换")


class WorkingGroupIn(Input):
    name: str = Field(max_length=column_length(WorkingGroup, "name"))
    duties: str = ""
    leader_id: int | None = None
    member_ids: list[int] = []


class WorkingGroupPatch(Input):
    name: str | None = Field(None, max_length=column_length(WorkingGroup, "name"))
    duties: str | None = None
    leader_id: int | None = None
    member_ids: list[int] | None = None


# --- serializing ---------------------------------------------------------------------------


def _org_out(org: Organization) -> OrgOut:
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


def _member_out(member: LeadingGroupMember) -> LeadingGroupMemberOut:
    return LeadingGroupMemberOut(
        id=member.pk,
        user_id=member.user_id,
        name=services.display_name(member.user),
        position=member.position,
        position_label=member.get_position_display(),
        duty=member.duty,
        department_ids=[d.pk for d in member.departments.all()],
        department_names=[d.name for d in member.departments.all()],
        is_active=member.is_active,
    )


def _duty_departments(ids: list[int]) -> list[Organization]:
    """Departments by id; whether they are the unit's own is the service's rule."""
    found = list(Organization.objects.filter(pk__in=set(ids), kind=OrgKind.DEPARTMENT))
    if len(found) != len(set(ids)):
        raise refused("department_ids", "分管部门不存在，请重新选择。")
    return found


def _group_out(group: WorkingGroup) -> WorkingGroupOut:
    return WorkingGroupOut(
        id=group.pk,
        name=group.name,
        duties=group.duties,
        leader_id=group.leader_id,
        member_ids=sorted(m.pk for m in group.members.all()),
        is_active=group.is_active,
    )


def _unit_of(request: HttpRequest, org_id: int) -> Organization:
    unit = access.get_org_for_user(request.user, org_id, write=True)
    if unit.kind != OrgKind.UNIT:
        raise Http404("只有单位才有创建办、领导小组和工作组。")
    return unit


# --- reading -------------------------------------------------------------------------------


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


def _detail(org: Organization) -> OrgDetailOut:
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
        campaign_office_host_id=org.campaign_office_host_id,
    )
    if org.kind == OrgKind.UNIT:
        leading = (
            LeadingGroupMember.objects.filter(unit=org, is_active=True)
            .select_related("user")
            .prefetch_related("departments")
        )
        groups = WorkingGroup.objects.filter(unit=org, is_active=True).prefetch_related("members")
        out.leading_group = [_member_out(m) for m in leading.order_by("sort_order", "id")]
        out.working_groups = [_group_out(g) for g in groups.order_by("id")]
    return out


@router.get("/{org_id}", response=OrgDetailOut, summary="组织详情、人员、领导小组和工作组")
def org_detail(request: HttpRequest, org_id: int) -> OrgDetailOut:
    return _detail(access.get_org_for_user(request.user, org_id))


# --- organizations -------------------------------------------------------------------------
# Routes with a fixed first segment come before "/{org_id}/..." so that they are not read as
# an organization's address.


@router.post(
    "/{int:org_id}/children",
    response={201: OrgOut, **ERRORS},
    summary="新建下级组织（下级文明办、单位或部门）",
)
def org_create(request: HttpRequest, org_id: int, payload: OrgIn) -> Any:
    # An inactive parent is refused by `services.org_create`, in the screens' words.
    parent = access.get_org_for_user(request.user, org_id, write=True)
    form = OrgCreateForm(payload.dict(), parent=parent, kind=payload.kind)
    data = cleaned(form)
    org = services.org_create(parent=parent, kind=data["kind"], **form.service_kwargs())
    return Status(201, _org_out(org))


@router.patch("/{org_id}", response={200: OrgDetailOut, **ERRORS}, summary="修改组织信息")
def org_update(request: HttpRequest, org_id: int, payload: OrgPatch) -> Any:
    org = access.get_org_for_user(request.user, org_id, write=True)
    current = {
        "name": org.name,
        "short_name": org.short_name,
        "code": org.code or "",
        "level": org.level,
        "unit_category": org.unit_category,
        "department_type": org.department_type,
        "sort_order": org.sort_order,
    }
    form = OrgEditForm({**current, **payload.dict(exclude_unset=True)}, kind=org.kind)
    cleaned(form)
    services.org_update(org=org, **form.service_kwargs())
    return _detail(access.get_org_for_user(request.user, org.pk))


@router.post(
    "/{int:org_id}/deactivate",
    response={200: OrgDetailOut, **ERRORS},
    summary="停用组织（须先停用其下级组织、结束其人员的任职）",
)
def org_deactivate(request: HttpRequest, org_id: int) -> Any:
    org = access.get_org_for_status_change(request.user, org_id)
    services.org_deactivate(org=org)
    return _detail(access.get_org_for_user(request.user, org.pk))


@router.post(
    "/{int:org_id}/reactivate", response={200: OrgDetailOut, **ERRORS}, summary="重新启用组织"
)
def org_reactivate(request: HttpRequest, org_id: int) -> Any:
    org = access.get_org_for_status_change(request.user, org_id)
    services.org_reactivate(org=org)
    return _detail(access.get_org_for_user(request.user, org.pk))


@router.post(
    "/{int:org_id}/office-host",
    response={200: OrgDetailOut, **ERRORS},
    summary="设置单位的创建办所在部门",
)
def org_set_office_host(request: HttpRequest, org_id: int, payload: OfficeHostIn) -> Any:
    unit = _unit_of(request, org_id)
    department = None
    if payload.department_id is not None:
        department = Organization.objects.filter(pk=payload.department_id).first()
        if department is None:
            raise refused("department_id", "没有找到所选部门，请重新选择创建办所在部门。")
    services.unit_set_office_host(unit=unit, department=department)
    return _detail(access.get_org_for_user(request.user, unit.pk))


# --- people --------------------------------------------------------------------------------


@router.post(
    "/{int:org_id}/people",
    response={201: PersonOut, **ERRORS},
    summary="添加人员（新建账号并任职，或把已有账号加入本组织）",
)
def person_add(request: HttpRequest, org_id: int, payload: PersonIn) -> Any:
    # An inactive organization is refused by the services, in the screens' words.
    org = access.get_org_for_user(request.user, org_id, write=True)
    data = cleaned(AddPersonForm(payload.dict(), org=org))
    role = {"role": data["role"], "title": data["title"], "phone": data["phone"]}
    if data["mode"] == AddPersonForm.NEW:
        created = services.person_create(
            org=org,
            username=data["username"],
            full_name=data["full_name"],
            password=data["password"],
            **role,
        )
        return Status(
            201,
            PersonOut(
                membership=_membership_out(created.membership),
                password=created.generated_password,
            ),
        )
    person = services.user_by_username(data["username"])
    if person is None:
        raise refused(
            "username",
            f"没有找到用户名为“{data['username'].strip()}”的账号。请核对用户名，或选择新建账号（mode=new）。",
        )
    membership = services.membership_create(org=org, user=person, **role)
    return Status(201, PersonOut(membership=_membership_out(membership), password=None))


@router.patch(
    "/memberships/{int:membership_id}",
    response={200: MembershipOut, **ERRORS},
    summary="修改任职（角色、职务、联系电话）",
)
def membership_update(request: HttpRequest, membership_id: int, payload: MembershipPatch) -> Any:
    membership = access.get_membership_for_user(request.user, membership_id, write=True)
    current = {"role": membership.role, "title": membership.title, "phone": membership.phone}
    form = MembershipForm(
        {**current, **payload.dict(exclude_unset=True)}, org=membership.organization
    )
    data = cleaned(form)
    services.membership_update(membership=membership, actor=user_of(request), **data)
    membership.refresh_from_db()
    return _membership_out(membership)


@router.post(
    "/memberships/{int:membership_id}/end",
    response={200: MembershipOut, **ERRORS},
    summary="结束任职（记录仍然保留）",
)
def membership_end(request: HttpRequest, membership_id: int) -> Any:
    membership = access.get_membership_for_user(request.user, membership_id, write=True)
    services.membership_end(membership=membership, actor=user_of(request))
    return _membership_out(membership)


# --- leading group and working groups --------------------------------------------------------


@router.post(
    "/{int:org_id}/leading-group",
    response={201: LeadingGroupMemberOut, **ERRORS},
    summary="添加领导小组成员",
)
def leading_group_add(request: HttpRequest, org_id: int, payload: LeadingGroupMemberIn) -> Any:
    unit = _unit_of(request, org_id)
    form = LeadingGroupMemberForm(
        {"user": payload.user_id, "position": payload.position, "duty": payload.duty},
        people=services.unit_people(unit),
    )
    data = cleaned(form, {"user": "user_id"})
    data["departments"] = _duty_departments(payload.department_ids)
    with field_names({"departments": "department_ids"}):
        member = services.leading_group_member_add(unit=unit, **data)
    return Status(201, _member_out(member))


@router.patch(
    "/leading-group/{int:member_id}",
    response={200: LeadingGroupMemberOut, **ERRORS},
    summary="修改领导小组成员的职务分工和分管部门",
)
def leading_group_update(
    request: HttpRequest, member_id: int, payload: LeadingGroupMemberPatch
) -> Any:
    member = access.get_leading_group_member_for_user(request.user, member_id, write=True)
    departments = (
        None if payload.department_ids is None else _duty_departments(payload.department_ids)
    )
    with field_names({"departments": "department_ids"}):
        member = services.leading_group_member_update(
            member=member, duty=payload.duty, departments=departments
        )
    return _member_out(member)


@router.post(
    "/leading-group/{int:member_id}/remove",
    response={200: LeadingGroupMemberOut, **ERRORS},
    summary="移出领导小组",
)
def leading_group_remove(request: HttpRequest, member_id: int) -> Any:
    member = access.get_leading_group_member_for_user(request.user, member_id, write=True)
    return _member_out(services.leading_group_member_remove(member=member))


WORKING_GROUP_FIELDS = {"leader": "leader_id", "members": "member_ids"}


def _group_form(unit: Organization, values: dict[str, Any], group: WorkingGroup | None) -> Any:
    form = WorkingGroupForm(
        {
            "name": values.get("name") or "",
            "duties": values.get("duties") or "",
            "leader": values.get("leader_id") or "",
            "members": values.get("member_ids") or [],
        },
        people=services.unit_people(unit),
        group=group,
    )
    return cleaned(form, WORKING_GROUP_FIELDS)


@router.post(
    "/{int:org_id}/working-groups",
    response={201: WorkingGroupOut, **ERRORS},
    summary="新建工作组",
)
def working_group_create(request: HttpRequest, org_id: int, payload: WorkingGroupIn) -> Any:
    unit = _unit_of(request, org_id)
    data = _group_form(unit, payload.dict(), None)
    group = services.working_group_create(unit=unit, **data)
    return Status(201, _group_out(group))


@router.patch(
    "/working-groups/{int:group_id}",
    response={200: WorkingGroupOut, **ERRORS},
    summary="修改工作组",
)
def working_group_update(request: HttpRequest, group_id: int, payload: WorkingGroupPatch) -> Any:
    group = access.get_working_group_for_user(request.user, group_id, write=True)
    if not group.is_active:
        raise ValidationError(f"工作组“{group.name}”已停用，不能修改。")
    current = {
        "name": group.name,
        "duties": group.duties,
        "leader_id": group.leader_id,
        "member_ids": list(group.members.values_list("pk", flat=True)),
    }
    data = _group_form(group.unit, {**current, **payload.dict(exclude_unset=True)}, group)
    return _group_out(services.working_group_update(group=group, **data))


@router.post(
    "/working-groups/{int:group_id}/deactivate",
    response={200: WorkingGroupOut, **ERRORS},
    summary="停用工作组（记录仍然保留）",
)
def working_group_deactivate(request: HttpRequest, group_id: int) -> Any:
    group = access.get_working_group_for_user(request.user, group_id, write=True)
    return _group_out(services.working_group_deactivate(group=group))
