"""The demo activities: what the market bureau did over the past months, with its people and
their hours (a `demo.load` step, only in the full demo).

Eight activities of different kinds — 志愿服务, a 道德讲堂 with its five steps, 我们的节日 for
the two festivals most recently passed (each inside its festival's window), a 主题党日, a
集体学习 and a 帮扶共建 — each organized by a department, with three to eight of the unit's
people (and sometimes someone from outside) and the hours they gave. Recorded through
`services.activity_record`, as the departments and the 创建办 would, so each files its
ledger item with photos (drawn here, dated on the day) and the generated sign-in sheet; the
items wait for the 创建办's review. Dates count back from today inside the campaign, never
into the future; the recording times are then set back to the day of each activity.

Five of the unit's people are registered volunteers (three in the national system), and every
standard whose words state a figure and a target gets its 达标测算 (as the 创建办's 按原文设置
would), so the measures, the scoring sheet and the gap analysis show computed figures.

Deterministic (a fixed seed) and idempotent: nothing is added when the campaign already has
activities.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from wenming.activities import festivals, services
from wenming.activities.models import Activity, ActivityKind
from wenming.activities.services import Participant
from wenming.campaigns.models import Campaign
from wenming.frameworks.models import Node
from wenming.ledger import demo as ledger_demo
from wenming.ledger.models import EvidenceEvent, EvidenceFile, EvidenceItem
from wenming.orgs.models import Organization
from wenming.orgs.services import unit_people
from wenming.trace.context import acting_as

SEED = 2609
# How far back the activities spread (days before yesterday), at most.
SPAN_DAYS = 240
# Who records for a department: its own people where the demo has them, else the 创建办.
RECORDERS = {"食品安全监管科": "jingban", "登记注册科": "keshi2"}


@dataclass(frozen=True)
class Spec:
    """One activity of the demo; `when` is how far back it lies (0: yesterday, 1: the
    furthest), `people` the unit's participants by username with their hours."""

    kind: str
    title: str
    department: str
    code: str  # the standard it proves
    place: str
    scene: str  # how its photos look: volunteers | lecture | meeting | cleanup
    banner: str
    summary: str
    result: str
    when: float
    hour: int
    minutes: int  # how long it took
    people: tuple[tuple[str, str], ...]
    external: tuple[tuple[str, str, str], ...] = ()  # (name, hours, note)
    moral_steps: dict[str, str] = field(default_factory=dict)


SPECS: list[Spec] = [
    Spec(
        ActivityKind.VOLUNTEER,
        "“食品安全进社区”志愿服务",
        "食品安全监管科",
        "E2-4",
        "城东街道幸福里社区",
        "volunteers",
        "食品安全进社区",
        "志愿者身穿红马甲进社区，讲解“三无”食品和过期食品识别方法，为居民免费检测"
        "家中食用油、蔬菜的农药残留，解答居民关于食品安全的咨询。",
        "发放宣传资料400余份，现场快检样品36份，均未超标；收集居民意见建议5条。",
        1.0,
        9,
        150,
        (("keshi", "2.5"), ("jingban", "2.5"), ("cjb", "2.5"), ("ducha", "2")),
        (("社区网格员周敏", "2.5", "幸福里社区"),),
    ),
    Spec(
        ActivityKind.PARTY_DAY,
        "“重温入党誓词 践行初心使命”主题党日",
        "机关党委",
        "D2-1",
        "临州市革命历史纪念馆",
        "lecture",
        "重温入党誓词 践行初心使命",
        "组织党员参观革命历史纪念馆，聆听讲解员讲述革命先烈事迹，在党旗下集体重温入党誓词，"
        "座谈交流参观体会。",
        "党员撰写参观体会18篇，在局微信公众号刊发专题报道1篇。",
        0.78,
        9,
        180,
        (
            ("lingdao", "3"),
            ("fujuzhang", "3"),
            ("cjb", "3"),
            ("keshi", "3"),
            ("keshi2", "3"),
            ("ducha", "3"),
        ),
    ),
    Spec(
        ActivityKind.MORAL_LECTURE,
        "“助人为乐 邻里守望”道德讲堂",
        "机关党委",
        "C2-2",
        "局机关三楼道德讲堂",
        "lecture",
        "道德讲堂",
        "按照五个环节开展：全体合唱《公民道德歌》，社区“身边好人”讲述十年照顾孤寡老人的"
        "故事，青年干部诵读《论语》选段，现场写下善行承诺，互赠吉祥卡片。",
        "征集善行承诺52份，12名干部职工报名加入社区邻里互助志愿服务队。",
        0.55,
        14,
        120,
        (
            ("lingdao", "2"),
            ("fujuzhang", "2"),
            ("cjb", "2"),
            ("keshi", "2"),
            ("keshi2", "2"),
            ("jingban", "2"),
            ("ducha", "2"),
            ("guancha", "1.5"),
        ),
        moral_steps={
            "sing": "全体合唱《公民道德歌》",
            "model": "社区“身边好人”讲述十年照顾孤寡老人的故事",
            "classic": "青年干部诵读《论语》“德不孤，必有邻”等选段",
            "reflect": "每人写下一条善行承诺并投入善行箱",
            "bless": "互赠吉祥卡片，送上邻里祝福",
        },
    ),
    Spec(
        ActivityKind.STUDY_GROUP,
        "“学习党的创新理论”集体学习研讨",
        "人事教育科",
        "B1-3",
        "局机关五楼会议室",
        "meeting",
        "集体学习研讨",
        "集中学习党的创新理论有关论述，观看专题辅导视频，各科室负责人结合业务工作交流发言。",
        "形成交流发言材料6篇，梳理出服务企业、优化窗口服务等改进措施4项。",
        0.38,
        15,
        90,
        (
            ("fujuzhang", "1.5"),
            ("cjb", "1.5"),
            ("keshi", "1.5"),
            ("keshi2", "1.5"),
            ("ducha", "1.5"),
            ("guancha", "1.5"),
        ),
    ),
    Spec(
        ActivityKind.VOLUNTEER,
        "“垃圾分类 绿色生活”入户宣传志愿服务",
        "登记注册科",
        "E2-4",
        "城南街道锦绣小区",
        "volunteers",
        "垃圾分类 绿色生活",
        "志愿者入户讲解垃圾四分类标准，发放分类指引，在小区投放点开展“桶边督导”。",
        "入户宣传260户，督导投放400余人次，小区分类准确率由六成提高到八成以上。",
        0.2,
        9,
        90,
        (("keshi2", "1.5"), ("fujuzhang", "1.5"), ("guancha", "1.5"), ("jingban", "1")),
    ),
    Spec(
        ActivityKind.PAIRING,
        "“结对共建 携手同行”进村帮扶",
        "综合执法支队",
        "I1-1",
        "临州市江北区石桥村",
        "cleanup",
        "结对共建 携手同行",
        "到结对帮扶的石桥村走访困难群众，送去米面油等慰问品，与村“两委”座谈村集体经济"
        "发展，帮助整治村口环境卫生。",
        "走访慰问困难户12户，协调解决农产品销售渠道1条，清理村口垃圾约2吨。",
        0.08,
        9,
        240,
        (("fujuzhang", "4"), ("cjb", "4"), ("keshi2", "4"), ("ducha", "3.5")),
        (("石桥村党支部书记钱国富", "4", "结对村"),),
    ),
]

# 我们的节日: what the unit does for each festival (title, place, scene, summary, result),
# and how many days before the festival's day it is held.
FESTIVAL_TEXTS: dict[str, tuple[str, str, str, str, str, int]] = {
    "spring": (
        "“我们的节日·春节”写春联送祝福",
        "局机关一楼大厅",
        "meeting",
        "邀请书法爱好者现场书写春联、福字，干部职工把春联和福字送到结对社区的困难家庭。",
        "书写春联120副、福字200余张，慰问困难家庭15户。",
        4,
    ),
    "lantern": (
        "“我们的节日·元宵”猜灯谜闹元宵",
        "局机关三楼多功能厅",
        "meeting",
        "悬挂灯谜200余条，内容涵盖传统文化、食品安全和文明礼仪知识，现场煮汤圆共度佳节。",
        "参与干部职工及家属80余人，猜中灯谜160余条。",
        0,
    ),
    "qingming": (
        "“我们的节日·清明”文明祭扫缅怀先烈",
        "临州市烈士陵园",
        "cleanup",
        "到烈士陵园敬献花篮、重温入党誓词，倡导鲜花祭扫、网上祭扫等文明祭扫方式。",
        "参与干部职工40余人，发放文明祭扫倡议书300份。",
        1,
    ),
    "dragon_boat": (
        "“我们的节日·端午”香囊制作与诗词诵读",
        "机关食堂",
        "meeting",
        "邀请非遗传承人指导制作香囊，青年干部诵读屈原诗词，讲解端午节的由来和习俗。",
        "制作香囊150个，送往结对社区的独居老人20户。",
        1,
    ),
    "qixi": (
        "“我们的节日·七夕”文明婚育新风宣讲",
        "局机关三楼多功能厅",
        "lecture",
        "邀请“最美家庭”代表讲述相濡以沫的故事，倡导婚事新办、抵制高价彩礼。",
        "青年干部签订移风易俗承诺书26份。",
        0,
    ),
    "mid_autumn": (
        "“我们的节日·中秋”月圆话家风茶话会",
        "局机关三楼多功能厅",
        "lecture",
        "干部职工围坐茶话，分享家风家训故事，为坚守岗位的执法队员和窗口人员送去月饼。",
        "征集家风家训故事30篇，慰问节日值班人员24名。",
        1,
    ),
    "double_ninth": (
        "“我们的节日·重阳”走访慰问退休老干部",
        "离退休干部活动中心",
        "meeting",
        "走访慰问退休老干部，通报单位创建工作进展，听取老干部的意见建议，陪老人拉家常。",
        "走访慰问退休老干部18名，收集意见建议6条，已交有关科室办理。",
        0,
    ),
    "lei_feng": (
        "“学雷锋纪念日”便民服务集市",
        "人民广场",
        "volunteers",
        "在人民广场摆设便民服务摊位，提供企业登记咨询、消费维权受理和免费计量检定。",
        "接待群众咨询300余人次，受理消费投诉11件，检定电子秤40台。",
        0,
    ),
    "labour": (
        "“劳动最光荣”五一劳动节主题活动",
        "局机关一楼大厅",
        "meeting",
        "表彰一线执法和窗口服务岗位的劳动模范，组织职工开展义务劳动。",
        "表彰先进个人8名，清理办公区及周边环境卫生死角6处。",
        1,
    ),
    "youth": (
        "“青春心向党”五四青年节座谈会",
        "局机关五楼会议室",
        "meeting",
        "青年干部座谈交流成长体会，开展青年理论学习小组集中学习。",
        "形成青年干部交流材料12篇。",
        0,
    ),
    "party": (
        "庆祝建党节“党课开讲啦”",
        "局机关三楼道德讲堂",
        "lecture",
        "党组书记讲专题党课，表彰优秀共产党员，党员重温入党誓词。",
        "表彰优秀共产党员10名，党员撰写学习体会30篇。",
        0,
    ),
    "army": (
        "“八一”慰问退役军人职工",
        "局机关五楼会议室",
        "meeting",
        "召开退役军人职工座谈会，走访慰问困难退役军人家庭。",
        "慰问退役军人职工14名，解决实际困难3件。",
        0,
    ),
    "national": (
        "“我和我的祖国”国庆主题升旗仪式",
        "局机关门前广场",
        "volunteers",
        "干部职工参加国庆升旗仪式，齐唱国歌，开展爱国主义教育主题演讲。",
        "参与干部职工90余人，评选优秀演讲作品5篇。",
        1,
    ),
    "volunteer": (
        "国际志愿者日志愿服务集中行动",
        "城东街道幸福里社区",
        "volunteers",
        "志愿服务队集中开展便民服务，表彰年度优秀志愿者。",
        "服务群众200余人次，表彰优秀志愿者10名。",
        0,
    ),
}
FESTIVAL_PEOPLE = (
    ("cjb", "2"),
    ("keshi", "2"),
    ("jingban", "2"),
    ("guancha", "2"),
    ("ducha", "1.5"),
)


def _aware(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _festival_specs(
    campaign: Campaign, yesterday: datetime.date
) -> list[tuple[Spec, datetime.date, str]]:
    """The two festivals most recently passed inside the campaign (traditional ones first),
    each with its themed activity on a day inside the festival's window."""
    passed: list[tuple[datetime.date, festivals.Occurrence]] = []
    for year in (yesterday.year, yesterday.year - 1):
        for occurrence in festivals.of_year(year):
            before = FESTIVAL_TEXTS[occurrence.festival.key][5]
            day = occurrence.day - datetime.timedelta(days=before)
            if campaign.cycle_start <= day <= yesterday:
                passed.append((day, occurrence))
    passed.sort(key=lambda p: p[0], reverse=True)
    traditional = [p for p in passed if p[1].festival.key in festivals.TRADITIONAL]
    chosen = (traditional + [p for p in passed if p not in traditional])[:2]
    found = []
    for day, occurrence in chosen:
        key, name = occurrence.festival.key, occurrence.festival.name
        title, place, scene, summary, result, _ = FESTIVAL_TEXTS[key]
        spec = Spec(
            ActivityKind.FESTIVAL,
            title,
            "办公室",
            "C5-1",
            place,
            scene,
            f"我们的节日·{name}",
            summary,
            result,
            0.0,
            15,
            120,
            FESTIVAL_PEOPLE,
        )
        found.append((spec, day, key))
    return found


def _photos(spec: Spec, day: datetime.date, rng: random.Random) -> list[SimpleUploadedFile]:
    """Two photos of the activity, drawn like the ledger demo's and dated on the day."""
    look = ledger_demo.Spec(
        code=spec.code,
        title=spec.title,
        place=spec.place,
        scene=spec.scene,
        banner=spec.banner,
        summary=spec.summary,
        result=spec.result,
        months_ago=0,
    )
    uploads = []
    for n in range(2):
        taken = _aware(day, spec.hour, rng.randint(5, 55))
        data = ledger_demo.photo(look, rng, taken)
        uploads.append(SimpleUploadedFile(f"IMG_{day:%Y%m%d}_{spec.hour:02d}{n + 1:02d}.jpg", data))
    return uploads


def _backdate(activity: Activity, at: datetime.datetime) -> None:
    """Set the recording back to the afternoon after the activity, as it was entered."""
    Activity.objects.filter(pk=activity.pk).update(created_at=at, updated_at=at)
    if activity.evidence_id is None:
        return
    EvidenceItem.objects.filter(pk=activity.evidence_id).update(created_at=at, submitted_at=at)
    EvidenceEvent.objects.filter(item_id=activity.evidence_id).update(at=at)
    EvidenceFile.objects.filter(item_id=activity.evidence_id).update(uploaded_at=at)


def load_demo_activities(campaign: Campaign) -> int:
    """Record the demo activities in `campaign`; returns how many were recorded.

    Does nothing when the campaign already has activities, so the demo loads once.
    """
    if Activity.objects.filter(campaign=campaign).exists():
        return 0
    rng = random.Random(SEED)
    unit = campaign.unit
    people = {u.username: u for u in unit_people(unit)}
    departments = {d.name: d for d in Organization.objects.departments_of(unit, active_only=True)}
    nodes = {n.code: n for n in Node.objects.filter(framework=campaign.framework, is_leaf=True)}
    now = timezone.now()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    span = min(SPAN_DAYS, max(0, (yesterday - campaign.cycle_start).days))
    planned = [
        (spec, yesterday - datetime.timedelta(days=round(spec.when * span)), "") for spec in SPECS
    ] + _festival_specs(campaign, yesterday)
    planned.sort(key=lambda p: p[1])
    recorded = 0
    for spec, day, festival in planned:
        department = departments.get(spec.department)
        node = nodes.get(spec.code)
        if department is None or node is None:
            continue
        recorder = people[RECORDERS.get(spec.department, "cjb")]
        starts = _aware(day, spec.hour)
        ends = starts + datetime.timedelta(minutes=spec.minutes)
        participants = [
            Participant(person=people[username], hours=Decimal(hours))
            for username, hours in spec.people
            if username in people
        ] + [
            Participant(external_name=name, hours=Decimal(hours), note=note)
            for name, hours, note in spec.external
        ]
        with acting_as(recorder):
            activity = services.activity_record(
                campaign=campaign,
                user=recorder,
                department=department,
                kind=spec.kind,
                title=spec.title,
                starts_at=starts,
                ends_at=min(ends, now),
                place=spec.place,
                standards=[node],
                summary=spec.summary,
                result=spec.result,
                festival=festival,
                moral_steps=spec.moral_steps or None,
                participants=participants,
                photos=_photos(spec, day, rng),
            )
        _backdate(activity, min(ends + datetime.timedelta(hours=2), now))
        recorded += 1
    _register_volunteers(campaign, people)
    _set_measures(campaign, people["cjb"])
    return recorded


# The demo's registered volunteers: username, in the national system's register (its id).
VOLUNTEERS = [
    ("keshi", "33100220190001"),
    ("jingban", "33100220200417"),
    ("keshi2", ""),
    ("cjb", "33100220180925"),
    ("ducha", ""),
]


def _register_volunteers(campaign: Campaign, people: dict[str, User]) -> None:
    coordinator = people["cjb"]
    registered_on = max(campaign.cycle_start, timezone.localdate() - datetime.timedelta(days=300))
    with acting_as(coordinator):
        for username, national_id in VOLUNTEERS:
            if username in people:
                services.volunteer_register(
                    unit=campaign.unit,
                    person=people[username],
                    user=coordinator,
                    registered_on=registered_on,
                    national=bool(national_id),
                    national_id=national_id,
                )


def _set_measures(campaign: Campaign, coordinator: User) -> None:
    """The 创建办's 一键按原文设置 on every standard whose words state a figure and a target,
    so the demo's 达标测算, scoring sheet and gap analysis show the computed figures."""
    from wenming.activities.people_access import open_suggestions

    with acting_as(coordinator):
        for found in open_suggestions(campaign):
            services.measure_set(
                campaign=campaign,
                standard=found.standard,
                user=coordinator,
                figure=found.suggestion.figure,
                target=str(found.suggestion.target),
                kind=found.suggestion.kind,
            )
