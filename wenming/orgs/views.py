"""Screens for the organization tree, its people, leading groups and working groups.

Every object is fetched through `wenming.orgs.access`; every write goes through
`wenming.orgs.services`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from wenming.http import AuthenticatedHttpRequest
from wenming.orgs import access, services
from wenming.orgs.forms import (
    AddPersonForm,
    LeadingGroupDutiesForm,
    LeadingGroupMemberForm,
    MembershipForm,
    OrgCreateForm,
    OrgEditForm,
    WorkingGroupForm,
)
from wenming.orgs.models import (
    LeadingGroupMember,
    Membership,
    Organization,
    OrgKind,
    Role,
    WorkingGroup,
)

KIND_ORDER: dict[str, int] = {OrgKind.OFFICE: 0, OrgKind.UNIT: 1, OrgKind.DEPARTMENT: 2}
CREATE_LABELS: dict[str, str] = {
    OrgKind.OFFICE: "新建下级文明办",
    OrgKind.UNIT: "新建单位",
    OrgKind.DEPARTMENT: "新建部门",
}


ROLE_ORDER: dict[str, int] = {role: index for index, role in enumerate(Role.values)}


def _org_sort_key(org: Organization) -> tuple[int, int, int]:
    return (KIND_ORDER.get(org.kind, 9), org.sort_order, org.pk)


def _people_counts(orgs: Any) -> dict[int, int]:
    """Active people per organization, in one aggregate query."""
    rows = (
        Membership.objects.filter(is_active=True, organization__in=orgs)
        .values("organization_id")
        .annotate(n=Count("user_id", distinct=True))
        .order_by()
    )
    return {row["organization_id"]: row["n"] for row in rows}


def _ancestor_crumbs(user: Any, org: Organization) -> list[tuple[str, str | None]]:
    """Breadcrumbs above `org`: links where the user may see the ancestor, names otherwise."""
    ancestors = {a.pk: a for a in Organization.objects.filter(pk__in=org.ancestor_ids)}
    crumbs: list[tuple[str, str | None]] = [("组织机构", reverse("orgs:tree"))]
    for pk in org.ancestor_ids:
        ancestor = ancestors.get(pk)
        if ancestor is None:
            continue
        url = reverse("orgs:detail", args=[pk]) if access.can_view_org(user, ancestor) else None
        crumbs.append((ancestor.name, url))
    return crumbs


def _org_crumbs(user: Any, org: Organization, *tail: str) -> list[tuple[str, str | None]]:
    crumbs = _ancestor_crumbs(user, org)
    crumbs.append((org.name, reverse("orgs:detail", args=[org.pk]) if tail else None))
    crumbs.extend((label, None) for label in tail)
    return crumbs


def _require_unit(org: Organization) -> None:
    if org.kind != OrgKind.UNIT:
        raise Http404("只有单位才有创建办、领导小组和工作组。")


def _detail_url(org_id: int, anchor: str = "") -> str:
    url = reverse("orgs:detail", args=[org_id])
    return f"{url}#{anchor}" if anchor else url


# --- tree ------------------------------------------------------------------------------


@dataclass
class TreeNode:
    org: Organization
    people: int = 0
    children: list[TreeNode] = field(default_factory=list)


@login_required
def org_tree(request: AuthenticatedHttpRequest) -> HttpResponse:
    show_inactive = request.GET.get("inactive") == "1"
    visible = access.visible_orgs(request.user)
    orgs = list(visible.order_by("path"))
    counts = _people_counts(visible.values("pk"))
    visible_ids = {org.pk for org in orgs}
    nodes: dict[int, TreeNode] = {}
    roots: list[TreeNode] = []
    hidden = 0
    orgs.sort(key=lambda o: o.depth)  # parents before their children
    for org in orgs:
        if not show_inactive and not org.is_active:
            hidden += 1
            continue
        node = TreeNode(org=org, people=counts.get(org.pk, 0))
        if org.parent_id in visible_ids:
            parent = nodes.get(org.parent_id)
            if parent is None:
                continue  # below a hidden (inactive) organization
            parent.children.append(node)
        else:
            roots.append(node)
        nodes[org.pk] = node
    for node in nodes.values():
        node.children.sort(key=lambda n: _org_sort_key(n.org))
    roots.sort(key=lambda n: _org_sort_key(n.org))
    # The names above each root, so people see where their part of the tree sits.
    above_ids = {a for node in roots for a in node.org.ancestor_ids}
    above = {o.pk: o.name for o in Organization.objects.filter(pk__in=above_ids).only("name")}
    root_items = [
        {"nodes": [node], "above": [above[a] for a in node.org.ancestor_ids if a in above]}
        for node in roots
    ]
    return render(
        request,
        "orgs/tree.html",
        {
            "root_items": root_items,
            "show_inactive": show_inactive,
            "hidden_inactive": hidden,
            "total": len(orgs),
            "crumbs": [("组织机构", None)],
        },
    )


# --- detail ----------------------------------------------------------------------------


@login_required
def org_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    org = access.get_org_for_user(user, pk)
    can_manage = access.can_manage_org(user, org)
    children = sorted(org.children.all(), key=_org_sort_key)
    counts = _people_counts([c.pk for c in children])
    child_rows: list[dict[str, Any]] = [{"org": c, "people": counts.get(c.pk, 0)} for c in children]
    memberships = list(
        Membership.objects.filter(organization=org)
        .select_related("user")
        .order_by("-ended_at", "id")
    )
    active_memberships = sorted(
        (m for m in memberships if m.is_active), key=lambda m: (ROLE_ORDER.get(m.role, 99), m.pk)
    )
    context: dict[str, Any] = {
        "org": org,
        "crumbs": _org_crumbs(user, org),
        "can_manage": can_manage,
        "parent_url": reverse("orgs:detail", args=[org.parent_id])
        if org.parent is not None and access.can_view_org(user, org.parent)
        else None,
        "can_change_status": can_manage and access.can_change_org_status(user, org),
        "children": [r for r in child_rows if r["org"].is_active],
        "inactive_children": [r for r in child_rows if not r["org"].is_active],
        "active_memberships": active_memberships,
        "ended_memberships": [m for m in memberships if not m.is_active],
        "create_kinds": [(kind, CREATE_LABELS[kind]) for kind in services.allowed_child_kinds(org)]
        if can_manage and org.is_active
        else [],
    }
    if org.is_unit:
        context["leading_group"] = list(
            LeadingGroupMember.objects.filter(unit=org, is_active=True)
            .select_related("user")
            .prefetch_related("departments")
            .order_by("sort_order", "id")
        )
        groups = list(
            WorkingGroup.objects.filter(unit=org)
            .select_related("leader")
            .prefetch_related("members")
            .order_by("-is_active", "id")
        )
        context["working_groups"] = [g for g in groups if g.is_active]
        context["inactive_working_groups"] = [g for g in groups if not g.is_active]
        if can_manage:
            context["host_choices"] = list(
                Organization.objects.filter(
                    path__startswith=org.path, kind=OrgKind.DEPARTMENT, is_active=True
                ).order_by("path")
            )
    return render(request, "orgs/detail.html", context)


# --- organizations ---------------------------------------------------------------------


@login_required
def org_create_child(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    parent = access.get_org_for_user(request.user, pk, write=True)
    allowed = services.allowed_child_kinds(parent)
    kind = request.POST.get("kind") if request.method == "POST" else request.GET.get("kind")
    if not kind and len(allowed) == 1:
        kind = allowed[0]
    crumbs = _org_crumbs(request.user, parent, "新建下级组织")
    if not parent.is_active:
        messages.error(request, f"“{parent.name}”已停用，不能在其下新建组织。请先启用它。")
        return redirect("orgs:detail", pk=parent.pk)
    if kind not in allowed:
        # Let the user pick the kind first.
        return render(
            request,
            "orgs/create_choose_kind.html",
            {
                "parent": parent,
                "kinds": [(k, CREATE_LABELS[k]) for k in allowed],
                "crumbs": crumbs,
                "bad_kind": bool(kind),
            },
        )
    form = OrgCreateForm(
        request.POST if request.method == "POST" else None,
        parent=parent,
        kind=kind,
        initial={"kind": kind},
    )
    if request.method == "POST" and form.is_valid():
        try:
            org = services.org_create(
                parent=parent, kind=form.cleaned_data["kind"], **form.service_kwargs()
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, f"已新建{org.get_kind_display()}“{org.name}”。")
            return redirect("orgs:detail", pk=org.pk)
    return render(
        request,
        "orgs/org_form.html",
        {
            "form": form,
            "parent": parent,
            "title": f"在“{parent.name}”下{CREATE_LABELS[kind]}",
            "submit_label": "新建",
            "cancel_url": reverse("orgs:detail", args=[parent.pk]),
            "crumbs": crumbs,
        },
    )


@login_required
def org_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    org = access.get_org_for_user(request.user, pk, write=True)
    initial = {
        "name": org.name,
        "short_name": org.short_name,
        "code": org.code or "",
        "level": org.level,
        "unit_category": org.unit_category,
        "department_type": org.department_type,
        "sort_order": org.sort_order,
    }
    form = OrgEditForm(
        request.POST if request.method == "POST" else None, kind=org.kind, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            org = services.org_update(org=org, **form.service_kwargs())
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, f"已保存“{org.name}”的信息。")
            return redirect("orgs:detail", pk=org.pk)
    return render(
        request,
        "orgs/org_form.html",
        {
            "form": form,
            "org": org,
            "title": f"修改{org.get_kind_display()}信息",
            "submit_label": "保存",
            "cancel_url": reverse("orgs:detail", args=[org.pk]),
            "crumbs": _org_crumbs(request.user, org, "修改信息"),
        },
    )


@login_required
@require_POST
def org_deactivate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    org = access.get_org_for_status_change(request.user, pk)
    try:
        services.org_deactivate(org=org)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"已停用“{org.name}”。记录仍然保留，需要时可以重新启用。")
    return redirect("orgs:detail", pk=org.pk)


@login_required
@require_POST
def org_reactivate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    org = access.get_org_for_status_change(request.user, pk)
    try:
        services.org_reactivate(org=org)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"已重新启用“{org.name}”。")
    return redirect("orgs:detail", pk=org.pk)


@login_required
@require_POST
def org_set_office_host(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    unit = access.get_org_for_user(request.user, pk, write=True)
    _require_unit(unit)
    raw = (request.POST.get("department") or "").strip()
    department = None
    if raw:
        department = Organization.objects.filter(pk=raw).first() if raw.isdigit() else None
        if department is None:
            messages.error(request, "没有找到所选部门，请重新选择创建办所在部门。")
            return redirect(_detail_url(unit.pk, "office-host"))
    try:
        services.unit_set_office_host(unit=unit, department=department)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if department is None:
            messages.success(request, "已清除创建办所在部门。")
        else:
            messages.success(request, f"创建办所在部门已设为“{department.name}”。")
    return redirect(_detail_url(unit.pk, "office-host"))


# --- people ------------------------------------------------------------------------------


@login_required
def person_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    org = access.get_org_for_user(request.user, pk, write=True)
    if not org.is_active:
        messages.error(request, f"“{org.name}”已停用，不能添加人员。")
        return redirect("orgs:detail", pk=org.pk)
    form = AddPersonForm(request.POST if request.method == "POST" else None, org=org)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["mode"] == AddPersonForm.NEW:
                created = services.person_create(
                    org=org,
                    username=data["username"],
                    full_name=data["full_name"],
                    password=data["password"],
                    role=data["role"],
                    title=data["title"],
                    phone=data["phone"],
                )
                membership = created.membership
            else:
                person = services.user_by_username(data["username"])
                if person is None:
                    raise ValidationError(
                        {
                            "username": f"没有找到用户名为“{data['username'].strip()}”的账号。"
                            "请核对用户名，或选择“新建账号”。"
                        }
                    )
                membership = services.membership_create(
                    org=org,
                    user=person,
                    role=data["role"],
                    title=data["title"],
                    phone=data["phone"],
                )
                created = None
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            who = services.display_name(membership.user)
            role = membership.get_role_display()
            if created is not None and created.generated_password:
                messages.success(
                    request,
                    f"已为{who}新建账号“{membership.user.username}”，并设为{org.name}的{role}。"
                    f"初始密码：{created.generated_password}　"
                    "此密码只显示这一次，请现在转告本人，并提醒其登录后修改。",
                )
            elif created is not None:
                messages.success(
                    request,
                    f"已为{who}新建账号“{membership.user.username}”，并设为{org.name}的{role}。",
                )
            else:
                messages.success(request, f"已将{who}设为{org.name}的{role}。")
            return redirect(_detail_url(org.pk, "people"))
    return render(
        request,
        "orgs/person_form.html",
        {
            "form": form,
            "org": org,
            "crumbs": _org_crumbs(request.user, org, "添加人员"),
            "submit_label": "添加",
            "cancel_url": _detail_url(org.pk, "people"),
        },
    )


@login_required
def membership_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    membership = access.get_membership_for_user(request.user, pk, write=True)
    org = membership.organization
    if not membership.is_active:
        messages.error(request, "该任职已结束，不能修改。如需恢复，请重新添加该人员。")
        return redirect(_detail_url(org.pk, "people"))
    form = MembershipForm(
        request.POST if request.method == "POST" else None,
        org=org,
        initial={"role": membership.role, "title": membership.title, "phone": membership.phone},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(
                membership=membership, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, f"已保存{services.display_name(membership.user)}的任职信息。")
            return redirect(_detail_url(org.pk, "people"))
    return render(
        request,
        "orgs/membership_form.html",
        {
            "form": form,
            "membership": membership,
            "org": org,
            "crumbs": _org_crumbs(request.user, org, "修改任职"),
            "cancel_url": _detail_url(org.pk, "people"),
        },
    )


@login_required
@require_POST
def membership_end(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    membership = access.get_membership_for_user(request.user, pk, write=True)
    try:
        services.membership_end(membership=membership, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"已结束{services.display_name(membership.user)}的{membership.get_role_display()}任职。"
            "记录仍然保留。",
        )
    return redirect(_detail_url(membership.organization_id, "people"))


# --- leading group -----------------------------------------------------------------------


@login_required
def leading_group_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    unit = access.get_org_for_user(request.user, pk, write=True)
    _require_unit(unit)
    form = LeadingGroupMemberForm(
        request.POST if request.method == "POST" else None,
        people=services.unit_people(unit),
        departments=unit.active_departments(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            member = services.leading_group_member_add(unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(
                request,
                f"已将{services.display_name(member.user)}加入领导小组（{member.get_position_display()}）。",
            )
            return redirect(_detail_url(unit.pk, "leading-group"))
    return render(
        request,
        "orgs/leading_group_form.html",
        {
            "form": form,
            "org": unit,
            "crumbs": _org_crumbs(request.user, unit, "添加领导小组成员"),
            "cancel_url": _detail_url(unit.pk, "leading-group"),
        },
    )


@login_required
def leading_group_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A member's 职务/分工 and 分管部门."""
    member = access.get_leading_group_member_for_user(request.user, pk, write=True)
    unit = member.unit
    name = services.display_name(member.user)
    if not member.is_active:
        messages.error(request, f"{name}已经移出领导小组，不能再修改。")
        return redirect(_detail_url(unit.pk, "leading-group"))
    form = LeadingGroupDutiesForm(
        request.POST if request.method == "POST" else None,
        departments=unit.active_departments(),
        initial={
            "duty": member.duty,
            "departments": list(member.departments.values_list("pk", flat=True)),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.leading_group_member_update(member=member, **form.cleaned_data)
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, f"已保存{name}的职务分工和分管部门。")
            return redirect(_detail_url(unit.pk, "leading-group"))
    return render(
        request,
        "orgs/leading_group_duties_form.html",
        {
            "form": form,
            "org": unit,
            "title": f"修改领导小组成员：{name}",
            "crumbs": _org_crumbs(request.user, unit, "修改领导小组成员"),
            "cancel_url": _detail_url(unit.pk, "leading-group"),
        },
    )


@login_required
@require_POST
def leading_group_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    member = access.get_leading_group_member_for_user(request.user, pk, write=True)
    try:
        services.leading_group_member_remove(member=member)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"已将{services.display_name(member.user)}移出领导小组。")
    return redirect(_detail_url(member.unit_id, "leading-group"))


# --- working groups ----------------------------------------------------------------------


@login_required
def working_group_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    unit = access.get_org_for_user(request.user, pk, write=True)
    _require_unit(unit)
    form = WorkingGroupForm(
        request.POST if request.method == "POST" else None, people=services.unit_people(unit)
    )
    if request.method == "POST" and form.is_valid():
        try:
            group = services.working_group_create(unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, f"已新建工作组“{group.name}”。")
            return redirect(_detail_url(unit.pk, "working-groups"))
    return render(
        request,
        "orgs/working_group_form.html",
        {
            "form": form,
            "org": unit,
            "title": "新建工作组",
            "submit_label": "新建",
            "crumbs": _org_crumbs(request.user, unit, "新建工作组"),
            "cancel_url": _detail_url(unit.pk, "working-groups"),
        },
    )


@login_required
def working_group_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    group = access.get_working_group_for_user(request.user, pk, write=True)
    unit = group.unit
    if not group.is_active:
        messages.error(request, f"工作组“{group.name}”已停用，不能修改。")
        return redirect(_detail_url(unit.pk, "working-groups"))
    form = WorkingGroupForm(
        request.POST if request.method == "POST" else None,
        people=services.unit_people(unit),
        group=group,
        initial={
            "name": group.name,
            "duties": group.duties,
            "leader": group.leader_id,
            "members": list(group.members.values_list("pk", flat=True)),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            group = services.working_group_update(group=group, **form.cleaned_data)
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, f"已保存工作组“{group.name}”。")
            return redirect(_detail_url(unit.pk, "working-groups"))
    return render(
        request,
        "orgs/working_group_form.html",
        {
            "form": form,
            "org": unit,
            "group": group,
            "title": f"修改工作组“{group.name}”",
            "submit_label": "保存",
            "crumbs": _org_crumbs(request.user, unit, "修改工作组"),
            "cancel_url": _detail_url(unit.pk, "working-groups"),
        },
    )


@login_required
@require_POST
def working_group_deactivate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    group = access.get_working_group_for_user(request.user, pk, write=True)
    try:
        services.working_group_deactivate(group=group)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"已停用工作组“{group.name}”。记录仍然保留。")
    return redirect(_detail_url(group.unit_id, "working-groups"))
