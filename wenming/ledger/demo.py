"""The demo ledger: about thirty evidence items over the demo campaign's tasks.

Filed through `services.item_create`, so the files are real (JPEG photos drawn here with
EXIF dates, Word documents, PDF summaries), inspected and flagged like any upload. The
ledger shows every state a reviewer meets: approved items (most), items waiting for review,
items returned with a comment, one without a photo, a recycled photo (flagged "similar"),
a photo taken months before its activity (flagged "date") and one item in the recycle bin.

Generated from a fixed seed, so every demo shows the same ledger; dates are relative to
today like the rest of the demo. Timestamps are set back to the activity dates afterwards,
so the items' histories read like months of work rather than one afternoon.
"""

from __future__ import annotations

import datetime
import functools
import io
import logging
import random
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from wenming.campaigns.models import Campaign
from wenming.ledger import services
from wenming.ledger.models import EventKind, EvidenceEvent, EvidenceFile, EvidenceItem
from wenming.tasks.models import Task
from wenming.tasks.services import tasks_refresh_proof
from wenming.trace.context import acting_as

SEED = 2026
CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
PHOTO_SIZE = (960, 720)

NAMES = [
    "王建国",
    "李秀英",
    "张伟",
    "刘洋",
    "陈静",
    "杨帆",
    "赵敏",
    "黄磊",
    "周婷",
    "吴昊",
    "徐丽",
    "孙强",
    "胡晓",
    "朱琳",
    "高峰",
    "林芳",
    "何勇",
    "郭佳",
    "马骏",
    "罗娟",
    "梁晨",
    "宋雪",
    "郑凯",
    "谢丹",
    "韩冰",
    "唐宁",
    "冯涛",
    "于慧",
    "董明",
    "萧然",
]


@dataclass(frozen=True)
class Spec:
    """One evidence item of the demo ledger."""

    code: str  # the standard whose task it proves
    title: str
    place: str
    scene: str  # lecture | volunteers | window | meeting | cleanup
    banner: str
    summary: str
    result: str
    months_ago: float
    people: int = 30
    state: str = "approved"  # approved | submitted | returned | resubmitted | binned
    comment: str = ""
    photos: int = 2
    docs: tuple[str, ...] = ("方案",)
    pdf: bool = False
    special: str = ""  # no_photo | recycled | late_photo
    extra: dict[str, str] = field(default_factory=dict)


SPECS: list[Spec] = [
    # 道德讲堂, quarterly
    Spec(
        "C2-2",
        "第一期道德讲堂：身边好人讲敬业",
        "局机关三楼道德讲堂",
        "lecture",
        "道德讲堂",
        "按照“唱歌曲、学模范、诵经典、发善心、送吉祥”五个环节开展，邀请市级“身边好人”"
        "、窗口科室业务骨干讲述扎根基层、热情服务的故事，全体干部职工齐诵《弟子规》选段。",
        "干部职工撰写心得体会32篇，评选“敬业之星”3名，在局微信公众号专题报道。",
        9.5,
        people=68,
        docs=("方案", "签到表"),
    ),
    Spec(
        "C2-2",
        "第二期道德讲堂：诚信守法 服务为民",
        "局机关三楼道德讲堂",
        "lecture",
        "道德讲堂",
        "围绕诚信经营主题，由登记注册科科长讲述企业信用修复中的暖心故事，"
        "观看诚信主题微电影，全体人员签订诚信承诺书。",
        "收集诚信承诺书112份，形成“诚信服务十条”在各窗口公示。",
        6.8,
        people=74,
        docs=("方案", "签到表"),
    ),
    Spec(
        "C2-2",
        "第三期道德讲堂：孝老爱亲 家风传承",
        "局机关三楼道德讲堂",
        "lecture",
        "道德讲堂",
        "邀请“最美家庭”代表分享家风故事，青年干部诵读《朱子家训》，现场开展“一封家书”活动。",
        "征集家书46封，评选“文明家庭”5户并张榜公示。",
        3.9,
        people=61,
        docs=("方案", "签到表"),
        special="late_photo",
        state="returned",
        comment="第2张照片的拍摄日期比活动日期早了约4个月，请核实是否为本期活动照片并更换。",
    ),
    Spec(
        "C2-2",
        "第四期道德讲堂：学习身边的雷锋",
        "局机关三楼道德讲堂",
        "lecture",
        "道德讲堂",
        "综合执法支队队员讲述夜间巡查中救助走失老人的经过，全体干部职工合唱《学习雷锋好榜样》。",
        "12名青年干部报名加入志愿服务队，活动在市文明网刊发。",
        0.6,
        people=58,
        docs=("方案", "签到表"),
        state="submitted",
    ),
    # 志愿服务, monthly
    Spec(
        "E2-4",
        "“学雷锋纪念日”志愿服务进社区",
        "城东街道幸福里社区",
        "volunteers",
        "学雷锋志愿服务",
        "组织党员志愿者身穿红马甲进社区，开展食品安全知识宣讲、过期药品回收和免费计量器具检定。",
        "发放宣传资料600余份，回收过期药品42盒，检定血压计、电子秤58台，居民满意度100%。",
        8.7,
        people=25,
        photos=3,
    ),
    Spec(
        "E2-4",
        "“文明交通 你我同行”路口志愿服务",
        "人民路与解放街交叉口",
        "volunteers",
        "文明交通志愿服务",
        "早高峰时段在路口劝导行人和非机动车遵守交通信号，引导共享单车规范停放。",
        "劝导不文明交通行为130余人次，整理共享单车200余辆。",
        7.6,
        people=18,
    ),
    Spec(
        "E2-4",
        "“关爱空巢老人”敬老院志愿服务",
        "临州市第二社会福利院",
        "volunteers",
        "敬老志愿服务",
        "为老人打扫房间、理发、读报，开展用药安全讲解，表演文艺节目。",
        "服务老人40余名，为12名老人建立用药安全卡片。",
        5.5,
        people=20,
        photos=3,
    ),
    Spec(
        "E2-4",
        "“清洁家园”志愿服务活动",
        "临江公园滨江步道",
        "volunteers",
        "清洁家园志愿服务",
        "沿滨江步道捡拾垃圾、清理小广告，向游客宣传垃圾分类知识。",
        "清理垃圾约300公斤、小广告160余处。",
        4.4,
        people=32,
    ),
    Spec(
        "E2-4",
        "“清洁家园”志愿服务活动",
        "临江公园滨江步道",
        "volunteers",
        "清洁家园志愿服务",
        "与上一条重复上传。",
        "与上一条重复上传。",
        4.4,
        people=32,
        photos=1,
        docs=(),
        state="binned",
        comment="重复上传，已删除",
    ),
    Spec(
        "E2-4",
        "“食品安全进校园”志愿服务",
        "临州市实验小学",
        "volunteers",
        "食品安全进校园",
        "为小学生讲解“三无”食品识别方法，检查学校食堂和周边小卖部，发放《致家长的一封信》。",
        "覆盖师生1200余人，督促周边2家小卖部下架过期食品。",
        2.3,
        people=15,
        photos=3,
    ),
    Spec(
        "E2-4",
        "重阳节敬老志愿服务",
        "城东街道幸福里社区",
        "volunteers",
        "九九重阳 敬老爱老",
        "为社区老人义务检定家用血压计，开展防范养老诈骗宣传。",
        "检定血压计35台，发放防诈骗宣传册300份。",
        1.2,
        people=16,
        state="submitted",
    ),
    Spec(
        "E1-3",
        "“岗位学雷锋 窗口树新风”主题实践",
        "政务服务中心市场监管窗口",
        "window",
        "岗位学雷锋 窗口树新风",
        "窗口设立“雷锋服务岗”，推出延时服务、预约服务和上门帮办服务。",
        "开展延时服务46次，上门帮办87件，收到群众锦旗2面。",
        8.2,
        people=12,
    ),
    # 垃圾分类
    Spec(
        "H1-2",
        "机关垃圾分类宣传培训",
        "局机关一楼大厅",
        "meeting",
        "垃圾分类 从我做起",
        "邀请市城管局专业人员讲解四分类标准，在各楼层更换分类垃圾桶并张贴标识。",
        "更换分类垃圾桶24组，干部职工分类知识测试合格率98%。",
        7.1,
        people=80,
    ),
    Spec(
        "H1-2",
        "垃圾分类督导检查",
        "局机关各楼层",
        "cleanup",
        "垃圾分类督导",
        "创建办会同综合执法支队逐层检查分类投放情况，对混投问题拍照通报。",
        "发现并整改混投问题6处，在内网通报表扬3个科室。",
        2.9,
        people=8,
    ),
    # 我们的节日、文明餐桌、诚信
    Spec(
        "C5-1",
        "“我们的节日·端午”包粽子活动",
        "机关食堂",
        "meeting",
        "我们的节日·端午",
        "开展包粽子、制作香囊、诵读屈原诗词活动，并将粽子送往结对社区困难家庭。",
        "制作粽子600余个，慰问困难家庭20户。",
        5.9,
        people=55,
        photos=3,
    ),
    Spec(
        "C5-1",
        "“我们的节日·中秋”诗词朗诵会",
        "局机关三楼多功能厅",
        "lecture",
        "我们的节日·中秋",
        "干部职工及家属朗诵中秋诗词，开展猜灯谜和“月圆话家风”分享。",
        "参与职工及家属90余人，评选优秀朗诵作品8件。",
        2.1,
        people=92,
    ),
    Spec(
        "C5-2",
        "“文明餐桌·光盘行动”进机关食堂",
        "机关食堂",
        "meeting",
        "文明餐桌 光盘行动",
        "在食堂张贴节约标识，推行小份菜和半份菜，设立“光盘监督岗”。",
        "食堂日均剩余饭菜由35公斤降至12公斤，节约约66%。",
        6.3,
        people=40,
    ),
    Spec(
        "C4-1",
        "“诚信经营 放心消费”宣传进市场",
        "城南农贸市场",
        "volunteers",
        "诚信经营 放心消费",
        "向市场经营户宣讲诚信经营要求，组织经营户签订诚信经营承诺书并上墙公示。",
        "签订承诺书156份，设立“诚信经营示范摊位”10个。",
        4.8,
        people=22,
        docs=("方案", "承诺书"),
    ),
    # 理论学习、会议、廉政
    Spec(
        "B1-2",
        "党组理论学习中心组专题学习（第一次）",
        "局机关五楼会议室",
        "meeting",
        "党组理论学习中心组学习会",
        "集中学习习近平新时代中国特色社会主义思想有关论述，班子成员结合分管工作交流发言。",
        "形成学习研讨材料9篇，明确4项改进措施。",
        9.0,
        people=11,
        docs=("纪要",),
    ),
    Spec(
        "B1-2",
        "党组理论学习中心组专题学习（第二次）",
        "局机关五楼会议室",
        "meeting",
        "党组理论学习中心组学习会",
        "围绕精神文明建设专题学习，研究部署文明单位创建重点任务。",
        "确定年度创建重点任务12项并分解到科室。",
        3.3,
        people=11,
        docs=("纪要",),
    ),
    Spec(
        "A1-1",
        "精神文明建设专题会议",
        "局机关五楼会议室",
        "meeting",
        "创建省级文明单位动员部署会",
        "局长作动员讲话，解读创建测评体系，宣读创建工作实施方案，各科室负责人表态发言。",
        "印发《创建省级文明单位实施方案》，签订目标责任书10份。",
        9.8,
        people=96,
        docs=("方案", "纪要"),
        pdf=True,
    ),
    Spec(
        "D3-2",
        "廉政警示教育大会",
        "局机关三楼多功能厅",
        "lecture",
        "廉政警示教育大会",
        "观看警示教育片，通报系统内典型案例，纪检组长上廉政党课。",
        "干部职工撰写观后感85篇，开展廉政谈话23人次。",
        5.1,
        people=88,
        state="resubmitted",
        comment="请补充活动签到表，并在“取得成效”中写明观后感数量。",
    ),
    # 食品安全监管科 (jingban): window service and workplace
    Spec(
        "F2-2",
        "窗口服务“六有”自查整改",
        "政务服务中心市场监管窗口",
        "window",
        "文明服务窗口",
        "对照“六有”标准逐项自查，补充便民箱、老花镜、雨伞等便民设施，更新导引标识。",
        "整改问题5项，新增便民设施8类，群众等候时间平均缩短10分钟。",
        7.9,
        people=9,
        photos=3,
        docs=("方案",),
    ),
    Spec(
        "F2-2",
        "窗口无障碍设施改造",
        "政务服务中心市场监管窗口",
        "window",
        "无障碍服务窗口",
        "在窗口增设低位服务台和轮椅坡道，配置助听器和盲文服务指南。",
        "完成低位服务台2处，服务残障人士办事21人次。",
        3.6,
        people=6,
        state="submitted",
    ),
    Spec(
        "F2-3",
        "文明用语与佩证上岗专题培训",
        "局机关三楼会议室",
        "meeting",
        "窗口文明用语培训",
        "讲解服务礼仪、文明用语和“十不准”，现场进行情景模拟演练。",
        "培训窗口人员36人，考试合格率100%。",
        6.6,
        people=36,
    ),
    Spec(
        "F2-3",
        "窗口文明服务暗访检查",
        "政务服务中心市场监管窗口",
        "window",
        "文明服务 佩证上岗",
        "与上一期培训相呼应，暗访检查窗口人员着装、佩证和文明用语情况。",
        "",
        1.6,
        people=6,
        state="returned",
        comment="请在“取得成效”中写明检查发现的问题和整改情况。",
    ),
    Spec(
        "F3-1",
        "服务对象满意度回访",
        "食品安全监管科",
        "window",
        "服务对象满意度回访",
        "电话回访近三个月办理许可的食品经营户120户，征求对服务态度和办事效率的意见。",
        "满意率96.7%，收集意见建议9条，已全部回复。",
        4.1,
        people=4,
        photos=1,
        docs=(),
        pdf=True,
    ),
    Spec(
        "H1-1",
        "科室环境卫生大扫除暨“门前三包”检查",
        "局机关各楼层及门前区域",
        "cleanup",
        "环境卫生大扫除",
        "清理办公室杂物和卫生死角，检查门前“三包”责任落实情况。",
        "清理杂物1.2吨，整改卫生死角7处。",
        6.0,
        people=45,
        photos=3,
    ),
    Spec(
        "H1-1",
        "办公环境整治回头看",
        "局机关各楼层及门前区域",
        "cleanup",
        "环境卫生大扫除",
        "对上次大扫除整改的卫生死角进行复查，巩固整治成果。",
        "7处卫生死角全部整改到位。",
        1.0,
        people=10,
        photos=1,
        special="recycled",
        state="submitted",
    ),
    # 登记注册科 (keshi2)
    Spec(
        "F2-1",
        "首问负责、限时办结等服务制度上墙公开",
        "政务服务中心市场监管窗口",
        "window",
        "服务承诺公开",
        "修订首问负责、服务承诺、限时办结、一次性告知、投诉处理五项制度，在窗口和网站公开。",
        "五项制度全部公开，投诉处理平均时限缩短至2个工作日。",
        8.4,
        people=8,
        docs=("制度",),
    ),
    Spec(
        "F2-4",
        "窗口作风暗访自查",
        "登记注册科",
        "window",
        "",
        "科室组织人员以办事群众身份暗访窗口，重点检查“门难进、脸难看、事难办”问题。",
        "未发现推诿扯皮现象，提出改进建议3条。",
        2.6,
        docs=("记录",),
        special="no_photo",
        state="submitted",
    ),
    Spec(
        "F1-1",
        "企业登记“一网通办”工作总结",
        "登记注册科",
        "window",
        "企业开办一网通办",
        "推行企业开办全程网办，压缩开办时间，设立帮办代办专区。",
        "企业开办时间压缩至1个工作日内，全程网办率达92%。",
        5.3,
        people=10,
        photos=1,
        docs=(),
        pdf=True,
    ),
]


# --- generated files -------------------------------------------------------------------------


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    if CJK_FONT.exists():
        return ImageFont.truetype(str(CJK_FONT), size)
    return ImageFont.load_default()


def _has_cjk() -> bool:
    return CJK_FONT.exists()


def _text(draw: ImageDraw.ImageDraw, xy: tuple[int, int], text: str, size: int, fill: str) -> None:
    if text and (_has_cjk() or text.isascii()):
        draw.text(xy, text, font=_font(size), fill=fill)


def _person(
    draw: ImageDraw.ImageDraw, x: int, y: int, scale: float, shirt: tuple[int, ...]
) -> None:
    head = int(14 * scale)
    draw.ellipse((x - head, y - head * 3, x + head, y - head), fill=(40, 30, 25))
    draw.rectangle((x - head * 2, y - head, x + head * 2, y + head * 3), fill=shirt)


def photo(spec: Spec, rng: random.Random, taken: datetime.datetime) -> bytes:
    """A scene of the activity: a room, people, a red banner with its name, a date stamp."""
    w, h = PHOTO_SIZE
    wall = tuple(rng.randint(150, 235) for _ in range(3))
    im = Image.new("RGB", (w, h), wall)
    draw = ImageDraw.Draw(im)
    outdoor = spec.scene in ("volunteers", "cleanup")
    horizon = rng.randint(int(h * 0.45), int(h * 0.62))
    if outdoor:
        for y in range(horizon):  # sky
            shade = int(120 + 110 * y / horizon)
            draw.line((0, y, w, y), fill=(shade - 60, shade - 20, 255))
        ground = (rng.randint(90, 140), rng.randint(110, 160), rng.randint(70, 110))
        draw.rectangle((0, horizon, w, h), fill=ground)
        for _ in range(rng.randint(2, 5)):  # trees and buildings
            x = rng.randint(0, w)
            top = rng.randint(horizon // 3, horizon - 40)
            draw.rectangle((x, top, x + rng.randint(60, 180), horizon), fill=(160, 150, 140))
    else:
        floor = tuple(max(0, c - 70) for c in wall)
        draw.rectangle((0, horizon, w, h), fill=floor)
        for _ in range(rng.randint(1, 3)):  # windows
            x = rng.randint(0, w - 160)
            draw.rectangle((x, 60, x + 150, horizon - 60), fill=(200, 225, 245), outline="white")
    if spec.banner:
        bw = rng.randint(int(w * 0.55), int(w * 0.85))
        bx = rng.randint(10, w - bw - 10)
        by = rng.randint(20, 90)
        draw.rectangle((bx, by, bx + bw, by + 90), fill=(190, 20, 25))
        size = min(56, int(bw * 0.9 / max(1, len(spec.banner))))
        _text(draw, (bx + 24, by + (90 - size) // 2 - 6), spec.banner, size, "#ffe680")
    if spec.scene == "window":
        draw.rectangle((0, horizon - 40, w, horizon + 60), fill=(120, 90, 60))
        _text(draw, (rng.randint(20, w - 300), horizon - 30), "市场监管服务窗口", 30, "white")
    if spec.scene == "lecture" or spec.scene == "meeting":
        px = rng.randint(w // 4, 3 * w // 4)
        draw.rectangle((px - 60, horizon - 80, px + 60, horizon + 40), fill=(130, 40, 30))
    vest = (210, 30, 30) if outdoor else tuple(rng.randint(20, 90) for _ in range(3))
    rows = rng.randint(2, 4)
    for row in range(rows):
        y = horizon + 60 + row * (h - horizon - 60) // rows
        scale = 1.0 + row * 0.5
        for _ in range(rng.randint(4, 9)):
            shirt = vest if rng.random() < 0.8 else tuple(rng.randint(0, 255) for _ in range(3))
            _person(draw, rng.randint(20, w - 20), y, scale, shirt)
    _text(draw, (w - 290, h - 44), taken.strftime("%Y-%m-%d %H:%M"), 28, "#ffa500")
    exif = Image.Exif()
    exif[0x010F] = "HUAWEI"
    exif[0x0110] = "P60"
    exif.get_ifd(0x8769)[36867] = taken.strftime("%Y:%m:%d %H:%M:%S")
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=82, exif=exif)
    return buf.getvalue()


def recycled(original: bytes, taken: datetime.datetime) -> bytes:
    """The same picture a little smaller and recompressed, re-dated: a reused photo whose
    date was edited, so only its content gives it away."""
    im = Image.open(io.BytesIO(original))
    exif = im.getexif()
    exif.get_ifd(0x8769)[36867] = taken.strftime("%Y:%m:%d %H:%M:%S")
    smaller = im.resize((int(im.width * 0.9), int(im.height * 0.9)))
    buf = io.BytesIO()
    smaller.save(buf, "JPEG", quality=70, exif=exif)
    return buf.getvalue()


def document(spec: Spec, kind: str, day: datetime.date, rng: random.Random) -> bytes:
    import docx

    doc = docx.Document()
    if kind == "签到表":
        doc.add_heading(f"{spec.title}签到表", level=1)
        doc.add_paragraph(f"时间：{day:%Y年%m月%d日}    地点：{spec.place}")
        people = rng.sample(NAMES, min(len(NAMES), max(6, min(spec.people, 20))))
        table = doc.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, ("序号", "姓名", "签名"), strict=True):
            cell.text = text
        for n, name in enumerate(people, 1):
            row = table.add_row().cells
            row[0].text, row[1].text, row[2].text = str(n), name, name
    else:
        heading = {"方案": "活动方案", "纪要": "会议纪要", "承诺书": "诚信经营承诺书"}.get(
            kind, kind
        )
        doc.add_heading(f"{spec.title}{heading}", level=1)
        doc.add_paragraph(f"时间：{day:%Y年%m月%d日}")
        doc.add_paragraph(f"地点：{spec.place}")
        doc.add_paragraph(f"参加人员：干部职工{spec.people}人")
        doc.add_heading("一、基本情况", level=2)
        doc.add_paragraph(spec.summary)
        doc.add_heading("二、工作要求", level=2)
        doc.add_paragraph(
            "各科室要高度重视，按时组织人员参加；办公室负责拍摄照片、收集资料，"
            "活动结束后三个工作日内将台账上传至文明创建管理平台。"
        )
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def summary_pdf(spec: Spec, day: datetime.date) -> bytes:
    from weasyprint import HTML

    font = "Noto Sans CJK SC, sans-serif"
    paragraphs = "".join(
        f"<p>{text}</p>"
        for text in (
            spec.summary,
            spec.result,
            "下一步，我们将继续对照测评体系要求，把各项工作抓实抓细，形成长效机制。",
        )
    )
    html = (
        f'<html><head><meta charset="utf-8"><style>body{{font-family:{font};font-size:14pt;'
        f"line-height:1.8}} h1{{text-align:center;font-size:20pt}}</style></head><body>"
        f"<h1>{spec.title}工作总结</h1><p style='text-align:center'>"
        f"临州市市场监督管理局 {day:%Y年%m月%d日}</p>{paragraphs}</body></html>"
    )
    # WeasyPrint logs each layout step at INFO; `make run` should not print them.
    progress = logging.getLogger("weasyprint.progress")
    level = progress.level
    progress.setLevel(logging.WARNING)
    try:
        return HTML(string=html).write_pdf()
    finally:
        progress.setLevel(level)


# --- filing -----------------------------------------------------------------------------------


def _aware(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _uploader(task: Task, users: dict[str, User]) -> User:
    lead = task.lead_department.name if task.lead_department else ""
    if lead == "食品安全监管科":
        return users["jingban"]
    if lead == "登记注册科":
        return users["keshi2"]
    return users["cjb"]


def load_demo_evidence(campaign: Campaign) -> int:
    """File the demo ledger into `campaign`; returns how many items were filed.

    Does nothing when the campaign already has evidence, so the demo loads once.
    """
    if EvidenceItem.objects.filter(campaign=campaign).exists():
        return 0
    rng = random.Random(SEED)
    users = {u.username: u for u in User.objects.filter(username__in=["jingban", "keshi2", "cjb"])}
    office = users["cjb"]
    tasks: dict[str, Task] = {}
    for candidate in (
        Task.objects.filter(
            campaign=campaign, deleted_at__isnull=True, lead_department__isnull=False
        )
        .select_related("lead_department")
        .prefetch_related("standards")
        .order_by("id")
    ):
        for node in candidate.standards.all():
            tasks.setdefault(node.code, candidate)
    today = timezone.localdate()
    now = timezone.now()
    first_photos: dict[str, bytes] = {}
    filed = 0
    for spec in SPECS:
        task = tasks.get(spec.code)
        if task is None:
            continue
        day = today - datetime.timedelta(days=round(spec.months_ago * 30.4) + rng.randint(-3, 3))
        day = min(max(day, campaign.cycle_start), today - datetime.timedelta(days=1))
        hour = rng.choice([9, 10, 14, 15])
        uploads = []
        for n in range(0 if spec.special == "no_photo" else spec.photos):
            taken = _aware(day, hour, rng.randint(0, 59))
            if spec.special == "late_photo" and n == 1:
                taken -= datetime.timedelta(days=122)
            data = photo(spec, rng, taken)
            if spec.special == "recycled" and spec.code in first_photos:
                data = recycled(first_photos[spec.code], taken)
            first_photos.setdefault(spec.code, data)
            uploads.append(SimpleUploadedFile(f"IMG_{day:%Y%m%d}_{hour:02d}{n + 1:02d}.jpg", data))
        for kind in spec.docs:
            uploads.append(
                SimpleUploadedFile(f"{spec.title}{kind}.docx", document(spec, kind, day, rng))
            )
        if spec.pdf:
            uploads.append(SimpleUploadedFile(f"{spec.title}工作总结.pdf", summary_pdf(spec, day)))
        user = _uploader(task, users)
        with acting_as(user):
            item = services.item_create(
                campaign=campaign,
                task=task,
                department=task.lead_department,  # type: ignore[arg-type]
                user=user,
                fields={
                    "title": spec.title,
                    "activity_date": day,
                    "place": spec.place,
                    "participant_count": spec.people if spec.scene != "window" else None,
                    "participants": "全体干部职工" if spec.people > 40 else "",
                    "summary": spec.summary,
                    "result": spec.result,
                },
                uploads=uploads,
            )
        if spec.state == "resubmitted":
            with acting_as(office):
                services.item_return(item=item, user=office, comment=spec.comment)
            with acting_as(user):
                services.item_resubmit(item=item, user=user, comment="已补充签到表和成效说明。")
        with acting_as(office):
            if spec.state in ("approved", "resubmitted"):
                services.item_approve(item=item, user=office)
            elif spec.state == "returned":
                services.item_return(item=item, user=office, comment=spec.comment)
            elif spec.state == "binned":
                services.item_remove(item=item, user=office, reason=spec.comment)
        _backdate(item, day, hour, now, rng)
        filed += 1
    # The tasks reported at 100 % are 已完成 only where the ledger proves them, 待佐证 elsewhere
    # (each filing above settled its own tasks; this settles the whole campaign once more).
    with acting_as(office):
        tasks_refresh_proof(campaign=campaign)
    return filed


def _backdate(
    item: EvidenceItem, day: datetime.date, hour: int, now: datetime.datetime, rng: random.Random
) -> None:
    """Spread the item's history over the days after its activity, never into the future."""
    at = _aware(day, min(hour + 3, 18), rng.randint(0, 59))
    created = min(at, now)
    stamps: dict[str, datetime.datetime] = {}
    for event in EvidenceEvent.objects.filter(item=item).order_by("at", "id"):
        at = min(at, now)
        EvidenceEvent.objects.filter(pk=event.pk).update(at=at)
        stamps[event.kind] = at
        at += datetime.timedelta(days=rng.randint(1, 4), hours=rng.randint(0, 5))
    EvidenceFile.objects.filter(item=item).update(uploaded_at=created)
    changes: dict[str, object] = {
        "created_at": created,
        "submitted_at": stamps.get(EventKind.RESUBMITTED, created),
    }
    reviewed = stamps.get(EventKind.APPROVED) or stamps.get(EventKind.RETURNED)
    if reviewed:
        changes["reviewed_at"] = reviewed
    if EventKind.REMOVED in stamps:
        changes["removed_at"] = stamps[EventKind.REMOVED]
    EvidenceItem.objects.filter(pk=item.pk).update(**changes)
