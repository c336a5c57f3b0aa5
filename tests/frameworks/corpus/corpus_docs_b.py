"""Corpus documents 06–09: Zhejiang-style rules, Shandong, a multi-sheet workbook, a flat sheet."""

from __future__ import annotations

from corpus_model import (
    BASIC,
    BONUS,
    DEDUCTION,
    VETO,
    Doc,
    Formula,
    Grid,
    Node,
    fmt,
    num,
    parse,
    render,
)

# -- 06 a Zhejiang-style system: separate 评分标准 and 分值 columns ----------------------------

ABC3 = "r=A:3 B:2 C:1 C#:0 | mode=grade | grades=A:3,B:2,C:1,C#:0"
ABC4 = "r=A:4 B:2.64 C:1.32 C#:0 | mode=grade | grades=A:4,B:2.64,C:1.32,C#:0"
MISS = "r=每缺1次扣0.5分 | mode=deduct | step=0.5"
RATE = "r=每低1个百分点扣1分，直至本项分值扣完 | mode=deduct | step=1"

ZHEJIANG = f"""
= basic
* 一、组织领导
- 建立创建工作领导小组，主要负责同志任组长，分管领导具体抓 | p=3 | {ABC3} | m=材料审核 | chk=1
- 制定年度创建工作计划并组织实施，年终有总结 | p=3 | {ABC3} | m=材料审核
- 每季度至少召开1次创建工作例会，研究解决创建中的问题 | p=2 | {MISS} | m=材料审核 | chk=1
- 创建工作纳入年度目标考核，考核结果与评先评优挂钩 | p=4 | r=有考核办法并落实得4分；有办法未落实得2分；无考核办法不得分 | m=材料审核
* 二、理论学习
- 理论学习中心组全年集中学习不少于12次 | p=4 | r=每缺1次扣0.5分 | mode=deduct | step=0.5 | m=材料审核
- 开展党的创新理论宣讲，形式多样、覆盖全体职工 | p=3 | {ABC3} | m=材料审核
- 干部职工参加理论学习测试，合格率达到100% | p=3 | {RATE} | m=材料审核
* 三、核心价值观践行
- 将社会主义核心价值观融入单位章程、规章制度 | p=4 | {ABC4} | m=材料审核 | chk=1
- 在办公场所、门户网站显著位置宣传社会主义核心价值观 | p=4 | r=好4 较好3 一般2 差0 | mode=grade | grades=好:4,较好:3,一般:2,差:0 | m=实地考察
- 干部职工核心价值观知晓率达到95% | p=3 | {RATE} | m=问卷调查 | chk=1
- 开展“最美浙江人”等先进典型学习宣传 | p=3 | {ABC3} | m=材料审核
* 四、道德建设
- 建设道德讲堂，每季度至少开展1次活动 | p=3 | {MISS} | m=材料审核
- 开展职业道德、家庭美德教育，评选身边好人 | p=3 | {ABC3} | m=材料审核
- 建立诚信制度，开展诚信承诺活动 | p=3 | {ABC3} | m=材料审核
- 开展家风家训教育活动 | p=3 | r=好3 较好2 一般1 差0 | mode=grade | grades=好:3,较好:2,一般:1,差:0 | m=材料审核
* 五、志愿服务
- 注册志愿者占在职职工比例达到30% | p=4 | {RATE} | m=网络调查
- 人均志愿服务时长每年不少于20小时 | p=3 | r=每少2小时扣0.5分 | mode=deduct | step=0.5 | m=网络调查
- 志愿服务项目化、品牌化运作 | p=3 | {ABC3} | m=材料审核
* 六、文明素养
- 开展文明礼仪培训，每年不少于2次 | p=4 | r=每缺1次扣2分 | mode=deduct | step=2 | m=材料审核
- 践行文明餐桌“光盘行动”，食堂有节约提示 | p=2 | r=好2 较好1.5 一般1 差0 | mode=grade | grades=好:2,较好:1.5,一般:1,差:0 | m=实地考察 | chk=1
- 干部职工文明出行，无闯红灯等不文明交通行为被曝光 | p=4 | r=每发现1人次扣1分 | mode=deduct | step=1 | m=征求相关部门意见
* 七、业务实绩
- 完成年度业务目标任务 | p=4 | {ABC4} | m=听取汇报
- 业务工作获得市级以上表彰或在考核中位居前列 | p=4 | r=好4 较好3 一般2 差0 | mode=grade | grades=好:4,较好:3,一般:2,差:0 | m=征求相关部门意见
- 服务窗口规范化建设，推行“最多跑一次”改革 | p=4 | {ABC4} | m=实地考察
- 服务对象满意率达到95% | p=4 | {RATE} | m=问卷调查
* 八、文化建设
- 建有职工书屋、文体活动场所并正常开放 | p=4 | {ABC4} | m=实地考察
- 全年开展文体活动不少于4次 | p=4 | r=每缺1次扣1分 | mode=deduct | step=1 | m=材料审核
* 九、环境与平安
- 单位环境整洁优美，无卫生死角 | p=3 | r=好3 较好2 一般1 差0 | mode=grade | grades=好:3,较好:2,一般:1,差:0 | m=实地考察
- 落实垃圾分类和控烟要求 | p=3 | r=每发现1处问题扣0.5分 | mode=deduct | step=0.5 | m=实地考察
- 年内无安全生产责任事故和刑事案件 | p=2 | r=达到得2分，未达到不得分 | mode=grade | grades=达到:2,未达到:0 | m=征求相关部门意见
= bonus | cap=5 | head=创新特色（加分项）
- 创建工作经验被省级以上推广 | p=3 | r=省级3分，市级2分 | m=材料审核 | chk=1
- 获得市级以上精神文明建设表彰 | p=2 | r=市级以上2分 | m=材料审核
- 打造特色志愿服务品牌并获市级以上认定 | p=2 | r=每项2分 | m=材料审核
= deduction | head=负面清单（扣分项）
- 干部职工违纪违法受到处理 | r=每次扣2分，最多扣10分 | per=2 | cap=10 | unit=次 | m=征求相关部门意见 | chk=1
- 单位被媒体曝光或被有效投诉 | r=每次扣1分，最多扣5分 | per=1 | cap=5 | unit=次 | m=征求相关部门意见
- 在文明城市测评中负责的点位出现问题 | r=每处扣0.5分，最多扣5分 | per=0.5 | cap=5 | unit=处 | m=实地考察
"""


def zhejiang_layout(doc: Doc) -> list[Grid]:
    g = Grid("测评细则", 6, widths=[6, 16, 46, 30, 7, 14])
    g.span("越溪市文明单位测评细则（2022年版）")
    g.span("越溪市精神文明建设指导委员会办公室　　2022年4月")
    g.span(
        "说明：1．基本指标100分；创新特色为加分项，加分最高不超过5分；负面清单在总分中扣除。"
        "2．评分标准中的等级、扣分均以本项分值为限，扣完为止。"
    )
    g.header = [g.add(["序号", "测评项目", "测评内容", "评分标准", "分值", "测评方法"])]
    basic, bonus, deduction = doc.section(BASIC), doc.section(BONUS), doc.section(DEDUCTION)
    assert basic and bonus and deduction
    counter = iter(range(1, 100))
    subtotals: list[int] = []

    def cells(n: Node) -> dict[int, object]:
        points = n.get("p")
        return {
            0: next(counter),
            2: n.title,
            3: n.get("r"),
            4: num(points) if points else None,
            5: n.get("m"),
        }

    def subtotal(grid: Grid, node: Node, depth: int, start: int, end: int) -> None:
        row = grid.add([None, "小计"])
        grid.merge(row, 1, row, 3)
        grid.rows[row][4] = Formula(f"=SUM(E{start + 1}:E{end + 1})", num(node.total()))
        subtotals.append(row)

    render(g, basic.nodes, [1], lambda n, d: n.title, cells, after_group=subtotal)
    total = g.add([None, "合计"])
    g.merge(total, 1, total, 3)
    g.rows[total][4] = Formula("=" + "+".join(f"E{r + 1}" for r in subtotals), 100)
    for section in (bonus, deduction):
        g.span(section.head)
        render(g, section.nodes, [], lambda n, d: n.title, cells)
    return [g]


# -- 07 山东省文明单位考核标准: 特色指标 inside the 100, vetoes as 10-point deductions ----------

SHANDONG = """
= basic
* 一、组织领导 | p=12
- 成立精神文明建设领导小组，主要负责同志任组长，有专门机构和人员负责 | p=3 | m=网上材料审核 | chk=1
- 精神文明建设纳入单位发展规划和年度计划，与业务工作同部署同考核 | p=3 | m=网上材料审核
- 党组织定期研究精神文明建设工作，每年不少于2次 | p=3 | m=网上材料审核
- 精神文明建设经费有保障 | p=3 | m=网上材料审核
* 二、道德建设 | p=20
- 深入开展社会主义核心价值观宣传教育，融入单位管理和日常工作 | p=4 | m=网上材料审核
- 建设道德讲堂，经常开展道德实践活动 | p=4 | m=网上材料审核
- 开展“山东好人”“身边好人”推荐评议和学习宣传 | p=4 | m=网上材料审核
- 加强职业道德建设，开展诚信教育和诚信承诺 | p=4 | m=网上材料审核
- 开展学雷锋志愿服务活动，注册志愿者人数不低于职工总数的10% | p=4 | m=网上材料审核
* 三、业务工作 | p=16
- 全面完成年度业务工作任务，主要业务指标居本系统前列 | p=6 | m=网上材料审核
- 服务规范，公开服务承诺，群众满意度高 | p=5 | m=网上材料审核
- 依法经营（办事），无违法违规行为 | p=5 | m=网上材料审核
* 四、文体活动 | p=10
- 建有图书室、活动室等文体活动场所 | p=4 | m=网上材料审核
- 经常开展健康有益的文体活动，每年不少于2次 | p=3 | m=网上材料审核
- 开展“我们的节日”主题活动 | p=3 | m=网上材料审核
* 五、科学管理 | p=10
- 规章制度健全，管理规范有序 | p=4 | m=网上材料审核
- 落实民主管理制度，推行政务（厂务）公开 | p=3 | m=网上材料审核
- 关心职工生活，职工合法权益得到保障 | p=3 | m=网上材料审核
* 六、环境卫生 | p=10
- 单位环境整洁优美，绿化美化亮化 | p=4 | m=网上材料审核
- 落实爱国卫生制度，开展健康教育 | p=3 | m=网上材料审核
- 室内公共场所禁止吸烟，无乱贴乱画 | p=3 | m=网上材料审核
* 七、创建活动 | p=12
- 积极参与文明城市创建活动 | p=4 | m=网上材料审核
- 开展结对帮扶共建活动，有成效 | p=4 | m=网上材料审核
- 开展文明科室、文明班组等基层创建 | p=4 | m=网上材料审核
* 八、特色指标 | p=10 | chk=1
- 精神文明建设工作有特色、有创新，形成品牌 | p=5 | m=网上材料审核 | chk=1
- 创建工作经验做法被市级以上推广或媒体宣传 | p=5 | m=网上材料审核
= deduction | head=减分事项（评选表彰年度内单位出现下列问题之一的，在总分中扣除10分）
- （1）领导班子成员发生严重违纪和违法 | per=10 | m=征求相关部门意见 | chk=1
- （2）干部职工发生刑事案件或重大治安案件 | per=10 | m=征求相关部门意见
- （3）发生重大安全生产和食品安全事故 | per=10 | m=征求相关部门意见
- （4）人员违反国家计划生育政策 | per=10 | m=征求相关部门意见
- （5）发生重大群体性事件 | per=10 | m=征求相关部门意见 | chk=1
"""


def shandong_layout(doc: Doc) -> list[Grid]:
    g = Grid("表格1", 4, widths=[4, 15, 2, 4])
    g.before = [
        "^山东省文明单位考核标准",
        "为进一步规范省级文明单位推荐、评选和考核工作，加强对全省各级文明单位的管理，根据"
        "《全国文明单位测评体系（试行）》和《山东省文明单位建设管理条例》有关精神制订本标准，"
        "供各市、省直机关、省管企业文明委在省级文明单位复查、推荐中使用。",
        "1、根据创建文明单位工作实际，考核标准共设置组织领导、道德建设、业务工作、文体活动、"
        "科学管理、环境卫生、创建活动、特色指标8个测评项目，共26条测评内容，满分为100分。",
        "2、省级文明单位考核主要采用网上材料审核的方法。",
        "3、省级文明单位的考核评价，应按照本标准，结合本地、本系统和单位实际科学进行。",
        "4、评选表彰年度内单位出现表末所列问题之一的，在总分中扣除10分。",
    ]
    g.header = [g.add(["测评项目", "测评内容", "分值", "考核方法"])]
    basic, deduction = doc.section(BASIC), doc.section(DEDUCTION)
    assert basic and deduction
    render(
        g,
        basic.nodes,
        [0],
        lambda n, d: f"{n.title}\n（{fmt(n.stated)}分）",
        lambda n: {1: n.title, 2: n.get("p"), 3: n.get("m")},
    )
    total = g.add(["合　　计", None, "100"])
    g.merge(total, 0, total, 1)
    g.span(deduction.head)
    for leaf in deduction.nodes:
        row = g.leaf(leaf, {0: leaf.title, 2: "-10", 3: leaf.get("m")})
        g.merge(row, 0, row, 1)
    g.after = ["操作说明：提供的文件、材料、图片均应反映本年度工作情况。"]
    return [g]


# -- 08 合肥-style workbook: 说明 cover, then basic, bonus and veto sheets (and a hidden one) ----

HEFEI = """
= basic
* 组织领导 | p=10 | chk=1
** 领导体制 | p=4
- 成立以主要负责同志为组长的创建工作领导小组 | p=2 | m=材料审核 | e=成立文件 | chk=1
- 创建工作有专门机构、专人负责 | p=2 | m=材料审核 | e=分工文件
** 创建规划 | p=6 | chk=1
- 制定创建规划和年度实施方案 | p=2 | m=材料审核 | e=规划、方案
- 党组织每半年至少专题研究1次创建工作 | p=2 | m=材料审核 | e=会议纪要
- 创建资料分类归档、目录清晰 | p=2 | m=材料审核 | e=档案目录
* 思想道德 | p=24
** 理论学习 | p=8
- 中心组学习制度健全，全年学习不少于12次 | p=4 | m=材料审核 | e=学习记录
- 开展职工政治理论教育和形势政策教育 | p=4 | m=材料审核
** 核心价值观 | p=8
- 社会主义核心价值观宣传教育常态化 | p=4 | m=材料审核
- 核心价值观公益广告在单位显著位置刊播 | p=4 | m=材料审核 | e=照片
** 道德建设 | p=8
- 建设道德讲堂，每季度活动不少于1次 | p=3 | m=材料审核
- 开展“合肥好人”推荐评选 | p=3 | m=材料审核
- 开展诚信教育和诚信承诺 | p=2 | m=材料审核
* 精神文明创建 | p=22
** 志愿服务 | p=8
- 建立志愿服务队，注册志愿者比例达到20% | p=4 | m=材料审核 | e=注册名单
- 常态化开展学雷锋志愿服务 | p=4 | m=材料审核
** 文明礼仪 | p=6
- 开展文明礼仪教育培训 | p=3 | m=材料审核
- 开展文明餐桌、文明交通行动 | p=3 | m=材料审核
** 结对共建 | p=8
- 与农村或社区结对共建，有协议、有活动 | p=4 | m=材料审核 | e=共建协议
- 参与全国文明城市创建常态化工作 | p=4 | m=材料审核
* 业务工作 | p=20
** 工作业绩 | p=12
- 年度工作目标全面完成 | p=4 | m=材料审核
- 主要业务指标在全省同行业领先 | p=4 | m=材料审核
- 获得市级以上业务工作表彰 | p=4 | m=材料审核 | e=表彰文件
** 优质服务 | p=8
- 落实服务承诺、首问负责、限时办结制度 | p=4 | m=材料审核
- 服务对象满意率90%以上 | p=4 | m=材料审核 | e=满意度测评报告
* 管理与文化 | p=14
** 民主管理 | p=6
- 落实职代会、政务公开等民主管理制度 | p=3 | m=材料审核
- 关心职工生活，开展困难职工帮扶 | p=3 | m=材料审核
** 文体活动 | p=8
- 建有职工书屋、文体活动室 | p=4 | m=材料审核 | e=照片
- 每年开展文体活动不少于3次 | p=4 | m=材料审核
* 环境与安全 | p=10
** 环境卫生 | p=5
- 单位环境整洁，绿化美化 | p=3 | m=材料审核 | e=照片
- 公共场所控烟、垃圾分类落实 | p=2 | m=材料审核
** 安全稳定 | p=5
- 安全生产和消防制度健全 | p=3 | m=材料审核
- 年内无安全责任事故和治安、刑事案件 | p=2 | m=材料审核 | chk=1
= bonus | cap=3 | head=二、特色工作加分（最高加3分）
- 单位获得省级以上综合性表彰 | p=1 | m=材料审核 | chk=1
- 创建经验在全市推广 | p=1 | m=材料审核
- 干部职工入选“中国好人榜”或“安徽好人” | p=1 | m=材料审核
- 特色志愿服务项目获市级以上表彰 | p=1 | m=材料审核
= veto | head=三、一票否决事项
- 班子成员发生违法犯罪、被立案审查或被追究刑事责任尚未结案的 | w=申报前12个月内 | chk=1
- 发生在全国、全省、全市有影响的安全事故或重大刑事案件的 | w=申报前12个月内
- 人口和计划生育工作政策符合率达不到100%的 | w=申报前12个月内
- 社会治安综合治理考核不达标的 | w=申报前1年度
- 行风、政风评议或效能建设考核在市系统内位居后三名的 | w=申报前1年度 | chk=1
"""


def _hefei_basic(basic_nodes: list[Node]) -> Grid:
    g = Grid("基本指标", 7, widths=[8, 14, 14, 46, 7, 12, 16])
    g.span("一、基本指标（100分）")
    g.header = [g.add(["编号", "一级指标", "二级指标", "三级指标", "分值", "考核方法", "佐证材料"])]
    item_rows = []
    for i, item in enumerate(basic_nodes):
        item.attrs["code"] = chr(65 + i)
        item_rows.append(g.add([item.get("code"), item.title, None, None, num(item.total())]))
        g.group_rows.append((item, item_rows[-1]))
        for j, content in enumerate(item.children, start=1):
            content.attrs["code"] = f"{item.get('code')}{j}"
            row = g.add([content.get("code"), None, content.title, None, num(content.total())])
            g.group_rows.append((content, row))
            for k, leaf in enumerate(content.children, start=1):
                leaf.attrs["code"] = f"{content.get('code')}-{k}"
                g.leaf(
                    leaf,
                    {
                        0: leaf.get("code"),
                        3: leaf.title,
                        4: num(leaf.get("p")),
                        5: leaf.get("m"),
                        6: leaf.get("e"),
                    },
                )
    total = g.add([None, "合计"])
    g.rows[total][4] = Formula("=" + "+".join(f"E{r + 1}" for r in item_rows), 100)
    return g


HEFEI_COVER = [
    "合肥市全国文明单位测评标准考核细则（试行）",
    "合肥市精神文明建设指导委员会办公室编制",
    "",
    "说　明",
    "1．有“一票否决”工作表所列情形之一的，不得参与文明单位评选。",
    "2．申报全国文明单位检查验收实行百分制，基础分100分，特色工作加分最高3分。",
    "3．单位没有某项指标的，书面简要说明情况。",
    "4．本次考核以“材料审核”方式一次完成，所有状态包括环境等均采用文字描述。",
    "5．提供的材料应以近两年的资料为主，材料须按“项目”分类编写目录、装订成册。",
    "6．本标准由市文明办负责解释。",
]


def hefei_layout(doc: Doc) -> list[Grid]:
    basic, bonus, veto = doc.section(BASIC), doc.section(BONUS), doc.section(VETO)
    assert basic and bonus and veto
    cover = Grid("说明", 1, widths=[100])
    for line in HEFEI_COVER:
        cover.add([line or None])
    extra = Grid("特色工作加分", 4, widths=[8, 50, 7, 12])
    extra.span(bonus.head)
    extra.header = [extra.add(["编号", "加分项目", "分值", "考核方法"])]
    for i, leaf in enumerate(bonus.nodes, start=1):
        leaf.attrs["code"] = f"X{i}"
        extra.leaf(
            leaf, {0: leaf.get("code"), 1: leaf.title, 2: num(leaf.get("p")), 3: leaf.get("m")}
        )
    vetoes = Grid("一票否决", 3, widths=[8, 60, 18])
    vetoes.span(veto.head)
    vetoes.span("有下列情形之一的，不得参与文明单位评选：")
    vetoes.header = [vetoes.add(["编号", "否决事项", "追溯期"])]
    for i, leaf in enumerate(veto.nodes, start=1):
        leaf.attrs["code"] = f"V{i}"
        vetoes.leaf(leaf, {0: leaf.get("code"), 1: leaf.title, 2: leaf.get("w")})
    lists = Grid("下拉选项", 2, widths=[14, 18], hidden=True)
    lists.add(["考核方法", "追溯期"])
    for pair in [("材料审核", "申报前12个月内"), ("实地考察", "申报前1年度"), ("问卷调查", None)]:
        lists.add(list(pair))
    return [cover, _hefei_basic(basic.nodes), extra, vetoes, lists]


# -- 09 济宁-style 计分表: a flat sheet repeating the item on every row ---------------------------

JINING = """
= basic
* 组织领导
- 成立创建文明单位领导小组，主要负责人任组长 | p=2 | m=查阅资料 | chk=1
- 有创建工作办事机构和专职（兼职）工作人员 | p=2 | m=查阅资料
- 制定创建文明单位规划和年度工作计划 | p=2 | m=查阅资料
- 党组织每年专题研究创建工作不少于2次 | p=2 | m=查阅资料
- 创建工作经费列入年度预算 | p=2 | m=查阅资料
- 创建工作资料齐全、归档规范 | p=2 | m=查阅资料
* 思想道德建设
- 理论学习中心组学习制度健全，学习记录完整 | p=3 | m=查阅资料
- 开展社会主义核心价值观宣传教育 | p=3 | m=查阅资料、实地查看
- 建设道德讲堂并经常开展活动 | p=3 | m=实地查看
- 开展“济宁好人”“身边好人”推荐评选 | p=3 | m=查阅资料
- 开展诚信教育和职业道德教育 | p=3 | m=查阅资料
- 开展学雷锋志愿服务活动 | p=3 | m=查阅资料
- 开展文明礼仪和移风易俗教育 | p=2 | m=查阅资料
* 业务工作
- 完成年度业务工作目标任务 | p=5 | m=查阅资料
- 业务工作在全市同行业中位居前列 | p=5 | m=征求意见
- 服务规范，群众满意度高 | p=4 | m=问卷调查
- 依法依规办事，年内无违法违规行为 | p=4 | m=征求意见
* 文化建设
- 建有职工书屋、文体活动室 | p=3 | m=实地查看
- 开展读书学习活动 | p=3 | m=查阅资料
- 开展群众性文体活动 | p=3 | m=查阅资料
- 开展“我们的节日”主题活动 | p=3 | m=查阅资料
* 民主管理
- 落实职工代表大会制度 | p=3 | m=查阅资料
- 推行政务（厂务）公开 | p=3 | m=查阅资料
- 规章制度健全，管理规范 | p=3 | m=查阅资料
- 关心职工生活，帮扶困难职工 | p=3 | m=查阅资料
* 社会责任
- 积极参与文明城市创建 | p=3 | m=征求意见
- 开展结对帮扶共建 | p=3 | m=查阅资料
- 参与公益慈善活动 | p=3 | m=查阅资料
- 组织志愿服务进社区 | p=3 | m=查阅资料
* 环境秩序
- 单位环境整洁优美 | p=3 | m=实地查看
- 办公秩序良好，车辆停放有序 | p=3 | m=实地查看
- 安全生产责任制落实 | p=3 | m=查阅资料
- 社会治安综合治理达标 | p=3 | m=征求意见
- 室内公共场所禁止吸烟 | p=2 | m=实地查看 | chk=1
= bonus | cap=5 | head=加分项目（最高加5分）
- 获得市级以上综合性表彰 | p=2 | m=查阅资料 | chk=1
- 创建经验在全市推广 | p=2 | m=查阅资料
- 干部职工入选市级以上“身边好人” | p=1 | m=查阅资料
"""


def jining_layout(doc: Doc) -> list[Grid]:
    g = Grid("计分表", 6, widths=[16, 46, 7, 12, 8, 16])
    g.span("济宁市创建文明单位考核指标计分表")
    g.add(["被考核单位：", None, None, "考核时间：", None, "考核人："])
    g.header = [g.add(["考核项目", "考核内容", "分值", "考核方法", "得分", "扣分原因"])]
    basic, bonus = doc.section(BASIC), doc.section(BONUS)
    assert basic and bonus

    def cells(n: Node) -> dict[int, object]:
        return {1: n.title, 2: num(n.get("p")), 3: n.get("m")}

    render(g, basic.nodes, [0], lambda n, d: n.title, cells, repeat=True)
    g.add(["合计", None, 100])
    for leaf in bonus.nodes:
        g.leaf(leaf, {0: bonus.head, **cells(leaf)})
    g.add(["总得分"])
    g.add(["考核组成员签字：", None, None, "被考核单位负责人签字："])
    return [g]


DOCS = [
    Doc(
        "06_zhejiang_style.xlsx",
        "浙江式测评细则（按 issue 11 所述：独立的“评分标准”和“分值”两列；检索库中未找到浙江省公开全文；"
        "发布机关为虚构的越溪市）",
        [
            "“评分标准”列是评分规则，不是测评标准：“A:3 B:2 C:1 C#:0”“A:4 B:2.64 C:1.32 C#:0”、"
            "“好2 较好1.5 一般1 差0”“每缺1次扣0.5分”“每低1个百分点扣1分，直至本项分值扣完”、"
            "也有普通文字（自由打分）",
            "测评项目“一、组织领导”不写分值，分值只在每项后面的“小计”行（=SUM 公式，带缓存值）",
            "“合计”行是各小计之和的公式（缓存值100）",
            "加分上限只写在表头上方的说明行里（“加分最高不超过5分”），分区标题是“创新特色（加分项）”",
            "负面清单的扣分写在评分标准列：“每次扣2分，最多扣10分”，分值列为空",
        ],
        parse(ZHEJIANG),
        zhejiang_layout,
        meta={"title": "越溪市文明单位测评细则（2022年版）", "edition_year": 2022},
    ),
    Doc(
        "07_shandong.doc",
        "《山东省文明单位考核标准》：8个测评项目（含“特色指标”）、26条测评内容、满分100分；"
        "“评选表彰年度内单位出现下列问题之一的，在总分中扣除10分”",
        [
            "Word 97-2003 .doc（由 .docx 经 LibreOffice 转换）",
            "“八、特色指标（10分）”是基本指标的第8个测评项目，计入100分（合计行100），不是加分分区",
            "原文的否决情形写成扣分：表末横跨整行的“减分事项（……在总分中扣除10分）”，5行分值“-10”",
            "表头上方有说明段落（其第4条指向表末的扣分事项）",
            "测评项目单元格纵向合并（vMerge），合计行和扣分行横向合并（gridSpan）",
        ],
        parse(SHANDONG),
        shandong_layout,
        meta={"title": "山东省文明单位考核标准"},
    ),
    Doc(
        "08_hefei_multisheet.xlsx",
        "《合肥市全国文明单位测评标准考核细则（试行）》（基础分100分、特色工作加分，说明中列出不得参评的情形），"
        "拆成多张工作表",
        [
            "第一张工作表“说明”是封面和说明文字，没有表格",
            "“基本指标”“特色工作加分”“一票否决”三张工作表各有标题行和各自的表头，须合并读取",
            "大纲式排列：分组各占一行（编号 A、A1，分值写在分值列），测评标准编号 A1-1、A1-2",
            "合计行是各一级指标分值之和的公式（缓存值100）",
            "加分上限在加分表的标题行（“二、特色工作加分（最高加3分）”）；否决表有“追溯期”列",
            "隐藏工作表“下拉选项”（数据有效性列表），应忽略",
        ],
        parse(HEFEI),
        hefei_layout,
        meta={
            "title": "合肥市全国文明单位测评标准考核细则（试行）",
            "issuer": "合肥市精神文明建设指导委员会办公室",
        },
    ),
    Doc(
        "09_jining_flat.xls",
        "济宁市创建文明单位考核指标计分表（计分表式的平铺表格）",
        [
            "Excel 97-2003 .xls；没有合并单元格：每行都重复考核项目名称，项目分值不写（按下级之和）",
            "表头上方有“被考核单位：/考核时间：/考核人：”填写行",
            "“得分”“扣分原因”两列是空白的打分栏，不是分值",
            "合计行之后是加分项，分区标签“加分项目（最高加5分）”重复写在每行的考核项目列",
            "末尾有空白的“总得分”行和签字行",
        ],
        parse(JINING),
        jining_layout,
        meta={"title": "济宁市创建文明单位考核指标计分表"},
    ),
]
