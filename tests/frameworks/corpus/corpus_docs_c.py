"""Corpus documents 10–12 (Word split by a page break, a .wps, a Gansu-style .ods) and the
broken documents that must be refused whole."""

from __future__ import annotations

from corpus_model import (
    BASIC,
    BONUS,
    VETO,
    Doc,
    Grid,
    fmt,
    num,
    parse,
    render,
)

# -- 10 云泽市 (fictitious): the 2020 national layout weighted, a table split by a page break ---

YUNZE = """
= basic
* 理想信念教育 | p=12 | chk=1
- 学习宣传贯彻党的创新理论 | d=理论学习中心组学习制度健全，开展专题学习、宣讲和研讨 | p=4 | m=材料审核 | chk=1
- 党史学习教育常态化 | d=组织开展党史、新中国史、改革开放史、社会主义发展史学习教育 | p=4 | m=材料审核
- 形势政策教育 | d=开展形势政策教育，干部职工政治认同、思想认同、情感认同不断增强 | p=4 | m=材料审核、问卷调查
* 社会主义核心价值观 | p=14
- 融入制度规范 | d=将社会主义核心价值观要求融入单位规章制度、岗位职责和行为规范 | p=4 | m=材料审核
- 宣传教育 | d=在单位显著位置刊播社会主义核心价值观公益广告 | p=4 | m=实地考察
- 主题实践活动 | d=开展爱国主义教育、国家安全教育等主题实践活动 | p=3 | m=材料审核
- 知晓认同 | d=干部职工对社会主义核心价值观的知晓率、认同率 | p=3 | m=问卷调查
* 道德建设 | p=14 | chk=1
- 道德讲堂 | d=建设道德讲堂，经常开展活动 | p=4 | m=材料审核、实地考察
- 先进典型 | d=开展道德模范、身边好人学习宣传和礼遇帮扶 | p=4 | m=材料审核
- 职业道德 | d=制定职业道德规范，开展职业道德教育和岗位练兵 | p=3 | m=材料审核 | chk=1
- 家庭家教家风 | d=开展家庭家教家风建设，评选“最美家庭” | p=3 | m=材料审核
* 学雷锋志愿服务 | p=12
- 志愿服务队伍 | d=组建志愿服务队，在全国志愿服务信息系统注册的志愿者占职工比例不低于20% | p=4 | m=网络调查
- 志愿服务活动 | d=围绕新时代文明实践开展志愿服务，每月不少于1次 | p=4 | m=材料审核
- 志愿服务制度 | d=建立志愿服务记录、评价、激励制度 | p=4 | m=材料审核
* 诚信建设 | p=10
- 诚信制度 | d=建立诚信管理制度，开展诚信承诺 | p=4 | m=材料审核
- 诚信教育 | d=开展诚信主题教育实践活动 | p=3 | m=材料审核
- 信用记录 | d=单位及法定代表人无失信记录 | p=3 | m=征求相关部门意见
* 文明风尚 | p=10
- 文明礼仪 | d=开展文明礼仪教育，推进移风易俗 | p=4 | m=材料审核
- 勤俭节约 | d=制止餐饮浪费，开展节约型机关创建 | p=3 | m=实地考察
- 网络文明 | d=开展网络文明建设，干部职工文明上网 | p=3 | m=网络调查
* 单位文化 | p=10
- 文化阵地 | d=建有职工书屋、文体活动室等文化阵地并正常开放 | p=4 | m=实地考察
- 文体活动 | d=经常开展健康向上的文化体育活动 | p=3 | m=材料审核
- 单位精神 | d=单位精神、核心理念凝练并得到职工认同 | p=3 | m=问卷调查
* 业务工作与社会责任 | p=18
- 业务实绩 | d=完成年度目标任务，业务工作水平居本地区本系统前列 | p=5 | m=征求相关部门意见
- 优质服务 | d=服务规范，群众满意度高 | p=5 | m=问卷调查
- 社会责任 | d=积极参与乡村振兴、结对帮扶和社会公益事业 | p=4 | m=材料审核
- 安全环境 | d=落实安全生产责任制，单位环境整洁有序 | p=4 | m=实地考察
= bonus | cap=10 | head=特色创建（加分项，最高加10分）
- 创建品牌 | d=精神文明建设形成有影响的特色品牌 | p=5 | m=材料审核 | chk=1
- 经验推广 | d=创建工作经验被市级以上文明委推广 | p=5 | m=材料审核
- 典型选树 | d=干部职工入选市级以上道德模范、身边好人 | p=3 | m=材料审核
- 志愿服务表彰 | d=志愿服务组织、项目或个人获市级以上表彰 | p=3 | m=材料审核
= veto | head=有下列情形之一的，实行一票否决：
- 申报前12个月内，单位领导班子成员发生严重违纪违法问题的 | w=申报前12个月内 | chk=1
- 申报前12个月内，单位发生重大安全生产事故、重大环境污染事故或重大食品药品安全事故的 | w=申报前12个月内
- 申报前12个月内，单位干部职工发生刑事案件造成恶劣影响的 | w=申报前12个月内
- 单位发生违反中央八项规定精神问题，造成恶劣社会影响的 | w=届期内
- 单位存在意识形态领域突出问题的 | w=届期内
- 弄虚作假骗取荣誉称号的 | w=届期内 | chk=1
"""

YUNZE_HEADER = [
    ["测评项目", "测评指标", "测评方法及内容", None, "分值"],
    [None, None, "测评方法", "测评内容", None],
]
YUNZE_HEADER_MERGES = [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 3), (0, 4, 1, 4)]


def _split(full: Grid, at: int, name: str, head: int) -> Grid:
    """Move full.rows[at:] to a new table that repeats the `head` header rows, as a table
    broken by a page break is; a merged cell crossing the break is left empty below it."""
    second = Grid(name, full.width, widths=full.widths, header=list(range(head)))
    second.rows = [list(r) for r in full.rows[:head]] + full.rows[at:]
    shift = head - at
    kept = []
    for r1, c1, r2, c2 in full.merges:
        if r2 < at:
            kept.append((r1, c1, r2, c2))
            if r2 < head:
                second.merges.append((r1, c1, r2, c2))
        elif r1 >= at:
            second.merges.append((r1 + shift, c1, r2 + shift, c2))
        else:
            kept.append((r1, c1, at - 1, c2))
            second.merge(head, c1, r2 + shift, c2)
    full.merges = kept
    second.leaf_rows = [(n, r + shift) for n, r in full.leaf_rows if r >= at]
    full.leaf_rows = [(n, r) for n, r in full.leaf_rows if r < at]
    second.group_rows = [(n, r + shift) for n, r in full.group_rows if r >= at]
    full.group_rows = [(n, r) for n, r in full.group_rows if r < at]
    full.rows = full.rows[:at]
    return second


def yunze_layout(doc: Doc) -> list[Grid]:
    basic, bonus, veto = doc.section(BASIC), doc.section(BONUS), doc.section(VETO)
    assert basic and bonus and veto
    g = Grid("表格1", 5, widths=[3.2, 4.2, 3.2, 12, 1.6])
    g.before = [
        "附件",
        "^云泽市文明单位测评细则（2020年版）",
        "说明：本细则依据《全国文明单位测评体系（2020年版）》，结合本市实际对测评指标赋分。"
        "基本指标100分，特色创建加分最高10分。",
    ]
    for row in YUNZE_HEADER:
        g.add(row)
    g.header = [0, 1]
    g.merges = list(YUNZE_HEADER_MERGES)
    render(
        g,
        basic.nodes,
        [0],
        lambda n, d: f"{n.title}\n（{fmt(n.stated)}分）",
        lambda n: {1: n.title, 2: n.get("m"), 3: n.get("d"), 4: n.get("p")},
    )
    total = g.add(["合　　计", None, None, None, "100"])
    g.merge(total, 0, total, 3)
    g.span(bonus.head)
    for leaf in bonus.nodes:
        row = g.leaf(leaf, {0: leaf.title, 2: leaf.get("m"), 3: leaf.get("d"), 4: leaf.get("p")})
        g.merge(row, 0, row, 1)
    # The page ends after the second standard of 道德建设 (the third item).
    moral = basic.nodes[2]
    at = next(r for n, r in g.leaf_rows if n is moral.children[2])
    second = _split(g, at, "表格2", 2)
    second.page_break_before = True
    second.after = [veto.head] + [f"{i}．{leaf.title}；" for i, leaf in enumerate(veto.nodes, 1)]
    second.after[-1] = second.after[-1].rstrip("；") + "。"
    return [g, second]


# -- 11 临河县 (fictitious), Anhui 第十届 layout, saved by WPS as .wps --------------------------

LINHE = """
= basic
* 组织领导坚强有力 | p=10 | chk=1
- 成立文明创建工作领导小组及办事机构 | p=2 | m=材料审核 | chk=1
- 制订、落实单位年度文明创建工作计划 | p=2 | m=材料审核
- 主要负责同志及班子成员带头参与文明创建活动 | p=2 | m=材料审核/网络查看
- 积极开展文明科室、班组等基层创建活动 | p=2 | m=材料审核/网络查看
- 积极参与当地文明城市、文明县城创建活动 | p=1 | m=材料审核/网络查看
- 积极开展多种形式的结对共建活动，热心支持社会公益事业 | p=1 | m=材料审核/网络查看
* 思想道德风尚良好 | p=20
- 积极开展“中国梦”宣传教育活动 | p=3 | m=材料审核/网络查看
- 深入开展社会主义核心价值观学习教育，培育践行社会主义核心价值观 | p=3 | m=材料审核/网络查看
- 注重培育、推荐、评选、学习单位先进典型 | p=3 | m=材料审核/网络查看
- 深入开展学习、评选道德模范和“中国好人”“安徽好人”活动 | p=3 | m=材料审核/网络查看
- 建立学雷锋志愿服务队，常态开展学雷锋志愿服务活动 | p=3 | m=材料审核/网络查看
- 积极建设道德讲堂，场所固定，活动经常，流程规范 | p=3 | m=材料审核/网络查看/实地考察
- 建立不少于10人的网络文明传播志愿者队伍，开展网络文明传播活动 | p=2 | m=材料审核/网络查看
* 业务工作实绩显著 | p=20
- 生产经营单位文明生产、诚信经营，经济效益和社会效益稳步提高；服务性单位工作规范，周到细致，优质高效 | p=5 | m=材料审核
- 单位主要业务指标在全县同行业中处于领先水平 | p=5 | m=材料审核
- 年内获得县级以上业务工作表彰 | p=5 | m=材料审核
- 群众对单位服务质量满意率达到90%以上 | p=5 | m=问卷调查
* 文化建设扎实有效 | p=12
- 建有图书室、文体活动室等文化阵地 | p=3 | m=实地考察
- 开展读书学习、文化讲座等活动 | p=3 | m=材料审核
- 每年开展群众性文体活动不少于2次 | p=3 | m=材料审核/网络查看
- 开展“我们的节日”主题活动 | p=3 | m=材料审核/网络查看
* 民主管理科学规范 | p=12
- 坚持民主集中制，领导班子团结协作 | p=3 | m=材料审核
- 落实职代会制度，推行政务（厂务）公开 | p=3 | m=材料审核
- 规章制度健全，管理科学规范 | p=3 | m=材料审核
- 关心职工生活，帮扶困难职工 | p=3 | m=材料审核
* 环境优美秩序良好 | p=14
- 单位环境整洁优美，绿化美化亮化 | p=3 | m=实地考察
- 办公秩序井然，车辆停放有序 | p=3 | m=实地考察
- 落实安全生产责任制，年内无安全事故 | p=3 | m=材料审核
- 落实社会治安综合治理措施，无刑事案件 | p=3 | m=材料审核
- 室内公共场所禁烟，有控烟标识 | p=2 | m=实地考察
* 社会责任积极履行 | p=12
- 积极参与扶贫济困、助残助老等公益活动 | p=3 | m=材料审核
- 参与乡村振兴和城乡结对共建 | p=3 | m=材料审核
- 开展生态环保宣传和实践活动 | p=3 | m=材料审核
- 支持社区建设，参与社区共治 | p=3 | m=材料审核 | chk=1
= veto | head=一票否决项
- 申报前12个月内领导班子成员发生严重违纪违法行为的 | m=征求相关部门意见 | w=申报前12个月内 | chk=1
- 申报前12个月内发生重大安全事故或重大刑事案件的 | m=征求相关部门意见 | w=申报前12个月内
- 单位被列入失信被执行人名单的 | m=征求相关部门意见
"""


def linhe_layout(doc: Doc) -> list[Grid]:
    basic, veto = doc.section(BASIC), doc.section(VETO)
    assert basic and veto
    g = Grid("表格1", 4, widths=[4, 15, 3.5, 1.8])
    g.before = ["^临河县文明单位测评细则", "^（2021年修订）"]
    g.header = [g.add(["测 评\n项 目", "测评内容", "测评方式", "分 值"])]
    render(
        g,
        basic.nodes,
        [0],
        lambda n, d: f"{n.title}\n（{fmt(n.stated)}分）",
        lambda n: {1: n.title, 2: n.get("m").replace("/", "\n"), 3: n.get("p")},
    )
    g.span(veto.head)
    for leaf in veto.nodes:
        row = g.leaf(leaf, {0: leaf.title, 2: leaf.get("m"), 3: "—"})
        g.merge(row, 0, row, 1)
    g.after = ["注：测评方式中“网络查看”指查看单位网站、微信公众号等网络平台。"]
    return [g]


# -- 12 明川市 (fictitious), layout of 甘肃省文明程度指数测评细则: header repeated per category ---

MINGCHUAN = """
= basic
* 一、思想道德 | p=30 | chk=1
** 理论学习
- 理论学习中心组学习制度健全，全年集中学习不少于12次 | p=3.0 | m=材料审核 | chk=1
- 开展党的创新理论宣讲进基层活动 | p=3.0 | m=材料审核
** 核心价值观
- 把社会主义核心价值观融入单位制度规范 | p=4.0 | m=材料审核
- 在单位显著位置设置核心价值观宣传内容 | p=4.0 | m=实地考察
** 道德建设
- 建设道德讲堂，常态开展活动 | p=4.0 | m=材料审核
- 开展道德模范、身边好人学习宣传 | p=4.0 | m=材料审核
** 诚信建设
- 建立诚信制度，开展诚信承诺 | p=2.5 | m=材料审核 | chk=1
- 单位无失信记录 | p=2.0 | m=问询
** 网络文明 | note=注：理论学习包括理论学习中心组学习、支部学习和职工自学；网络文明传播志愿者须实名登记。
- 建立网络文明传播志愿者队伍 | p=1.5 | m=材料审核
- 干部职工文明上网，无网络不文明行为 | p=2.0 | m=网络媒体调查
* 二、创建活动 | p=25
** 志愿服务
- 注册志愿者占在职职工20%以上 | p=3.5 | m=网络媒体调查
- 每月开展志愿服务活动 | p=3.5 | m=材料审核
** 文明礼仪
- 开展文明礼仪培训 | p=2.5 | m=材料审核
- 开展文明餐桌、文明交通行动 | p=2.5 | m=材料审核
** 移风易俗
- 干部职工婚事新办、丧事简办 | p=2.0 | m=问询
- 抵制封建迷信和陈规陋习 | p=2.0 | m=问卷调查
** 结对共建
- 与村、社区结对共建 | p=2.5 | m=材料审核
- 每年为结对对象办实事不少于2件 | p=2.5 | m=材料审核
** 参与创城 | note=注：结对共建对象由市文明办统一安排。
- 落实文明城市创建责任区任务 | p=2.0 | m=实地考察
- 参与文明交通劝导等常态化活动 | p=2.0 | m=材料审核
* 三、业务服务 | p=25
** 工作实绩
- 完成年度目标任务 | p=5.0 | m=材料审核
- 业务工作在全市同行业中位居前列 | p=5.0 | m=问询
** 窗口服务
- 公开服务承诺和办事流程 | p=3.0 | m=实地考察
- 落实首问负责、一次性告知制度 | p=3.0 | m=实地考察
** 群众满意度
- 服务对象满意率 | p=2.5 | m=问卷调查
- 年内无有效投诉 | p=2.5 | m=问询
** 依法办事
- 开展法治宣传教育 | p=2.0 | m=材料审核
- 年内无违法违规行为 | p=2.0 | m=问询
* 四、单位环境 | p=20
** 内部环境
- 环境整洁，无卫生死角 | p=3.0 | m=实地考察
- 落实垃圾分类 | p=3.0 | m=实地考察
** 安全稳定
- 安全生产责任制落实 | p=3.0 | m=材料审核
- 无重大安全事故和刑事案件 | p=2.5 | m=问询
** 文体活动
- 建有文体活动场所 | p=2.0 | m=实地考察
- 每年开展文体活动不少于3次 | p=2.5 | m=材料审核
** 健康促进 | note=注：安全稳定含安全生产、消防安全、治安防范。
- 室内公共场所禁烟 | p=2.0 | m=实地考察
- 开展健康知识普及 | p=2.0 | m=材料审核 | chk=1
"""

MINGCHUAN_HEADER = ["测评类别", "测评项目", "测评内容", "测评措施", "分值"]


def mingchuan_layout(doc: Doc) -> list[Grid]:
    basic = doc.section(BASIC)
    assert basic
    g = Grid("测评细则", 5, widths=[12, 14, 52, 12, 7], number_format="0.0")
    g.span("明川市文明单位测评细则（2023年版）")
    g.span("说　明")
    g.span("一、测评细则内容：共设置4个测评类别：思想道德、创建活动、业务服务、单位环境，共100分。")
    g.span("二、测评方法：主要采用材料审核、实地考察、问卷调查、问询、网络媒体调查五种方法。")
    number = iter(range(1, 100))
    for category in basic.nodes:
        g.header.append(g.add(MINGCHUAN_HEADER))
        for project in category.children:
            project.attrs["code"] = str(next(number))
            for i, leaf in enumerate(project.children, start=1):
                leaf.attrs["shown"] = f"{i}）{leaf.title}"
        render(
            g,
            [category],
            [0, 1],
            lambda n, d: (
                f"{n.title}\n({fmt(n.stated)}分)" if d == 0 else f"{n.get('code')} {n.title}"
            ),
            lambda n: {2: n.get("shown"), 3: n.get("m"), 4: num(n.get("p"))},
        )
        for project in category.children:
            if project.get("note"):
                g.span(project.get("note"))
    total = g.add(["合计", None, None, None, 100])
    g.merge(total, 0, total, 3)
    return [g]


# -- broken documents ------------------------------------------------------------------------

SUM_MISMATCH = """
= basic
* 一、组织领导 | p=10
- 成立创建工作领导小组，主要负责同志任组长 | p=3 | m=材料审核
- 制定年度创建工作计划并组织实施 | p=3 | m=材料审核
- 创建工作档案齐全 | p=3 | m=材料审核
* 二、思想道德 | p=30
- 开展理论学习和社会主义核心价值观教育 | p=8 | m=材料审核
- 建设道德讲堂并经常开展活动 | p=8 | m=实地考察
- 开展身边好人推荐评选 | p=7 | m=材料审核
- 开展诚信教育和诚信承诺 | p=7 | m=材料审核
* 三、创建活动 | p=30
- 常态化开展学雷锋志愿服务 | p=8 | m=材料审核
- 开展文明礼仪和移风易俗教育 | p=8 | m=材料审核
- 与社区结对共建 | p=7 | m=材料审核
- 参与文明城市创建 | p=7 | m=征求相关部门意见
* 四、业务服务 | p=30
- 完成年度业务工作目标任务 | p=10 | m=听取汇报
- 服务规范，群众满意 | p=10 | m=问卷调查
- 单位环境整洁，安全无事故 | p=10 | m=实地考察
"""


def _plain_layout(doc: Doc, name: str, title: str) -> Grid:
    g = Grid(name, 4, widths=[18, 50, 8, 14])
    g.span(title)
    g.header = [g.add(["测评项目", "测评标准", "分值", "测评方法"])]
    basic = doc.section(BASIC)
    assert basic
    render(
        g,
        basic.nodes,
        [0],
        lambda n, d: n.title if n.stated is None else f"{n.title}（{fmt(n.stated)}分）",
        lambda n: {1: n.title, 2: n.get("v") or num(n.get("p")), 3: n.get("m")},
    )
    for node, row in g.leaf_rows:
        if node.get("mark"):
            g.marks[node.get("mark")] = row
    return g


def sum_mismatch_layout(doc: Doc) -> list[Grid]:
    g = _plain_layout(doc, "测评体系", "东岭区文明单位测评表（2024年）")
    g.marks["parent"] = g.header[0] + 1
    return [g]


TEXT_POINTS = """
= basic
* 一、组织领导 | p=6
- 成立创建工作领导小组 | p=2 | m=材料审核
- 制定年度创建工作计划 | v=两分 | p=2 | m=材料审核 | mark=two
- 创建工作档案齐全 | p=2 | m=材料审核
* 二、文化建设 | p=8
- 建有职工书屋、文体活动室 | p=4 | m=实地考察
- 开展群众性文体活动 | v=若干 | m=材料审核 | mark=vague
* 三、志愿服务 | p=6
- 组建志愿服务队 | p=3 | m=材料审核
- 常态化开展志愿服务 | p=3 | m=材料审核
* 四、业务工作 | p=10
- 完成年度业务工作目标任务 | p=5 | m=听取汇报
- 服务对象满意率达到90%以上 | p=5 | m=问卷调查
"""


def text_points_layout(doc: Doc) -> list[Grid]:
    return [_plain_layout(doc, "Sheet1", "北岭县文明单位测评表")]


NEGATIVE = """
= basic
* 组织领导 | p=8
- 成立创建工作领导小组 | p=4 | m=材料审核
- 制定年度创建工作计划 | p=4 | m=材料审核
- 创建工作档案齐全 | p=2 | m=材料审核
- 未按时报送创建材料的 | v=-2 | p=-2 | m=材料审核 | mark=negative
* 文明创建 | p=12
- 开展学雷锋志愿服务 | p=4 | m=材料审核
- 开展文明礼仪教育 | p=4 | m=材料审核
- 参与文明城市创建 | p=4 | m=征求相关部门意见
"""


def negative_layout(doc: Doc) -> list[Grid]:
    g = Grid("表格1", 4, widths=[1.5, 4, 14, 2])
    g.before = ["^南岭镇文明单位测评表"]
    g.header = [g.add(["序号", "测评项目", "测评标准", "分值"])]
    basic = doc.section(BASIC)
    assert basic
    counter = iter(range(1, 100))
    render(
        g,
        basic.nodes,
        [1],
        lambda n, d: f"{n.title}（{fmt(n.stated)}分）",
        lambda n: {0: str(next(counter)), 2: n.title, 3: n.get("v") or n.get("p")},
    )
    for node, row in g.leaf_rows:
        if node.get("mark"):
            g.marks[node.get("mark")] = row
    return [g]


def no_header_layout(doc: Doc) -> list[Grid]:
    g = Grid("Sheet1", 4, widths=[18, 50, 8, 14])
    g.span("西岭区文明单位测评表")
    basic = doc.section(BASIC)
    assert basic
    render(
        g,
        basic.nodes,
        [0],
        lambda n, d: f"{n.title}（{fmt(n.stated)}分）",
        lambda n: {1: n.title, 2: num(n.get("p")), 3: n.get("m")},
    )
    return [g]


NO_HEADER = """
= basic
* 一、组织领导 | p=10
- 成立创建工作领导小组，主要负责同志任组长 | p=4 | m=材料审核
- 制定年度创建工作计划并组织实施 | p=3 | m=材料审核
- 创建工作档案齐全 | p=3 | m=材料审核
* 二、思想道德 | p=30
- 开展理论学习和社会主义核心价值观教育 | p=10 | m=材料审核
- 建设道德讲堂并经常开展活动 | p=10 | m=实地考察
- 开展身边好人推荐评选 | p=10 | m=材料审核
* 三、创建活动 | p=30
- 常态化开展学雷锋志愿服务 | p=15 | m=材料审核
- 开展文明礼仪和移风易俗教育 | p=15 | m=材料审核
* 四、业务服务 | p=30
- 完成年度业务工作目标任务 | p=15 | m=听取汇报
- 服务规范，群众满意 | p=15 | m=问卷调查
"""


DOCS = [
    Doc(
        "10_yunze_word_split.docx",
        "《全国文明单位测评体系（2020年版）》的“测评指标 + 测评方法及内容”版式，按其说明由地方赋分"
        "（发布机关为虚构的云泽市）",
        [
            "两行表头：“测评方法及内容”横跨两列（gridSpan），其余表头纵向合并（vMerge）",
            "测评项目“理想信念教育\\n（12分）”纵向合并；“测评指标”是测评标准的名称，“测评内容”是其说明",
            "表格被分页符断成两张表（表格1、表格2）：表格2重复两行表头，“道德建设”在表格2中的测评项目"
            "单元格为空（接上页）",
            "“合　　计”行横向合并四列；“特色创建（加分项，最高加10分）”横跨整行，其下各行前两列合并",
            "一票否决情形是表格下方的编号段落（“有下列情形之一的，实行一票否决：”“1．……”至“6．……”）",
        ],
        parse(YUNZE),
        yunze_layout,
        meta={"title": "云泽市文明单位测评细则（2020年版）", "edition_year": 2020},
    ),
    Doc(
        "11_linhe.wps",
        "《第十届安徽省文明单位测评细则》（2020）的版式（测评项目 | 测评内容 | 测评方式 | 分值），"
        "发布机关为虚构的临河县",
        [
            "WPS 文字 .wps（内容为 Word 97-2003 .doc 格式，经 LibreOffice 转换）",
            "表头单元格里有空格和换行（“测 评\\n项 目”“分 值”）",
            "测评项目“组织领导坚强有力\\n（10分）”纵向合并；测评方式一格多行（“材料审核\\n网络查看”）",
            "表末“一票否决项”横跨整行，其下3行前两列合并、分值写“—”；表格下方有“注：”段落",
        ],
        parse(LINHE),
        linhe_layout,
        meta={"title": "临河县文明单位测评细则", "edition_year": 2021},
    ),
    Doc(
        "12_mingchuan_repeated_header.ods",
        "《甘肃省文明程度指数测评细则（2023年版）》的版式（测评类别 | 测评项目 | 测评内容 | 测评措施 | 分值），"
        "内容为文明单位，发布机关为虚构的明川市",
        [
            "OpenDocument .ods（LibreOffice 转换）",
            "每个测评类别前重复一次表头行（原文每类一页）",
            "测评类别“一、思想道德\\n(30分)”用半角括号；测评项目“1 理论学习”全表连续编号、不写分值",
            "测评内容以“1）”“2）”开头，分值带一位小数（3.0、2.5）",
            "类别之间夹着横跨整行的“注：……”行",
        ],
        parse(MINGCHUAN),
        mingchuan_layout,
        meta={"title": "明川市文明单位测评细则（2023年版）", "edition_year": 2023},
    ),
    Doc(
        "90_broken_sum_mismatch.xlsx",
        "（坏文件）普通两级测评表，“一、组织领导（10分）”下三条标准合计9分",
        ["测评项目标题写10分，其下3条标准3+3+3=9分；没有合计行"],
        parse(SUM_MISMATCH),
        sum_mismatch_layout,
        refused=[{"mark": "parent", "fragments": ["10", "9"]}],
        allow_mismatch={"一、组织领导"},
    ),
    Doc(
        "91_broken_text_points.xls",
        "（坏文件）分值写成文字：“若干”“两分”",
        [
            "“若干”无法读成数字，必须拒绝",
            "“两分”可以读成2（在预览中说明）；读成2时“一、组织领导（6分）”的合计正好相符",
        ],
        parse(TEXT_POINTS),
        text_points_layout,
        refused=[
            {"mark": "vague", "fragments": ["若干"]},
            {
                "mark": "two",
                "fragments": ["两分"],
                "lenient": True,
                "value": "两分",
                "may_read_as": "2",
            },
        ],
        allow_mismatch={"二、文化建设"},
    ),
    Doc(
        "92_broken_negative_points.docx",
        "（坏文件）基本指标中出现负分值（没有扣分分区）",
        ["“未按时报送创建材料的”分值为 -2，位于基本指标“组织领导（8分）”之下（4+4+2-2=8）"],
        parse(NEGATIVE),
        negative_layout,
        refused=[{"mark": "negative", "fragments": ["-2"]}],
    ),
    Doc(
        "93_broken_no_header.ods",
        "（坏文件）标题行之后直接是数据，没有表头行",
        ["没有可识别的表头：导入拒绝；预览应请用户指定各列含义"],
        parse(NO_HEADER),
        no_header_layout,
        refused=[{"fragments": ["表头"]}],
    ),
]
