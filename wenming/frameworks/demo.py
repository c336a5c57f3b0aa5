"""The demo's sample evaluation system, published by the demo office (a `demo.load` step)."""

from __future__ import annotations

from wenming.core.demo import DemoContext
from wenming.frameworks import services
from wenming.orgs.demo import SAMPLE_FRAMEWORK
from wenming.trace.context import acting_as


def load_sample_framework(context: DemoContext) -> None:
    user = context.users["wmb_admin"]
    with acting_as(user):
        result = services.framework_import(
            content=SAMPLE_FRAMEWORK.read_bytes(),
            filename=SAMPLE_FRAMEWORK.name,
            owner=context.office,
            user=user,
        )
        if not result.ok or result.framework is None:
            raise RuntimeError(f"sample framework failed to import: {result.problems}")
        services.framework_publish(framework=result.framework, user=user)
