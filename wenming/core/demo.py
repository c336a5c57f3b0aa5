"""The demo that `make run` shows, assembled from the steps the apps register.

Each app that has demo data registers a step with `registry.extend("demo.load", step)` in its
`AppConfig.ready()`; `wenming.orgs.demo.load_demo` creates the organizations and people and
then runs the steps in the order the apps are installed (the layers, bottom to top), each
building on what the ones below it made. After a first load, `wenming load_demo` runs the
`demo.loaded` steps (the notification scan fills the demo inboxes).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class DemoContext:
    """What the demo steps share: the office, the unit, the people by username, whether the
    unit's campaign is wanted (tests build their own), and the campaign once made."""

    office: Any
    unit: Any
    users: dict[str, Any] = field(default_factory=dict)
    with_campaign: bool = True
    campaign: Any = None


def campaign_step(load: Callable[[Any], Any]) -> Callable[[DemoContext], None]:
    """A `demo.load` step that runs `load(campaign)` once the demo has its campaign."""

    def step(context: DemoContext) -> None:
        if context.campaign is not None:
            load(context.campaign)

    step.__name__ = getattr(load, "__name__", "step")
    return step
