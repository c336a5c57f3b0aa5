"""Demo registry of 临州市文明办: about forty units in varied states.

Units named in different years (2015–2025) and levels (市级 mostly, some 省级, a couple of
县级), terms of 3 years; some 保留 after the year's 复查, one 限期整改 with a deadline, one
黄牌警告, one 期满, one revoked (摘牌) and banned after a 一票否决 event, and a few negative
events (one reported late, one never self-reported). The two demo units that have people
(the market bureau and the court) are in the registry too.

Everything goes through the services, as the office admin would; decisions of this year are
dated back from today. Idempotent: nothing is added when the office already has a registry.
Only the full demo loads it (tests that load the demo without a campaign build their own).
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from wenming.core.demo import DemoContext
from wenming.core.docx import add_title, body, new_document
from wenming.orgs.models import Organization
from wenming.registry import services
from wenming.registry.models import Honour, HonourStatus, Level, RegistryEntry
from wenming.trace.context import acting_as

CITY, PROVINCE, COUNTY = Level.CITY, Level.PROVINCE, Level.COUNTY
RECHECK = "临文明办〔{year}〕18号 关于{year}年度市级文明单位复查结果的通报"
# The years below are written as seen from 2026; the demo moves them with the calendar, so a
# title it shows as held is always within its term.
DEMO_YEAR = 2026


@dataclass(frozen=True)
class H:
    """An honour: title, level, year named; `end` 期满 (recorded) or 保留 (after 复查)."""

    title: str
    level: str
    year: int
    end: str = ""  # "", "kept" or "expired"
    term: int = 3


@dataclass(frozen=True)
class U:
    name: str
    sector: str
    area: str
    staff: int
    admin: str
    phone: str
    honours: tuple[H, ...] = ()


UNITS = [
    U("临州市公安局", "政法", "市直", 2860, "陆海涛", "0576-88120110", (H("市级文明单位", CITY, 2017, "expired"), H("省级文明单位", PROVINCE, 2022, "kept", 5))),
    U("临州市人民检察院", "政法", "市直", 310, "沈佳", "0576-88130201", (H("市级文明单位", CITY, 2024, "kept"),)),
    U("临州市司法局", "政法", "市直", 180, "吴敏", "0576-88130330", (H("市级文明单位", CITY, 2024),)),
    U("临州市临海区人民法院", "政法", "临海区", 240, "郑晓东", "0576-85110021", (H("市级文明单位", CITY, 2025),)),
    U("临州市东城区公安分局", "政法", "东城区", 520, "钱伟", "0576-86110045", (H("市级文明单位", CITY, 2019, "expired"), H("市级文明单位", CITY, 2024, "kept"))),
    U("临州市第一中学", "教育", "市直", 390, "林晓", "0576-88210012", (H("文明校园", PROVINCE, 2024), H("市级文明单位", CITY, 2016, "expired"))),
    U("临州市实验小学", "教育", "市直", 160, "方圆", "0576-88210035", (H("文明校园", CITY, 2024),)),
    U("临州职业技术学院", "教育", "市直", 820, "蒋文", "0576-88220100", (H("市级文明单位", CITY, 2024),)),
    U("临州市临海区第二中学", "教育", "临海区", 210, "韩冰", "0576-85210066", (H("市级文明单位", CITY, 2025),)),
    U("临州市东城区实验幼儿园", "教育", "东城区", 85, "许静", "0576-86210077", (H("市级文明单位", CITY, 2024),)),
    U("临州市人民医院", "卫生健康", "市直", 2300, "冯立", "0576-88310120", (H("市级文明单位", CITY, 2015, "expired"), H("省级文明单位", PROVINCE, 2024))),
    U("临州市中医院", "卫生健康", "市直", 1100, "曹颖", "0576-88310230", (H("市级文明单位", CITY, 2024, "kept"),)),
    U("临州市疾病预防控制中心", "卫生健康", "市直", 260, "彭涛", "0576-88320011", (H("市级文明单位", CITY, 2024),)),
    U("临州市临海区人民医院", "卫生健康", "临海区", 900, "曾凡", "0576-85310088", (H("市级文明单位", CITY, 2025),)),
    U("临州市东城区西湖街道社区卫生服务中心", "卫生健康", "东城区", 95, "吕红", "0576-86310099", (H("市级文明单位", CITY, 2024),)),
    U("中国工商银行临州分行", "金融", "市直", 1500, "苏明", "0576-88410001", (H("省级文明单位", PROVINCE, 2024, "kept"),)),
    U("中国农业银行临州分行", "金融", "市直", 1300, "卢楠", "0576-88410002", (H("市级文明单位", CITY, 2024, "kept"),)),
    U("临州农村商业银行", "金融", "市直", 980, "丁一", "0576-88410003", (H("市级文明单位", CITY, 2024),)),
    U("中国人寿临州分公司", "金融", "市直", 420, "魏巍", "0576-88410004", (H("市级文明单位", CITY, 2025),)),
    U("临州市住房公积金管理中心", "金融", "市直", 120, "薛宁", "0576-88410005", (H("市级文明单位", CITY, 2018, "expired"), H("市级文明单位", CITY, 2024, "kept"))),
    U("临州港务集团有限公司", "企业", "临海区", 3200, "叶航", "0576-85510010", (H("市级文明单位", CITY, 2024),)),
    U("临州市自来水有限公司", "企业", "市直", 640, "阎清", "0576-88510020", (H("市级文明单位", CITY, 2024),)),
    U("国网临州供电公司", "企业", "市直", 2100, "余电", "0576-88510030", (H("省级文明单位", PROVINCE, 2024, "kept"),)),
    U("临州公交集团有限公司", "企业", "市直", 2600, "潘路", "0576-88510040", (H("市级文明单位", CITY, 2024),)),
    U("临州市烟草专卖局", "企业", "市直", 350, "杜青", "0576-88510050", (H("市级文明单位", CITY, 2025),)),
    U("临州市财政局", "机关", "市直", 230, "田野", "0576-88610001", (H("市级文明单位", CITY, 2024),)),
    U("国家税务总局临州市税务局", "机关", "市直", 1200, "任重", "0576-88610002", (H("文明单位标兵", CITY, 2025), H("市级文明单位", CITY, 2020, "expired"))),
    U("临州市交通运输局", "机关", "市直", 280, "姜帆", "0576-88610003", (H("市级文明单位", CITY, 2024, "kept"),)),
    U("临州市文化广电旅游局", "机关", "市直", 190, "范书", "0576-88610004", (H("文明机关", CITY, 2024),)),
    U("临州市生态环境局", "机关", "市直", 210, "汪洋", "0576-88610005", (H("市级文明单位", CITY, 2025),)),
    U("临州市住房和城乡建设局", "机关", "市直", 260, "金城", "0576-88610006", (H("市级文明单位", CITY, 2024),)),
    U("临州市应急管理局", "机关", "市直", 150, "石安", "0576-88610007", (H("市级文明单位", CITY, 2024),)),
    U("临州市图书馆", "文化", "市直", 110, "谭书", "0576-88710001", (H("市级文明单位", CITY, 2024, "kept"),)),
    U("临州博物馆", "文化", "市直", 90, "廖古", "0576-88710002", (H("市级文明单位", CITY, 2020),)),
    U("临州市气象局", "机关", "市直", 70, "邹云", "0576-88610008", (H("市级文明单位", CITY, 2019, "expired"), H("市级文明单位", CITY, 2024))),
    U("临州市邮政分公司", "企业", "市直", 880, "熊飞", "0576-88510060", (H("市级文明单位", CITY, 2025),)),
    U("临州市临海区政务服务中心", "机关", "临海区", 130, "金晶", "0576-85610009"),
    U("临州市东城区行政审批局", "机关", "东城区", 75, "孔辉", "0576-86610010", (H("市级文明单位", CITY, 2021, "expired"),)),
    U("北岭县人民医院", "卫生健康", "北岭县", 680, "黎明", "0576-87310011", (H("县级文明单位", COUNTY, 2024, "kept"),)),
    U("北岭县第一中学", "教育", "北岭县", 240, "严谨", "0576-87210012", (H("县级文明单位", COUNTY, 2024),)),
]  # fmt: skip


def _document(title: str, text: str) -> SimpleUploadedFile:
    doc = new_document()
    add_title(doc, title)
    body(doc, text)
    buf = io.BytesIO()
    doc.save(buf)
    return SimpleUploadedFile(f"{title}.docx", buf.getvalue())


class _Demo:
    def __init__(self, context: DemoContext) -> None:
        self.office: Organization = context.office
        self.province = self.office.parent
        self.admin = context.users["wmb_admin"]
        self.today = timezone.localdate()
        self.shift = self.today.year - DEMO_YEAR

    def ago(self, honour: Honour, days: int) -> datetime.date:
        """`days` before today, never before the honour's last status change."""
        return max(honour.status_on, self.today - datetime.timedelta(days=days))

    def honour(self, entry: RegistryEntry, spec: H) -> Honour:
        issuer = (
            self.province if spec.level == PROVINCE else self.office if spec.level == CITY else None
        )
        year = spec.year + self.shift
        honour = services.honour_add(
            entry=entry,
            user=self.admin,
            title=spec.title,
            level=spec.level,
            year_named=year,
            term_years=spec.term,
            issuer=issuer,
            issuer_name="" if issuer else "北岭县文明委",
            batch=f"{year}年度",
            status_on=datetime.date(year, 12, 28),
            document_title=f"关于命名{year}年度{spec.title}的决定",
        )
        if spec.end == "kept":
            self.decide(honour, HonourStatus.KEPT, 20, "年度复查合格，保留称号。")
        elif spec.end == "expired":
            services.honour_change_status(
                honour=honour,
                user=self.admin,
                to_status=HonourStatus.EXPIRED,
                decided_on=datetime.date(honour.last_year + 1, 1, 15),
                reason="届满未重新申报。",
                document_title=f"临文明办〔{honour.last_year + 1}〕2号 关于届满文明单位的通报",
            )
        return honour

    def decide(self, honour: Honour, to: str, days: int, reason: str, **extra: object) -> None:
        decided_on = self.ago(honour, days)
        services.honour_change_status(
            honour=honour,
            user=self.admin,
            to_status=to,
            decided_on=decided_on,
            reason=reason,
            document_title=RECHECK.format(year=decided_on.year),
            **extra,  # type: ignore[arg-type]
        )

    def register(
        self, spec: U, unit: Organization | None = None
    ) -> tuple[RegistryEntry, list[Honour]]:
        entry = services.entry_register(
            office=self.office,
            user=self.admin,
            unit=unit,
            unit_name="" if unit else spec.name,
            sector=spec.sector,
            area=spec.area,
            staff_count=spec.staff,
            info_admin_name=spec.admin,
            info_admin_phone=spec.phone,
        )
        return entry, [self.honour(entry, h) for h in spec.honours]


def _dynamic(demo: _Demo, made: dict[str, list[Honour]]) -> None:
    """限期整改, 黄牌警告, 期满, 摘牌 and the negative events behind them."""
    today = demo.today
    bus = made["临州公交集团有限公司"][0]
    demo.decide(
        bus,
        HonourStatus.RECTIFY,
        30,
        "复查测评得分低于85分：车厢卫生差、驾驶员文明服务问题被多次投诉。",
        deadline=today + datetime.timedelta(days=60),
        document=_document("限期整改通知书", "请于整改期限内完成整改并报送整改报告。"),
    )
    water = made["临州市自来水有限公司"][0]
    demo.decide(
        water,
        HonourStatus.WARNED,
        45,
        "停水未提前公告引发群众集中投诉，且未在规定时间内主动报告。",
        document=_document("黄牌警告决定", "给予黄牌警告，一年内整改不到位的予以摘牌。"),
    )
    museum = made["临州博物馆"][0]
    services.honour_change_status(
        honour=museum,
        user=demo.admin,
        to_status=HonourStatus.EXPIRED,
        decided_on=datetime.date(museum.last_year + 1, 1, 15),
        reason="届满，待重新申报。",
        document_title=f"临文明办〔{museum.last_year + 1}〕2号 关于届满文明单位的通报",
    )
    entries = {h[0].entry.unit.name: h[0].entry for h in made.values() if h}

    def negative(name: str, what: str, days: int, source: str, **extra: object) -> object:
        return services.negative_event_record(
            entry=entries[name],
            user=demo.admin,
            what=what,
            occurred_on=today - datetime.timedelta(days=days),
            source=source,
            **extra,  # type: ignore[arg-type]
        )

    veto = negative(
        "临州市住房和城乡建设局",
        "单位领导班子成员严重违纪被立案审查",
        120,
        "superior",
        is_veto=True,
        verified_by=demo.admin,
        verified_on=today - datetime.timedelta(days=110),
    )
    negative(
        "临州市自来水有限公司",
        "停水未提前公告引发群众集中投诉",
        70,
        "self",
        self_reported_on=today - datetime.timedelta(days=58),
    )
    negative("临州公交集团有限公司", "驾驶员与乘客发生冲突被媒体曝光", 50, "media")
    negative(
        "临州市人民医院",
        "一名医生收受红包被查处",
        200,
        "self",
        self_reported_on=today - datetime.timedelta(days=198),
        verified_by=demo.admin,
        verified_on=today - datetime.timedelta(days=190),
    )
    housing = made["临州市住房和城乡建设局"][0]
    services.revoke(
        honour=housing,
        user=demo.admin,
        decided_on=demo.ago(housing, 90),
        reason="单位领导班子成员严重违纪被立案审查，属一票否决事项，撤销其市级文明单位称号。",
        document_title=f"临文明委〔{demo.ago(housing, 90).year}〕5号 关于撤销临州市住房和城乡建设局市级文明单位称号的决定",
        document=_document("撤销文明单位称号的决定", "撤销其市级文明单位称号，下一年度不得申报。"),
        ban_years=1,
        negative_event=veto,  # type: ignore[arg-type]
    )


def load_demo_registry(context: DemoContext) -> None:
    """The `demo.load` step: the office's registry (only in the full demo)."""
    if not context.with_campaign:
        return
    if RegistryEntry.objects.filter(office=context.office).exists():
        return
    demo = _Demo(context)
    made: dict[str, list[Honour]] = {}
    with acting_as(demo.admin):
        market, _ = demo.register(
            U("", "市场监管", "市直", 420, "李文静", "0576-88900123"), context.unit
        )
        made[context.unit.name] = [demo.honour(market, H("市级文明单位", CITY, 2024, "kept"))]
        court = Organization.objects.get(code="LZ-ZY")
        entry, _ = demo.register(U("", "政法", "市直", 360, "高远", "0576-88100200"), court)
        made[court.name] = [
            demo.honour(entry, H("市级文明单位", CITY, 2018, "expired")),
            demo.honour(entry, H("省级文明单位", PROVINCE, 2024, "kept")),
        ]
        for spec in UNITS:
            made[spec.name] = demo.register(spec)[1]
        _dynamic(demo, made)
