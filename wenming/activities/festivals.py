"""我们的节日: the traditional festivals and set commemorative days, computed for any year.

Lunar festivals (春节, 元宵, 端午, 七夕, 中秋, 重阳) and the solar term 清明 come from
`lunar-python`, whose tables ship inside the package (no network). Each festival has a window
around its day in which a themed activity counts for it (`window`): a unit holds its 春节
activity in the days before the festival as often as on the day.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from lunar_python import Lunar

# Days before and after the festival's day in which an activity counts for it.
WINDOW_BEFORE = 7
WINDOW_AFTER = 7


@dataclass(frozen=True)
class Festival:
    key: str
    name: str
    # (month, day) of the lunar calendar, or of the solar calendar for set days; None for
    # 清明, whose day is a solar term.
    lunar: tuple[int, int] | None = None
    solar: tuple[int, int] | None = None


FESTIVALS: dict[str, Festival] = {
    f.key: f
    for f in (
        Festival("spring", "春节", lunar=(1, 1)),
        Festival("lantern", "元宵", lunar=(1, 15)),
        Festival("qingming", "清明"),
        Festival("dragon_boat", "端午", lunar=(5, 5)),
        Festival("qixi", "七夕", lunar=(7, 7)),
        Festival("mid_autumn", "中秋", lunar=(8, 15)),
        Festival("double_ninth", "重阳", lunar=(9, 9)),
        Festival("lei_feng", "学雷锋纪念日", solar=(3, 5)),
        Festival("labour", "劳动节", solar=(5, 1)),
        Festival("youth", "青年节", solar=(5, 4)),
        Festival("party", "建党节", solar=(7, 1)),
        Festival("army", "建军节", solar=(8, 1)),
        Festival("national", "国庆节", solar=(10, 1)),
        Festival("volunteer", "国际志愿者日", solar=(12, 5)),
    )
}
TRADITIONAL = ("spring", "lantern", "qingming", "dragon_boat", "qixi", "mid_autumn", "double_ninth")


def day_of(key: str, year: int) -> datetime.date:
    """The festival's day in a (Gregorian) year."""
    festival = FESTIVALS[key]
    if festival.solar is not None:
        return datetime.date(year, *festival.solar)
    if festival.lunar is None:  # 清明: the solar term
        solar = Lunar.fromYmd(year, 1, 1).getJieQiTable()["清明"]
    else:
        solar = Lunar.fromYmd(year, *festival.lunar).getSolar()
    return datetime.date(solar.getYear(), solar.getMonth(), solar.getDay())


@dataclass(frozen=True)
class Occurrence:
    festival: Festival
    day: datetime.date

    @property
    def window(self) -> tuple[datetime.date, datetime.date]:
        return (
            self.day - datetime.timedelta(days=WINDOW_BEFORE),
            self.day + datetime.timedelta(days=WINDOW_AFTER),
        )


def of_year(year: int) -> list[Occurrence]:
    """Every festival of a year, in date order."""
    found = [Occurrence(f, day_of(f.key, year)) for f in FESTIVALS.values()]
    return sorted(found, key=lambda o: o.day)


def choices() -> list[tuple[str, str]]:
    return [(f.key, f.name) for f in FESTIVALS.values()]
