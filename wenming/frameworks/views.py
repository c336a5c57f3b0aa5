"""Screens for evaluation systems: library, tree, import, export, compare, versions."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from wenming.frameworks import access, services
from wenming.frameworks.forms import KINDS, DiffForm, FrameworkForm, NodeForm
from wenming.frameworks.io import diff as diff_mod
from wenming.frameworks.io import spec as spec_mod
from wenming.frameworks.io.spec import ImportFailed
from wenming.frameworks.models import Framework, Node, Section
from wenming.http import AuthenticatedHttpRequest


def _crumbs(*extra: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("测评体系", reverse("frameworks:list")), *extra]


@login_required
def framework_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    frameworks = (
        access.visible_frameworks(request.user)
        .annotate(
            standard_count=Count("nodes", filter=Q(nodes__is_leaf=True)),
            node_count=Count("nodes"),
        )
        .order_by("lineage", "owner_id", "-version")
    )
    return render(
        request,
        "frameworks/list.html",
        {
            "frameworks": frameworks,
            "can_import": access.can_import_framework(request.user),
            "crumbs": _crumbs(("体系库", None)),
        },
    )


def _tree_rows(nodes: list[Node]) -> list[dict[str, Any]]:
    """Rows for the tree table, each parent with the sum of its children for the check."""
    sums: dict[int, Decimal] = defaultdict(Decimal)
    for node in nodes:
        if node.parent_id is not None and node.points is not None:
            sums[node.parent_id] += node.points
    rows = []
    for node in nodes:
        mismatch = (
            not node.is_leaf
            and node.section == Section.BASIC
            and node.points is not None
            and sums[node.pk] != node.points
        )
        rows.append({"node": node, "children_sum": sums.get(node.pk), "mismatch": mismatch})
    return rows


@login_required
def framework_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    framework = access.get_framework_for_user(request.user, pk)
    nodes = list(framework.nodes.order_by("position"))
    spec = spec_mod.from_framework(framework, nodes)
    summary = spec.summary()
    problems = spec_mod.validate(spec)
    rows = _tree_rows(nodes)
    sections = []
    for value, label in Section.choices:
        section_rows = [r for r in rows if r["node"].section == value]
        if section_rows:
            sections.append({"value": value, "label": label, "rows": section_rows})
    versions = list(
        Framework.objects.filter(owner_id=framework.owner_id, lineage=framework.lineage)
        .order_by("-version")
        .only("pk", "version", "status", "name", "edition_year")
    )
    return render(
        request,
        "frameworks/detail.html",
        {
            "framework": framework,
            "sections": sections,
            "summary": summary,
            "problems": problems,
            "versions": versions,
            "can_manage": access.can_manage_framework(request.user, framework),
            "crumbs": _crumbs((str(framework), None)),
        },
    )


@login_required
def framework_export(request: AuthenticatedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in ("yaml", "xlsx"):
        raise Http404("只支持导出 .xlsx 或 .yaml。")
    framework = access.get_framework_for_user(request.user, pk)
    try:
        return services.framework_export_response(framework, fmt)
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("frameworks:detail", pk=pk)


@login_required
def framework_diff(request: AuthenticatedHttpRequest) -> HttpResponse:
    frameworks = access.visible_frameworks(request.user).order_by("lineage", "-version")
    form = DiffForm(request.GET or None, frameworks=frameworks)
    result = None
    if request.GET and form.is_valid():
        old = form.cleaned_data["old"]
        new = form.cleaned_data["new"]
        result = {
            "old": old,
            "new": new,
            "diff": diff_mod.compare(spec_mod.from_framework(old), spec_mod.from_framework(new)),
        }
    elif not request.GET:
        # Offer the natural comparison: the newest version against the one before it.
        newest = frameworks.filter(previous__isnull=False).order_by("-created_at").first()
        if newest is not None and newest.previous_id:
            form = DiffForm(
                initial={"old": newest.previous_id, "new": newest.pk}, frameworks=frameworks
            )
    return render(
        request,
        "frameworks/diff.html",
        {"form": form, "result": result, "crumbs": _crumbs(("版本比较", None))},
    )


@login_required
@require_POST
def framework_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    framework = access.get_framework_for_user(request.user, pk, write=True)
    try:
        services.framework_publish(framework=framework, user=request.user)
    except ImportFailed as exc:
        messages.error(
            request, "不能发布，请先修正：" + "；".join(str(p) for p in exc.problems[:5])
        )
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已发布。发布后的体系不能再修改，如需调整请创建新版本。")
    return redirect("frameworks:detail", pk=pk)


@login_required
@require_POST
def framework_retire(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    framework = access.get_framework_for_user(request.user, pk, write=True)
    try:
        services.framework_retire(framework=framework, user=request.user)
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已停用。已使用该体系的创建工作不受影响。")
    return redirect("frameworks:detail", pk=pk)


@login_required
@require_POST
def framework_new_version(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    framework = access.get_framework_for_user(request.user, pk, write=True)
    try:
        new = services.framework_new_version(framework=framework, user=request.user)
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("frameworks:detail", pk=pk)
    messages.success(request, f"已创建第{new.version}版草稿，可在其中修改，完成后发布。")
    return redirect("frameworks:detail", pk=new.pk)


@login_required
def framework_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    framework = access.get_framework_for_user(request.user, pk, write=True)
    if not framework.is_editable:
        messages.error(request, "已发布的测评体系不能修改；请先“创建新版本”。")
        return redirect("frameworks:detail", pk=pk)
    form = FrameworkForm(request.POST or None, instance=framework)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "体系信息已保存。")
        return redirect("frameworks:detail", pk=pk)
    return render(
        request,
        "frameworks/edit.html",
        {
            "form": form,
            "framework": framework,
            "kinds": KINDS,
            "crumbs": _crumbs(
                (str(framework), reverse("frameworks:detail", args=[pk])), ("编辑", None)
            ),
        },
    )


@login_required
def node_edit(request: AuthenticatedHttpRequest, pk: int, node_pk: int) -> HttpResponse:
    framework = access.get_framework_for_user(request.user, pk, write=True)
    node = get_object_or_404(Node, pk=node_pk, framework=framework)
    if not framework.is_editable:
        messages.error(request, "已发布的测评体系不能修改；请先“创建新版本”，在新版本草稿中修改。")
        return redirect("frameworks:detail", pk=pk)
    form = NodeForm(request.POST or None, instance=node)
    if request.method == "POST" and form.is_valid():
        services.node_update(node=node, user=request.user, data=form.node_data())
        problems = services.framework_check(framework)
        messages.success(request, f"已保存“{node.code}”。")
        if problems:
            messages.warning(
                request, "分值合计需要核对：" + "；".join(str(p) for p in problems[:3])
            )
        return redirect(f"{reverse('frameworks:detail', args=[pk])}#node-{node.pk}")
    return render(
        request,
        "frameworks/node_edit.html",
        {
            "form": form,
            "framework": framework,
            "node": node,
            "crumbs": _crumbs(
                (str(framework), reverse("frameworks:detail", args=[pk])), (node.code, None)
            ),
        },
    )
