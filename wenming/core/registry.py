"""Where the apps above `core` plug in: the navigation, the home page and named extensions.

`core` imports no app. An app that appears in the navigation, puts a card on the home page, or
adds something to a lower app's screen registers it here from its `AppConfig.ready()`; the
lower app reads what was registered without knowing who registered it.

- `register_section(app_name, label, url_name)`: the first breadcrumb of the app's pages.
- `register_nav(provider)`: `provider(user)` returns keys merged into the template's `nav`.
- `register_card(name, provider)`: `provider(user)` returns the context of the home page's
  card `name` (the template reads it as `cards.<name>`).
- `extend(point, fn)` / `extensions(point)`: a named extension point, for a lower app that
  shows what a higher one knows (the weekly roll-up's overdue problems, the gap analysis's
  open problems per standard). The lower app documents the point's signature where it calls it.

Registrations are made once per process, at start-up; nothing is registered per request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Provider = Callable[[Any], dict[str, Any]]

_sections: dict[str, tuple[str, str]] = {}
_nav: list[Provider] = []
_cards: dict[str, Callable[[Any], Any]] = {}
_extensions: dict[str, list[Callable[..., Any]]] = {}


def register_section(app_name: str, label: str, url_name: str) -> None:
    _sections[app_name] = (label, url_name)


def section(app_name: str) -> tuple[str, str] | None:
    return _sections.get(app_name)


def register_nav(provider: Provider) -> None:
    if provider not in _nav:
        _nav.append(provider)


def nav_for(user: Any) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for provider in _nav:
        merged.update(provider(user))
    return merged


def register_card(name: str, provider: Callable[[Any], Any]) -> None:
    _cards[name] = provider


def cards_for(user: Any) -> dict[str, Any]:
    return {name: provider(user) for name, provider in _cards.items()}


def extend(point: str, fn: Callable[..., Any]) -> None:
    registered = _extensions.setdefault(point, [])
    if fn not in registered:
        registered.append(fn)


def extensions(point: str) -> list[Callable[..., Any]]:
    return list(_extensions.get(point, ()))
