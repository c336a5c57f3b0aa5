"""The registry list's filters, defined once: the list screen, its Excel export and the API
all select entries and honours through `Filters` (the same GET parameter names everywhere:
level, status, sector, area, year, q)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from wenming.registry.models import Honour, HonourStatus, Level, RegistryEntry


@dataclass(frozen=True)
class Filters:
    """The registry list's filters (the same GET parameter names as the list)."""

    level: str = ""
    status: str = ""
    sector: str = ""
    area: str = ""
    year: int | None = None
    q: str = ""

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Filters:
        def text(name: str) -> str:
            return str(params.get(name) or "").strip()

        year = text("year")
        return cls(
            level=text("level") if text("level") in Level.values else "",
            status=text("status") if text("status") in HonourStatus.values else "",
            sector=text("sector"),
            area=text("area"),
            year=int(year) if year.isdigit() else None,
            q=text("q"),
        )

    @property
    def on_honours(self) -> bool:
        return bool(self.level or self.status or self.year)

    def honours(self, qs: QuerySet[Honour]) -> QuerySet[Honour]:
        """The honours the filters select: level, status and year named, all on one honour."""
        if self.level:
            qs = qs.filter(level=self.level)
        if self.status:
            qs = qs.filter(status=self.status)
        if self.year:
            qs = qs.filter(year_named=self.year)
        return qs

    def entries(self, qs: QuerySet[RegistryEntry]) -> QuerySet[RegistryEntry]:
        if self.sector:
            qs = qs.filter(sector=self.sector)
        if self.area:
            qs = qs.filter(area=self.area)
        if self.q:
            qs = qs.filter(unit__name__icontains=self.q)
        if self.on_honours:
            qs = qs.filter(pk__in=self.honours(Honour.objects.live()).values("entry_id"))
        return qs
