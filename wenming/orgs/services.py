"""Writes to the organization tree: organizations, people, leading groups, working groups.

Every function takes keyword-only arguments, runs in one transaction and raises
`ValidationError` with a Chinese sentence (or a dict of them keyed by form field) when the
input cannot be used; nothing is changed then. Who may call them is decided by the views
through `wenming.orgs.access`. Nothing is ever hard-deleted: organizations, memberships,
leading-group members and working groups are deactivated.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import password_validation
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from wenming.orgs.models import (
    ALLOWED_PARENTS,
    ROLE_ORG_KINDS,
    DepartmentType,
    LeadingGroupMember,
    LeadingGroupPosition,
    Membership,
    Organization,
    OrgKind,
    OrgLevel,
    Role,
    WorkingGroup,
)

MANAGING_ROLES = {Role.OFFICE_ADMIN, Role.COORDINATOR}
PHONE_RE = re.compile(r"^[0-9+\-() ]{3,30}$")
# No 0/O, 1/l/I: the password is read aloud or copied from a message.
PASSWORD_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789"


# --- reading helpers used by views and forms ---------------------------------------------


def allowed_child_kinds(parent: Organization) -> list[str]:
    """Kinds that may be created under `parent`, in display order."""
    return [kind for kind in OrgKind.values if parent.kind in ALLOWED_PARENTS[kind]]


def allowed_roles(org: Organization) -> list[str]:
    """Roles that may be held in `org`, in display order."""
    return [role for role in Role.values if org.kind in ROLE_ORG_KINDS[role]]


def unit_people(unit: Organization) -> QuerySet[User]:
    """People holding an active role in the unit or one of its departments."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__organization__is_active=True,
            memberships__organization__path__startswith=unit.path,
        )
        .distinct()
        .order_by("first_name", "username")
    )


def user_by_username(username: str) -> User | None:
    """An active account by its user name (exact first, then ignoring case)."""
    username = (username or "").strip()
    if not username:
        return None
    people = User.objects.filter(is_active=True)
    return (
        people.filter(username=username).first() or people.filter(username__iexact=username).first()
    )


def display_name(user: User) -> str:
    return user.get_full_name() or user.username


# --- organizations -------------------------------------------------------------------------


def _clean_org_fields(
    *,
    kind: str,
    name: str,
    short_name: str,
    code: str,
    level: str,
    unit_category: str,
    department_type: str,
) -> dict[str, str | None]:
    """Trim values, drop those that do not apply to the kind, check the choices."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写组织名称。"})
    level = (level or "").strip() if kind in (OrgKind.OFFICE, OrgKind.UNIT) else ""
    if level and level not in OrgLevel.values:
        raise ValidationError({"level": "请从列表中选择级别。"})
    department_type = (department_type or "").strip() if kind == OrgKind.DEPARTMENT else ""
    if department_type and department_type not in DepartmentType.values:
        raise ValidationError({"department_type": "请从列表中选择部门类型。"})
    return {
        "name": name,
        "short_name": (short_name or "").strip(),
        "code": (code or "").strip() or None,
        "level": level,
        "unit_category": (unit_category or "").strip() if kind == OrgKind.UNIT else "",
        "department_type": department_type,
    }


def _check_org_unique(
    *, parent: Organization | None, name: str, code: str | None, exclude_pk: int | None
) -> None:
    siblings = Organization.objects.filter(parent=parent, name=name)
    if exclude_pk is not None:
        siblings = siblings.exclude(pk=exclude_pk)
    clash = siblings.first()
    if clash is not None:
        where = f"“{parent.name}”下" if parent else "最上级"
        if clash.is_active:
            raise ValidationError({"name": f"{where}已有名为“{name}”的组织，请换一个名称。"})
        raise ValidationError(
            {
                "name": f"{where}已有名为“{name}”的组织（已停用）。"
                "可以在该组织页面重新启用它，或换一个名称。"
            }
        )
    if code:
        others = Organization.objects.filter(code=code)
        if exclude_pk is not None:
            others = others.exclude(pk=exclude_pk)
        owner = others.first()
        if owner is not None:
            raise ValidationError(
                {"code": f"编码“{code}”已被“{owner.name}”使用，每个组织的编码不能重复。"}
            )


def org_create(
    *,
    parent: Organization,
    kind: str,
    name: str,
    short_name: str = "",
    code: str = "",
    level: str = "",
    unit_category: str = "",
    department_type: str = "",
    sort_order: int = 0,
) -> Organization:
    """Create an office, unit or department under `parent`."""
    with transaction.atomic():
        parent = Organization.objects.select_for_update().get(pk=parent.pk)
        if not parent.is_active:
            raise ValidationError(f"“{parent.name}”已停用，不能在其下新建组织。请先启用它。")
        if kind not in allowed_child_kinds(parent):
            allowed = "、".join(OrgKind(k).label for k in allowed_child_kinds(parent)) or "任何组织"
            raise ValidationError(
                {"kind": f"{parent.get_kind_display()}下只能新建{allowed}，请重新选择类型。"}
            )
        fields = _clean_org_fields(
            kind=kind,
            name=name,
            short_name=short_name,
            code=code,
            level=level,
            unit_category=unit_category,
            department_type=department_type,
        )
        _check_org_unique(
            parent=parent, name=str(fields["name"]), code=fields["code"], exclude_pk=None
        )
        try:
            with transaction.atomic():
                return Organization.objects.create(
                    parent=parent, kind=kind, sort_order=sort_order or 0, **fields
                )
        except IntegrityError as exc:  # a concurrent create won the race
            raise ValidationError("名称或编码刚被其他人使用，请换一个后再保存。") from exc


def org_update(
    *,
    org: Organization,
    name: str,
    short_name: str = "",
    code: str = "",
    level: str = "",
    unit_category: str = "",
    department_type: str = "",
    sort_order: int = 0,
) -> Organization:
    """Change an organization's descriptive fields (not its kind or place)."""
    with transaction.atomic():
        org = (
            Organization.objects.select_for_update(of=("self",))
            .select_related("parent")
            .get(pk=org.pk)
        )
        fields = _clean_org_fields(
            kind=org.kind,
            name=name,
            short_name=short_name,
            code=code,
            level=level,
            unit_category=unit_category,
            department_type=department_type,
        )
        _check_org_unique(
            parent=org.parent, name=str(fields["name"]), code=fields["code"], exclude_pk=org.pk
        )
        for key, value in fields.items():
            setattr(org, key, value)
        org.sort_order = sort_order or 0
        try:
            with transaction.atomic():
                org.save()
        except IntegrityError as exc:
            raise ValidationError("名称或编码刚被其他人使用，请换一个后再保存。") from exc
        return org


def _names(items: Iterable[str], limit: int = 5) -> str:
    items = list(items)
    shown = "、".join(items[:limit])
    return f"{shown}等{len(items)}个" if len(items) > limit else shown


def org_deactivate(*, org: Organization) -> Organization:
    """Switch an organization off. Refused while it still has active children or people."""
    with transaction.atomic():
        org = Organization.objects.select_for_update().get(pk=org.pk)
        if not org.is_active:
            raise ValidationError(f"“{org.name}”已经是停用状态。")
        children = list(
            org.children.filter(is_active=True)
            .order_by("sort_order", "name")
            .values_list("name", flat=True)
        )
        if children:
            raise ValidationError(
                f"“{org.name}”下还有启用中的下级组织：{_names(children)}。请先停用这些下级组织。"
            )
        people = list(
            Membership.objects.filter(organization=org, is_active=True)
            .select_related("user")
            .order_by("id")
        )
        if people:
            names = _names(f"{display_name(m.user)}（{m.get_role_display()}）" for m in people)
            raise ValidationError(f"“{org.name}”还有在职人员：{names}。请先结束这些人员的任职。")
        host_of = Organization.objects.filter(campaign_office_host=org, is_active=True).first()
        if host_of is not None:
            raise ValidationError(
                f"“{org.name}”是“{host_of.name}”创建办所在部门，请先在单位页面更换创建办所在部门。"
            )
        org.is_active = False
        org.save(update_fields=["is_active", "updated_at"])
        return org


def org_reactivate(*, org: Organization) -> Organization:
    with transaction.atomic():
        org = (
            Organization.objects.select_for_update(of=("self",))
            .select_related("parent")
            .get(pk=org.pk)
        )
        if org.is_active:
            raise ValidationError(f"“{org.name}”已经是启用状态。")
        if org.parent is not None and not org.parent.is_active:
            raise ValidationError(
                f"上级组织“{org.parent.name}”已停用，请先启用上级组织，再启用“{org.name}”。"
            )
        org.is_active = True
        org.save(update_fields=["is_active", "updated_at"])
        return org


def unit_set_office_host(*, unit: Organization, department: Organization | None) -> Organization:
    """Choose the department hosting the unit's 创建办 (None clears it)."""
    with transaction.atomic():
        unit = Organization.objects.select_for_update().get(pk=unit.pk)
        if unit.kind != OrgKind.UNIT:
            raise ValidationError("只有单位可以设置创建办所在部门。")
        if department is not None:
            department = Organization.objects.get(pk=department.pk)
            if (
                department.kind != OrgKind.DEPARTMENT
                or not department.path.startswith(unit.path)
                or department.pk == unit.pk
            ):
                raise ValidationError(f"创建办只能设在“{unit.name}”自己的部门。")
            if not department.is_active:
                raise ValidationError(f"“{department.name}”已停用，不能作为创建办所在部门。")
        unit.campaign_office_host = department
        unit.save(update_fields=["campaign_office_host", "updated_at"])
        return unit


# --- people ---------------------------------------------------------------------------------


PHONE_ERROR = "联系电话只能包含数字、空格、“-”和“+”，如 0571-88001234 或 13800000000。"


def phone_is_valid(phone: str) -> bool:
    phone = (phone or "").strip()
    return not phone or bool(PHONE_RE.match(phone))


def _clean_phone(phone: str) -> str:
    if not phone_is_valid(phone):
        raise ValidationError({"phone": PHONE_ERROR})
    return (phone or "").strip()


def _check_role(org: Organization, role: str) -> None:
    if role not in allowed_roles(org):
        allowed = "、".join(Role(r).label for r in allowed_roles(org))
        raise ValidationError(
            {"role": f"{org.get_kind_display()}中只能设置这些角色：{allowed}。请重新选择。"}
        )


def username_problems(username: str) -> list[str]:
    """Why `username` cannot be used for a new account (empty when it can)."""
    username = (username or "").strip()
    if not username:
        return ["请填写用户名（登录时使用，如 zhangsan）。"]
    for validator in User._meta.get_field("username").validators:
        try:
            validator(username)
        except ValidationError:
            return ["用户名只能包含字母、数字和 @ . + - _ 这些符号，不能有空格，最长150个字符。"]
    if User.objects.filter(username__iexact=username).exists():
        return [f"用户名“{username}”已被使用。请换一个，或选择“已有账号”把该账号加入本组织。"]
    return []


PASSWORD_MESSAGES = {
    "password_too_short": "密码太短，至少需要8个字符。",
    "password_too_common": "密码太常见，容易被猜到，请换一个。",
    "password_entirely_numeric": "密码不能全是数字，请加入字母。",
    "password_too_similar": "密码与用户名或姓名太相似，请换一个。",
}


def password_problems(password: str, user: User) -> list[str]:
    """The password validators' complaints, in Chinese."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        return [PASSWORD_MESSAGES.get(e.code or "", e.messages[0]) for e in exc.error_list]
    return []


def generate_password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(10))


def membership_create(
    *, org: Organization, user: User, role: str, title: str = "", phone: str = ""
) -> Membership:
    """Give an existing account a role in `org`."""
    with transaction.atomic():
        org = Organization.objects.select_for_update().get(pk=org.pk)
        if not org.is_active:
            raise ValidationError(f"“{org.name}”已停用，不能添加人员。")
        _check_role(org, role)
        phone = _clean_phone(phone)
        if not user.is_active:
            raise ValidationError({"username": f"账号“{user.username}”已被禁用，不能添加。"})
        if Membership.objects.filter(
            user=user, organization=org, role=role, is_active=True
        ).exists():
            raise ValidationError(
                {
                    "username": f"{display_name(user)}已经是“{org.name}”的{Role(role).label}，"
                    "无需重复添加。"
                }
            )
        return Membership.objects.create(
            user=user, organization=org, role=role, title=(title or "").strip(), phone=phone
        )


@dataclass(frozen=True)
class PersonCreated:
    membership: Membership
    # The password that was generated, to show once; None when the creator typed one.
    generated_password: str | None


def person_create(
    *,
    org: Organization,
    username: str,
    full_name: str,
    password: str = "",
    role: str,
    title: str = "",
    phone: str = "",
) -> PersonCreated:
    """Create a new account and give it a role in `org`."""
    username = (username or "").strip()
    full_name = (full_name or "").strip()
    errors: dict[str, list[str]] = {}
    problems = username_problems(username)
    if problems:
        errors["username"] = problems
    if not full_name:
        errors.setdefault("full_name", []).append("请填写姓名。")
    try:
        _clean_phone(phone)
    except ValidationError as exc:
        errors.setdefault("phone", []).extend(exc.messages)
    generated = None
    if password:
        problems = password_problems(password, User(username=username, first_name=full_name))
        if problems:
            errors.setdefault("password", []).extend(problems)
    else:
        generated = password = generate_password()
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    username=username, password=password, first_name=full_name[:150]
                )
        except IntegrityError as exc:
            raise ValidationError({"username": f"用户名“{username}”已被使用，请换一个。"}) from exc
        membership = membership_create(org=org, user=user, role=role, title=title, phone=phone)
    return PersonCreated(membership=membership, generated_password=generated)


def _other_managing_memberships(membership: Membership) -> QuerySet[Membership]:
    return Membership.objects.filter(
        user_id=membership.user_id,
        is_active=True,
        organization__is_active=True,
        role__in=MANAGING_ROLES,
    ).exclude(pk=membership.pk)


def _check_not_last_managing(membership: Membership, actor: User, doing: str) -> None:
    if (
        membership.user_id == actor.pk
        and membership.role in MANAGING_ROLES
        and not actor.is_superuser
        and not _other_managing_memberships(membership).exists()
    ):
        raise ValidationError(
            f"这是您唯一的管理角色（{membership.get_role_display()}），{doing}后您将无法再管理。"
            "请让其他管理员操作。"
        )


def membership_update(
    *, membership: Membership, actor: User, role: str, title: str = "", phone: str = ""
) -> Membership:
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update(of=("self",))
            .select_related("organization", "user")
            .get(pk=membership.pk)
        )
        if not membership.is_active:
            raise ValidationError("该任职已结束，不能修改。如需恢复，请重新添加该人员。")
        org = membership.organization
        _check_role(org, role)
        phone = _clean_phone(phone)
        if role != membership.role:
            if role not in MANAGING_ROLES:
                _check_not_last_managing(membership, actor, "改为其他角色")
            if (
                Membership.objects.filter(
                    user_id=membership.user_id, organization=org, role=role, is_active=True
                )
                .exclude(pk=membership.pk)
                .exists()
            ):
                raise ValidationError(
                    {
                        "role": f"{display_name(membership.user)}在“{org.name}”已经是"
                        f"{Role(role).label}，请选择其他角色。"
                    }
                )
        membership.role = role
        membership.title = (title or "").strip()
        membership.phone = phone
        membership.save(update_fields=["role", "title", "phone"])
        return membership


def membership_end(*, membership: Membership, actor: User) -> Membership:
    """End a role (the record stays, marked as ended now)."""
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update(of=("self",))
            .select_related("organization", "user")
            .get(pk=membership.pk)
        )
        if not membership.is_active:
            raise ValidationError("该任职已经结束。")
        _check_not_last_managing(membership, actor, "结束任职")
        membership.is_active = False
        membership.ended_at = timezone.now()
        membership.save(update_fields=["is_active", "ended_at"])
        return membership


# --- leading group and working groups --------------------------------------------------------


def _check_unit(unit: Organization) -> None:
    if unit.kind != OrgKind.UNIT:
        raise ValidationError("领导小组和工作组只能在单位中设置。")
    if not unit.is_active:
        raise ValidationError(f"“{unit.name}”已停用，不能修改。")


def _check_unit_person(unit: Organization, user: User | None, field: str) -> None:
    if user is not None and not unit_people(unit).filter(pk=user.pk).exists():
        raise ValidationError(
            {
                field: f"{display_name(user)}不是“{unit.name}”或其部门的在职人员，请先把他添加到本单位。"
            }
        )


def _check_duty_departments(
    unit: Organization, departments: Iterable[Organization]
) -> list[Organization]:
    """分管部门: active departments of the member's own unit, each once."""
    chosen = list({d.pk: d for d in departments}.values())
    allowed = set(unit.active_departments().values_list("pk", flat=True))
    foreign = [d for d in chosen if d.pk not in allowed]
    if foreign:
        names = "、".join(d.name for d in foreign)
        raise ValidationError(
            {
                "departments": f"“{names}”不是“{unit.name}”的在用部门，分管部门只能从本单位的部门中选择。"
            }
        )
    return chosen


def leading_group_member_add(
    *,
    unit: Organization,
    user: User,
    position: str,
    duty: str = "",
    departments: Iterable[Organization] = (),
    sort_order: int | None = None,
) -> LeadingGroupMember:
    with transaction.atomic():
        # Lock the unit so two people adding a 组长 at once cannot both succeed.
        unit = Organization.objects.select_for_update().get(pk=unit.pk)
        _check_unit(unit)
        if position not in LeadingGroupPosition.values:
            raise ValidationError({"position": "请选择职位：组长、副组长或成员。"})
        _check_unit_person(unit, user, "user")
        active = LeadingGroupMember.objects.filter(unit=unit, is_active=True)
        if active.filter(user=user).exists():
            raise ValidationError({"user": f"{display_name(user)}已经在领导小组中。"})
        if position == LeadingGroupPosition.HEAD:
            head = active.filter(position=LeadingGroupPosition.HEAD).select_related("user").first()
            if head is not None:
                raise ValidationError(
                    {
                        "position": f"领导小组已有组长（{display_name(head.user)}），只能有一位组长。"
                        "如需更换，请先移除现任组长。"
                    }
                )
        chosen = _check_duty_departments(unit, departments)
        if sort_order is None:
            last = active.order_by("-sort_order").values_list("sort_order", flat=True).first()
            sort_order = (last or 0) + 1
        member = LeadingGroupMember.objects.create(
            unit=unit,
            user=user,
            position=position,
            duty=(duty or "").strip(),
            sort_order=sort_order,
        )
        if chosen:
            member.departments.set(chosen)
        return member


def leading_group_member_update(
    *,
    member: LeadingGroupMember,
    duty: str | None = None,
    departments: Iterable[Organization] | None = None,
) -> LeadingGroupMember:
    """Change a member's 职务/分工 and 分管部门 (the departments whose overdue work reaches
    them); None leaves a value as it is."""
    with transaction.atomic():
        unit = Organization.objects.select_for_update().get(pk=member.unit_id)
        _check_unit(unit)
        member = LeadingGroupMember.objects.select_for_update().get(pk=member.pk)
        if not member.is_active:
            raise ValidationError("该成员已经移出领导小组，不能再修改。")
        if departments is not None:
            member.departments.set(_check_duty_departments(unit, departments))
        if duty is not None and duty.strip() != member.duty:
            member.duty = duty.strip()
            member.save(update_fields=["duty"])
        return member


def leading_group_member_remove(*, member: LeadingGroupMember) -> LeadingGroupMember:
    with transaction.atomic():
        member = LeadingGroupMember.objects.select_for_update().get(pk=member.pk)
        if not member.is_active:
            raise ValidationError("该成员已经移出领导小组。")
        member.is_active = False
        member.save(update_fields=["is_active"])
        return member


def _clean_working_group(
    *,
    unit: Organization,
    name: str,
    leader: User | None,
    members: Iterable[User],
    exclude_pk: int | None,
) -> tuple[str, list[User]]:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写工作组名称，如 综合组、材料组。"})
    clash = WorkingGroup.objects.filter(unit=unit, name=name, is_active=True)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"name": f"本单位已有名为“{name}”的工作组，请换一个名称。"})
    members = list(members)
    _check_unit_person(unit, leader, "leader")
    people = set(
        unit_people(unit).filter(pk__in=[m.pk for m in members]).values_list("pk", flat=True)
    )
    strangers = [display_name(m) for m in members if m.pk not in people]
    if strangers:
        raise ValidationError(
            {
                "members": f"{_names(strangers)}不是本单位或其部门的在职人员，请先把他们添加到本单位。"
            }
        )
    return name, members


def working_group_create(
    *,
    unit: Organization,
    name: str,
    duties: str = "",
    leader: User | None = None,
    members: Iterable[User] = (),
) -> WorkingGroup:
    with transaction.atomic():
        unit = Organization.objects.select_for_update().get(pk=unit.pk)
        _check_unit(unit)
        name, member_list = _clean_working_group(
            unit=unit, name=name, leader=leader, members=members, exclude_pk=None
        )
        group = WorkingGroup.objects.create(
            unit=unit, name=name, duties=(duties or "").strip(), leader=leader
        )
        group.members.set(member_list)
        return group


def working_group_update(
    *,
    group: WorkingGroup,
    name: str,
    duties: str = "",
    leader: User | None = None,
    members: Iterable[User] = (),
) -> WorkingGroup:
    with transaction.atomic():
        group = (
            WorkingGroup.objects.select_for_update(of=("self",))
            .select_related("unit")
            .get(pk=group.pk)
        )
        if not group.is_active:
            raise ValidationError("该工作组已停用，不能修改。")
        unit = group.unit
        _check_unit(unit)
        members = list(members)
        current = set(group.members.values_list("pk", flat=True))
        # People who left the unit may stay in a group they were already in.
        new_members = [m for m in members if m.pk not in current]
        name, _ = _clean_working_group(
            unit=unit,
            name=name,
            leader=leader if leader is None or leader.pk != group.leader_id else None,
            members=new_members,
            exclude_pk=group.pk,
        )
        group.name = name
        group.duties = (duties or "").strip()
        group.leader = leader
        group.save(update_fields=["name", "duties", "leader"])
        group.members.set(members)
        return group


def working_group_deactivate(*, group: WorkingGroup) -> WorkingGroup:
    with transaction.atomic():
        group = WorkingGroup.objects.select_for_update().get(pk=group.pk)
        if not group.is_active:
            raise ValidationError("该工作组已经停用。")
        group.is_active = False
        group.save(update_fields=["is_active"])
        return group
