"""The evaluation-system models the trace captures, registered from `FrameworksConfig.ready()`."""

from __future__ import annotations


def register_with_trace() -> None:
    from wenming.frameworks import access
    from wenming.frameworks.models import Framework
    from wenming.trace.access import register_history
    from wenming.trace.registry import register

    # The system only; an import is one entry, not one per node.
    register(Framework, kind="framework", unit="owner", ignore={"lineage", "source_name"})
    register_history("framework", access.get_framework_for_user)
