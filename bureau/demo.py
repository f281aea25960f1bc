"""Demo data: a realistic Chinese district, city or province, loaded with bulk inserts.

`manage.py demo_data --seed N --scale district|city|province` calls `demo_data_load`.

- Everything comes from the seed: each district draws from its own random stream
  (seeded with the seed and the district code), so 天宁区 is the same district at every
  scale and two loads with one seed give the same names, codes and numbers.
- Rows are written with `bulk_create` in batches, one district at a time in its own
  transaction, so memory stays flat whatever the scale (a province is ~100 districts).
  No per-row `.save()`, no per-row audit: the load writes one audit row per model kind
  saying how many rows the demo load created (that row is also the marker that tells a
  second run that demo data is there).
- The numbers are tuned against the rules in bureau/rules.py: most schools meet the
  seven resource indicators of the 2017 measures, some clearly do not (rural schools
  short of sports ground, a few short of equipment or of backbone teachers), a few
  crowded urban schools have big classes, so every "below the standard" view has
  something to show. The stored verdicts are computed at the end of each district by
  schools.services.school_stats_evaluate, the same code that keeps them up to date.

This module writes demo data only; real data goes through the services.
"""

import datetime
import math
import random
import resource
import time
import unicodedata
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, reset_queries, transaction
from django.utils.translation import gettext as _

from bureau.errors import DomainError
from bureau.models import AuditLog, Department, InspectorKind, Role, User
from bureau.rules import RESOURCE_INDICATORS
from inspections.models import InspectorZone, ZoneSchool
from schools.models import (
    ConductRecord,
    District,
    EducationGroup,
    EducationLevel,
    Rotation,
    School,
    SchoolClass,
    SchoolStage,
    SchoolYear,
    SchoolYearStat,
    Teacher,
    TeachingAssignment,
    Term,
    TrainingRecord,
)
from schools.services import school_stats_evaluate

# Printed at the end of a load. A demo database only: never a real deployment's.
DEMO_PASSWORD = "Demo-2026!"

# The marker audit rows: object_id and the start of the note.
DEMO_OBJECT_ID = "demo"
DEMO_NOTE = "demo data"

SCHOOL_YEARS = (2023, 2024, 2025)
CURRENT_YEAR = SCHOOL_YEARS[-1]
# Training hours and rotations are dated relative to the end of the latest school year,
# not to today, so the same seed always gives the same rows.
ANCHOR = datetime.date(CURRENT_YEAR + 1, 7, 5)


def term_dates(start_year, number):
    """Sept 1 – Jan 20 and Feb 15 – July 5, the usual 江苏 calendar."""
    if number == 1:
        return datetime.date(start_year, 9, 1), datetime.date(start_year + 1, 1, 20)
    return datetime.date(start_year + 1, 2, 15), datetime.date(start_year + 1, 7, 5)


# ---- geography --------------------------------------------------------------------

# (city code, city, telephone area code, ((district code, district), ...)). 江苏's thirteen
# cities with their districts and county-level units; 常州 keeps its real codes.
CITIES = (
    ("320100", "南京市", "025", ("玄武区", "秦淮区", "建邺区", "鼓楼区", "浦口区", "栖霞区", "雨花台区", "江宁区",
                                 "六合区", "溧水区", "高淳区")),
    ("320200", "无锡市", "0510", ("锡山区", "惠山区", "滨湖区", "梁溪区", "新吴区", "江阴市", "宜兴市")),
    ("320300", "徐州市", "0516", ("鼓楼区", "云龙区", "贾汪区", "泉山区", "铜山区", "丰县", "沛县", "睢宁县",
                                  "新沂市", "邳州市")),
    ("320400", "常州市", "0519", (("320402", "天宁区"), ("320404", "钟楼区"), ("320411", "新北区"),
                                  ("320412", "武进区"), ("320413", "金坛区"), ("320481", "溧阳市"))),
    ("320500", "苏州市", "0512", ("虎丘区", "吴中区", "相城区", "姑苏区", "吴江区", "常熟市", "张家港市", "昆山市",
                                  "太仓市")),
    ("320600", "南通市", "0513", ("崇川区", "通州区", "海门区", "如东县", "启东市", "如皋市", "海安市")),
    ("320700", "连云港市", "0518", ("连云区", "海州区", "赣榆区", "东海县", "灌云县", "灌南县")),
    ("320800", "淮安市", "0517", ("淮安区", "淮阴区", "清江浦区", "洪泽区", "涟水县", "盱眙县", "金湖县")),
    ("320900", "盐城市", "0515", ("亭湖区", "盐都区", "大丰区", "响水县", "滨海县", "阜宁县", "射阳县", "建湖县",
                                  "东台市")),
    ("321000", "扬州市", "0514", ("广陵区", "邗江区", "江都区", "宝应县", "仪征市", "高邮市")),
    ("321100", "镇江市", "0511", ("京口区", "润州区", "丹徒区", "丹阳市", "扬中市", "句容市")),
    ("321200", "泰州市", "0523", ("海陵区", "高港区", "姜堰区", "兴化市", "靖江市", "泰兴市")),
    ("321300", "宿迁市", "0527", ("宿城区", "宿豫区", "沭阳县", "泗阳县", "泗洪县")),
)
DEMO_CITY_CODE = "320400"
DEMO_DISTRICT_CODE = "320402"
# At city scale 常州 gets four more units (development zones and the former 戚墅堰区).
CITY_SCALE_EXTRA = (("320405", "戚墅堰区"), ("320491", "常州经开区"), ("320492", "武进高新区"),
                    ("320493", "西太湖科技产业园"))
DEMO_CITY_CODES = tuple(code for code, *_rest in CITIES)


def _districts_of(city):
    code, _name, _area, districts = city
    out = []
    for i, item in enumerate(districts):
        if isinstance(item, tuple):
            out.append(item)
        else:
            out.append((f"{code[:4]}{i + 2:02d}", item))
    return out


@dataclass(frozen=True)
class Scale:
    name: str
    schools_per_district: int
    # Teachers per class by section; the province uses fewer to land near 800,000.
    teachers_per_class: dict
    # Which terms get classes: all six, or only the current one.
    all_terms: bool
    trainings_per_teacher: tuple
    rotation_years: tuple
    batch_size: int = 2000


SCALES = {
    "district": Scale("district", 80, {"primary": 2.2, "junior": 3.4, "senior": 3.8, "special": 2.5},
                      True, (4, 8), SCHOOL_YEARS),
    "city": Scale("city", 80, {"primary": 2.2, "junior": 3.4, "senior": 3.8, "special": 2.5},
                  True, (3, 6), SCHOOL_YEARS),
    "province": Scale("province", 210, {"primary": 1.8, "junior": 2.7, "senior": 3.0, "special": 2.5},
                      False, (1, 3), (CURRENT_YEAR,), batch_size=5000),
}


def geography(scale):
    """[(city code, city name, area code, [(district code, name), ...]), ...] for a scale."""
    by_code = {c[0]: c for c in CITIES}
    changzhou = by_code[DEMO_CITY_CODE]
    if scale == "district":
        return [(DEMO_CITY_CODE, changzhou[1], changzhou[2], [(DEMO_DISTRICT_CODE, "天宁区")])]
    if scale == "city":
        return [(DEMO_CITY_CODE, changzhou[1], changzhou[2], _districts_of(changzhou) + list(CITY_SCALE_EXTRA))]
    # 常州 first, so that the demo accounts' district is built first.
    ordered = [changzhou] + [c for c in CITIES if c[0] != DEMO_CITY_CODE]
    return [(c[0], c[1], c[2], _districts_of(c)) for c in ordered]


# ---- names --------------------------------------------------------------------------

SURNAMES = (
    "王王王王李李李李张张张张刘刘刘陈陈陈杨杨黄黄赵赵吴吴周周徐徐孙孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
    "于蒋蔡余杜叶程苏魏吕丁任沈沈姚卢姜崔钟谭陆陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾顾毛郝龚邵万钱"
    "钱严武戴莫孔向汤恽瞿庄"
)
MALE_CHARS = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林阳建国志文东海峰振晨昊睿博轩哲骏毅锋亮雷彬德荣忠诚"
FEMALE_CHARS = "芳娜敏静丽艳娟霞燕玲婷雪慧颖琳倩洁萍红梅莉兰凤琴璐晶悦欣怡佳雯蕾楠月丹妍薇瑶岚菁茜蓉秀娅婕媛琪晓"


def person_name(rng, gender):
    chars = MALE_CHARS if gender == "M" else FEMALE_CHARS
    if rng.random() < 0.3:
        given = rng.choice(chars)
    else:
        given = "".join(rng.sample(chars, 2))
    return rng.choice(SURNAMES) + given


CN_DIGITS = "零一二三四五六七八九"


def cn_number(n):
    """1 → 一, 12 → 十二, 40 → 四十, 105 → 一百零五 (enough for school and zone numbers)."""
    if n < 10:
        return CN_DIGITS[n]
    if n < 20:
        return "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return CN_DIGITS[n // 10] + "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    rest = n % 100
    head = CN_DIGITS[n // 100] + "百"
    if not rest:
        return head
    return head + ("零" + CN_DIGITS[rest] if rest < 10 else cn_number(rest) if rest >= 20 else "一" + cn_number(rest))


# Street names of urban schools (常州 flavour); towns and villages for the others.
URBAN_STEMS = (
    "红梅", "北环", "觅渡", "局前街", "博爱路", "东坡", "兰陵", "清凉", "虹景", "丽华", "解放路", "中天", "青龙",
    "龙城", "翠竹", "雕庄", "茶山", "天宁", "三井", "朝阳", "花园", "新华", "桃园", "东横街", "西横街", "延陵",
    "勤业", "五星", "西新桥", "荆川", "怀德", "广化", "市北", "平冈", "正衡", "同济", "明德", "育英", "育才", "启智",
    "星辰", "春晖", "阳光", "新桥", "香山", "紫云", "凤凰", "梅林", "翠苑", "白云", "清潭", "永红", "勤丰", "芦墅",
    "丁堰", "武宜", "丽都", "晋陵", "文化宫", "青山", "南大街", "北郊", "东青", "虹桥", "龙锦", "飞龙", "和平",
    "友谊", "建设", "人民", "湖滨", "东方", "西林", "竹林", "桂花", "牡丹", "荷花", "玉兰", "银杏", "锦绣", "滨江",
    "百草园", "书院", "文庙", "龙虎塘", "河海", "新城", "泰山", "黄河", "长江", "太湖", "运河", "古运河", "天目",
    "华山", "嵩山", "衡山", "学府", "紫荆", "春江", "邹区", "常青藤", "西藏路", "关河", "罗汉路", "劳动路", "中吴",
    "湖塘桥", "星河", "鸣珂巷", "浦前", "兴隆", "永宁", "采菱", "青洋", "北直街", "钟楼", "五角场", "万福", "怀北",
    "东仓", "西仓", "小营前", "麻巷", "早科坊", "化龙巷", "织机坊", "县学街", "前后北岸", "青果巷", "篦箕巷",
    "双桂坊", "舣舟亭", "红星", "北港", "西林", "金色", "蓝天", "绿地", "白马", "青枫", "丽江", "彩虹", "晨光",
)
TOWNS = (
    "郑陆", "焦溪", "横林", "横山桥", "洛阳", "遥观", "雪堰", "前黄", "礼嘉", "嘉泽", "湟里", "西夏墅", "罗溪",
    "孟河", "薛家", "奔牛", "魏村", "尧塘", "直溪", "朱林", "薛埠", "指前", "社渚", "竹箦", "上黄", "戴埠", "南渡",
    "上兴", "埭头", "别桥", "安家", "牛塘", "卜弋", "南夏墅", "寨桥", "潘家", "漕桥", "鸣凰", "东安", "儒林",
)
VILLAGES = (
    "三河口", "焦溪", "舜山", "查家", "东青", "黄天荡", "新安", "秦巷", "牌楼", "芙蓉", "梧岗", "杨桥", "新民",
    "红星", "民主", "永安", "团结", "塘桥", "石桥", "西湾", "东岸", "北庄", "南庄", "丁家", "徐家", "蒋湾",
    "汤庄", "黄土", "白龙", "沿河", "荷花", "蔡家", "芦家", "大圩", "小河", "南湖", "湖滨", "花园", "青石",
    "湾里", "长沟", "夏溪", "前庄", "后庄", "中心", "陈桥", "吕墅", "马杭", "余巷", "戴溪",
)
ROADS = (
    "延陵中路", "和平北路", "关河东路", "罗汉路", "晋陵北路", "竹林北路", "青洋北路", "劳动东路", "中吴大道",
    "紫云路", "丽华北路", "北环路", "局前街", "东横街", "龙锦路", "通江中路", "长江北路", "河海中路", "花园街",
    "锦绣路", "新堂北路", "光华路", "常澄路", "飞龙东路", "永宁北路", "红梅南路", "兰陵北路", "博爱路",
)
GROUP_SUFFIX = "教育集团"
# The demo district's own towns (天宁区's 郑陆镇 took in 焦溪 and 三河口); others draw from TOWNS.
DISTRICT_TOWNS = {"天宁区": ("郑陆", "焦溪", "三河口")}


# ---- school plans ----------------------------------------------------------------------

# The mix of an 80-school district: (stage, location, ownership, village full school, count).
COMPOSITION = (
    (SchoolStage.PRIMARY, "urban", "public", False, 20),
    (SchoolStage.PRIMARY, "urban", "private", False, 2),
    (SchoolStage.PRIMARY, "town", "public", False, 14),
    (SchoolStage.PRIMARY, "rural", "public", False, 6),
    (SchoolStage.PRIMARY, "rural", "public", True, 4),
    (SchoolStage.JUNIOR, "urban", "public", False, 8),
    (SchoolStage.JUNIOR, "urban", "private", False, 1),
    (SchoolStage.JUNIOR, "town", "public", False, 6),
    (SchoolStage.JUNIOR, "rural", "public", False, 3),
    (SchoolStage.NINE_YEAR, "urban", "public", False, 4),
    (SchoolStage.NINE_YEAR, "urban", "private", False, 2),
    (SchoolStage.NINE_YEAR, "town", "public", False, 2),
    (SchoolStage.NINE_YEAR, "rural", "public", False, 2),
    (SchoolStage.COMPLETE, "urban", "public", False, 2),
    (SchoolStage.SPECIAL, "urban", "public", False, 1),
)

# Parallel classes per grade, by (section, location); village schools have one class a grade.
PARALLEL = {
    ("primary", "urban"): (3, 5), ("primary", "town"): (2, 3), ("primary", "rural"): (1, 2),
    ("junior", "urban"): (5, 9), ("junior", "town"): (4, 6), ("junior", "rural"): (2, 3),
    ("senior", "urban"): (6, 8),
}
PARALLEL_NINE_YEAR = {"urban": (2, 4), "town": (2, 3), "rural": (1, 2)}
GRADES = {"primary": range(1, 7), "junior": range(7, 10), "senior": range(10, 13), "special": range(1, 10)}

SUBJECT_WEIGHTS = {
    "primary": (("语文", 30), ("数学", 25), ("英语", 10), ("科学", 6), ("道德与法治", 4), ("体育", 8), ("音乐", 6),
                ("美术", 6), ("信息技术", 3), ("劳动", 2)),
    "junior": (("语文", 15), ("数学", 15), ("英语", 14), ("物理", 8), ("化学", 6), ("生物", 5), ("历史", 6),
               ("地理", 5), ("道德与法治", 7), ("体育", 7), ("音乐", 3), ("美术", 3), ("信息技术", 4), ("劳动", 2)),
    "special": (("语文", 25), ("数学", 20), ("体育", 12), ("音乐", 12), ("美术", 12), ("劳动", 19)),
}
SUBJECT_WEIGHTS["senior"] = SUBJECT_WEIGHTS["junior"]
SPORTS_ARTS = ("体育", "音乐", "美术")
HEAD_TEACHER_SUBJECTS = ("语文", "数学", "英语")

# (level, weight) by section; "above the required education" is college+ for primary and
# bachelor+ for junior (schools.indicators.ABOVE_REQUIRED_EDUCATION).
EDUCATION_WEIGHTS = {
    "primary": ((EducationLevel.SECONDARY, 2), (EducationLevel.COLLEGE, 17), (EducationLevel.BACHELOR, 74),
                (EducationLevel.MASTER, 7)),
    "junior": ((EducationLevel.SECONDARY, 1), (EducationLevel.COLLEGE, 6), (EducationLevel.BACHELOR, 80),
               (EducationLevel.MASTER, 12), (EducationLevel.DOCTOR, 1)),
    "senior": ((EducationLevel.COLLEGE, 2), (EducationLevel.BACHELOR, 78), (EducationLevel.MASTER, 19),
               (EducationLevel.DOCTOR, 1)),
    "special": ((EducationLevel.SECONDARY, 4), (EducationLevel.COLLEGE, 26), (EducationLevel.BACHELOR, 66),
                (EducationLevel.MASTER, 4)),
}
BACKBONE_WEIGHTS = ((Teacher.Backbone.COUNTY, 58), (Teacher.Backbone.CITY, 27), (Teacher.Backbone.PROVINCE, 7),
                    (Teacher.Backbone.LEADER, 5), (Teacher.Backbone.MASTER, 3))
COURSES = (
    "国培计划乡村教师培训", "省级骨干教师高级研修", "市级学科带头人培训", "新课程标准解读", "信息技术应用能力提升2.0",
    "班主任专业能力培训", "心理健康教育C证培训", "校本研修", "作业设计与评价专题", "“双减”背景下的课堂教学",
    "大单元教学设计", "师德师风专题培训", "课后服务课程建设", "教育科研方法", "学科核心素养与教学评价",
    "劳动教育课程实施", "体育与健康课程标准培训", "美育浸润行动培训", "新教师入职培训", "跨学科主题学习",
)
CONDUCT_FINDINGS = (
    ("违规组织学生参加有偿补课", True),
    ("收受学生家长礼品礼金", True),
    ("体罚、变相体罚学生", True),
    ("在工作群发布学生考试成绩排名", False),
    ("布置超量书面作业,经提醒未改正", False),
    ("上课期间擅离岗位", False),
)


@dataclass
class SchoolPlan:
    index: int
    code: str
    name: str
    stage: str
    location: str
    ownership: str
    village: bool
    address: str
    phone: str
    principal: str
    crowded: bool = False
    # (section, grade, number, boys, girls) of the current school year's first term.
    classes: list = field(default_factory=list)
    # Resource factors (1.0 = exactly the threshold) and the share of backbone teachers wanted.
    factors: dict = field(default_factory=dict)
    backbone_per_100: float = 1.3
    group: int | None = None
    pk: int | None = None

    def students(self, section):
        return sum(b + g for s, _g, _n, b, g in self.classes if s == section)

    def sections(self):
        seen = []
        for s, *_rest in self.classes:
            if s not in seen:
                seen.append(s)
        return seen


def _class_size(rng, section, location, village, crowded):
    if section == "special":
        return rng.randint(6, 12)
    if village:
        return rng.randint(12, 28)
    if location == "rural":
        return rng.randint(22, 40)
    if section == "primary":
        if crowded:
            return max(44, min(62, round(rng.gauss(50, 4))))
        roll = rng.random()
        if roll < 0.01:
            return rng.randint(51, 55)
        if roll < 0.05:
            return rng.randint(46, 50)
        return max(32, min(45, round(rng.gauss(41, 3))))
    if section == "junior":
        if crowded:
            return max(48, min(64, round(rng.gauss(54, 4))))
        if rng.random() < 0.03:
            return rng.randint(51, 55)
        return max(36, min(50, round(rng.gauss(46, 3))))
    return max(40, min(55, round(rng.gauss(48, 3))))


def _plan_sections(rng, stage, location, village):
    """[(section, parallel classes per grade), ...] for a school."""
    if stage == SchoolStage.SPECIAL:
        return [("special", 1)]
    if stage == SchoolStage.PRIMARY:
        return [("primary", 1 if village else rng.randint(*PARALLEL[("primary", location)]))]
    if stage == SchoolStage.JUNIOR:
        return [("junior", rng.randint(*PARALLEL[("junior", location)]))]
    if stage == SchoolStage.NINE_YEAR:
        lo, hi = PARALLEL_NINE_YEAR[location]
        return [("primary", rng.randint(lo, hi)), ("junior", rng.randint(lo, hi))]
    return [("junior", rng.randint(*PARALLEL[("junior", "urban")])), ("senior", rng.randint(*PARALLEL[("senior", "urban")]))]


def _composition(n_schools):
    """The 80-school mix scaled to n schools (largest remainders), at least one of each kind."""
    total = sum(row[-1] for row in COMPOSITION)
    raw = [row[-1] * n_schools / total for row in COMPOSITION]
    counts = [max(1, math.floor(x)) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - math.floor(raw[i]), reverse=True)
    i = 0
    while sum(counts) < n_schools:
        counts[order[i % len(order)]] += 1
        i += 1
    return [(*row[:-1], count) for row, count in zip(COMPOSITION, counts, strict=True)]


class _Names:
    """Unique school names inside one district."""

    def __init__(self, rng, city, district, complete_counter):
        self.rng = rng
        self.city = city
        self.district = district
        self.used = set()
        self.stems = list(URBAN_STEMS)
        rng.shuffle(self.stems)
        self.towns = list(TOWNS)
        rng.shuffle(self.towns)
        self.towns = list(DISTRICT_TOWNS.get(district, ())) or self.towns[:6]
        self.villages = list(VILLAGES)
        self.complete_counter = complete_counter
        self.town_centre = set()

    def _unique(self, candidates):
        for name in candidates:
            if name not in self.used:
                self.used.add(name)
                return name
        # Many schools of one kind in a big district: number the branches.
        for n in range(2, 100):
            for name in candidates:
                branched = name[:-2] + f"第{cn_number(n)}" + name[-2:] if name.endswith("小学") else name + f"{cn_number(n)}部"
                if branched not in self.used:
                    self.used.add(branched)
                    return branched
        raise AssertionError("ran out of school names")

    def urban(self, stage, ownership):
        c, d = self.city, self.district
        start = self.rng.randrange(len(self.stems))
        stems = self.stems[start:] + self.stems[:start]
        if stage == SchoolStage.PRIMARY:
            suffix = "双语小学" if ownership == "private" else "小学"
            return self._unique([f"{c}{d}{s}{suffix}" for s in stems])
        if stage == SchoolStage.JUNIOR:
            suffix = "实验初级中学" if ownership == "private" else ("中学" if self.rng.random() < 0.6 else "初级中学")
            return self._unique([f"{c}{s}{suffix}" for s in stems])
        if stage == SchoolStage.NINE_YEAR:
            suffix = "外国语学校" if ownership == "private" else "实验学校"
            return self._unique([f"{c}{d}{s}{suffix}" for s in stems])
        if stage == SchoolStage.COMPLETE:
            self.complete_counter[0] += 1
            return self._unique([f"{c}第{cn_number(self.complete_counter[0])}中学"])
        return self._unique([f"{c}{d}特殊教育学校", f"{c}{d}启智学校", f"{c}{d}培智学校"])

    def town(self, stage, location, village):
        towns = list(self.towns)
        self.rng.shuffle(towns)
        villages = list(self.villages)
        self.rng.shuffle(villages)
        if village:
            return self._unique([f"{t}镇{v}村完小" for t in towns for v in villages])
        if stage == SchoolStage.PRIMARY:
            centre = [f"{t}镇中心小学" for t in towns if location == "town" and t not in self.town_centre]
            if centre:
                self.town_centre.add(centre[0][: centre[0].index("镇")])
                return self._unique(centre[:1])
            return self._unique([f"{t}镇{v}小学" for t in towns for v in villages])
        if stage == SchoolStage.JUNIOR:
            return self._unique([f"{t}初级中学" for t in towns] + [f"{t}镇{v}中学" for t in towns for v in villages])
        return self._unique([f"{t}镇{v}学校" for t in towns for v in villages] + [f"{t}学校" for t in towns])


def plan_district(rng, *, city_name, area_code, district_code, district_name, n_schools, complete_counter):
    """The schools of one district with their classes and the factors their statistics follow."""
    names = _Names(rng, city_name, district_name, complete_counter)
    plans = []
    for stage, location, ownership, village, count in _composition(n_schools):
        for _i in range(count):
            if location == "urban" or stage in (SchoolStage.COMPLETE, SchoolStage.SPECIAL):
                name = names.urban(stage, ownership)
                address = f"{city_name}{district_name}{rng.choice(ROADS)}{rng.randint(1, 399)}号"
            else:
                name = names.town(stage, location, village)
                place = name[: name.index("镇") + 1] if "镇" in name else name[:2] + "镇"
                address = f"{city_name}{district_name}{place}{rng.choice(VILLAGES)}村{rng.randint(1, 99)}号"
            plans.append(SchoolPlan(
                index=len(plans), code="", name=name, stage=stage, location=location, ownership=ownership,
                village=village, address=address, phone=f"{area_code}-8{rng.randint(1000000, 9999999)}",
                principal=person_name(rng, "M" if rng.random() < 0.55 else "F"),
            ))
    # Codes follow the order a bureau would list them: by stage, then urban before rural.
    for seq, plan in enumerate(plans, start=1):
        plan.code = f"3{district_code}{seq:03d}"

    # A few crowded urban schools carry the big classes; one has a super-big class.
    urban_primary = [p for p in plans if p.stage == SchoolStage.PRIMARY and p.location == "urban" and p.ownership == "public"]
    urban_junior = [p for p in plans if p.stage == SchoolStage.JUNIOR and p.location == "urban" and p.ownership == "public"]
    n_crowded = max(1, round(len(urban_primary) * 0.1))
    for p in rng.sample(urban_primary, min(n_crowded, len(urban_primary))):
        p.crowded = True
    for p in rng.sample(urban_junior, min(max(1, round(len(urban_junior) * 0.12)), len(urban_junior))):
        p.crowded = True

    for plan in plans:
        for section, parallel in _plan_sections(rng, plan.stage, plan.location, plan.village):
            if plan.crowded:
                parallel += 1
            for grade in GRADES[section]:
                for number in range(1, parallel + 1):
                    size = _class_size(rng, section, plan.location, plan.village, plan.crowded)
                    boys = sum(1 for _ in range(size) if rng.random() < 0.52)
                    plan.classes.append((section, grade, number, boys, size - boys))
        plan.factors = _resource_factors(rng, plan)
        plan.backbone_per_100 = rng.uniform(0.45, 0.8) if rng.random() < 0.04 else rng.uniform(1.1, 1.8)

    crowded = [p for p in plans if p.crowded]
    if crowded:
        # The super-big class (≥ 66) the national statistics still count in crowded cities.
        target = rng.choice(crowded)
        i = rng.randrange(len(target.classes))
        section, grade, number, _b, _g = target.classes[i]
        size = rng.randint(66, 70)
        target.classes[i] = (section, grade, number, size // 2 + 1, size - size // 2 - 1)

    # Two education groups, each led by a strong urban school with town and rural members.
    leads = [p for p in plans if p.location == "urban" and p.ownership == "public"
             and p.stage in (SchoolStage.PRIMARY, SchoolStage.JUNIOR) and not p.crowded]
    members = [p for p in plans if p.location != "urban" and p.stage != SchoolStage.SPECIAL]
    rng.shuffle(members)
    if len(leads) >= 2:
        first = next((p for p in leads if p.stage == SchoolStage.PRIMARY), leads[0])
        second = next((p for p in leads if p.stage == SchoolStage.JUNIOR), leads[1])
        per_group = max(3, round(len(plans) * 0.05))
        for g, lead in enumerate((first, second)):
            lead.group = g
            for p in [m for m in members if m.group is None and (m.stage == lead.stage or m.stage == "nine_year")][:per_group]:
                p.group = g
    return plans


def _resource_factors(rng, plan):
    """Per-indicator factors: ≥ 1 meets the threshold, < 0.85 is a clear miss."""
    factors = {rule.code: rng.uniform(1.03, 1.5) for rule in RESOURCE_INDICATORS}
    factors["computers"] = rng.uniform(0.9, 1.7)
    if plan.location == "rural" and rng.random() < 0.5:
        factors["sports_ground_area"] = rng.uniform(0.5, 0.78)
    if rng.random() < 0.05:
        factors["equipment_value"] = rng.uniform(0.55, 0.8)
    if plan.crowded:
        factors["teaching_area"] = rng.uniform(0.87, 0.97)
        factors["sports_ground_area"] = rng.uniform(0.86, 1.0)
    return factors


# ---- rows --------------------------------------------------------------------------------


def _threshold(code, section):
    rule = next(r for r in RESOURCE_INDICATORS if r.code == code)
    return float(rule.threshold_for(section))


def _resource_need(code, primary, junior):
    """The resource a school needs to meet a per-student threshold exactly.

    A combined school's shared resources are split by enrolment with junior weighted
    1.1 (schools.indicators.section_shares), so each section gets `resource / (p + 1.1 j)`
    per student (times 1.1 for junior); the larger of the two requirements decides.
    """
    if primary and junior:
        return (primary + 1.1 * junior) * max(_threshold(code, "primary"), _threshold(code, "junior") / 1.1)
    if primary:
        return primary * _threshold(code, "primary")
    return junior * _threshold(code, "junior")


def _stat_row(rng, plan, school_year, year, scale_of_year):
    primary = round(plan.students("primary") * scale_of_year)
    junior = round(plan.students("junior") * scale_of_year)
    other = round((plan.students("senior") + plan.students("special")) * scale_of_year)
    students = primary + junior + other
    # Earlier years had a little less of everything: the district has been investing.
    growth = 1 - 0.035 * (CURRENT_YEAR - year) * rng.uniform(0.5, 1.5)
    f = {k: v * growth for k, v in plan.factors.items()}
    if plan.stage == SchoolStage.SPECIAL:
        base = {"teaching_area": other * 25, "sports_ground_area": other * 20, "equipment_value": other * 9000,
                "multimedia_classrooms": max(4, other // 8)}
    else:
        base = {
            "teaching_area": _resource_need("teaching_area", primary, junior) * f["teaching_area"],
            "sports_ground_area": _resource_need("sports_ground_area", primary, junior) * f["sports_ground_area"],
            "equipment_value": _resource_need("equipment_value", primary, junior) * f["equipment_value"],
            "multimedia_classrooms": math.ceil(
                _resource_need("multimedia_classrooms", primary, junior) / 100 * f["multimedia_classrooms"]
            ),
        }
    if plan.stage == SchoolStage.COMPLETE:
        # The senior section has its own buildings on top of what the junior section needs.
        base["teaching_area"] += other * 6.5
        base["sports_ground_area"] += other * 8
        base["equipment_value"] += other * 3500
        base["multimedia_classrooms"] += math.ceil(other * 0.025)
    rural = plan.location == "rural"
    has_junior = bool(junior) or plan.stage == SchoolStage.COMPLETE
    first_grades = sum(b + g for s, gr, _n, b, g in plan.classes if gr in (1, 7) and s != "special")
    last_grades = sum(b + g for s, gr, _n, b, g in plan.classes if gr in (6, 9) and s != "special")
    tested = round(students * rng.uniform(0.95, 1.0))
    excellent = round(tested * rng.uniform(0.12, 0.28))
    good = round(tested * rng.uniform(0.24, 0.35))
    failing = round(tested * rng.uniform(0.02, 0.07))
    myopia_rate = (primary * rng.uniform(0.3, 0.45) + (junior + other) * rng.uniform(0.6, 0.75)) / max(students, 1)
    music_rooms = rng.randint(1, 3) if students > 300 else 1
    art_rooms = rng.randint(1, 3) if students > 300 else 1
    return SchoolYearStat(
        school_id=plan.pk,
        school_year=school_year,
        primary_students=primary,
        junior_students=junior,
        other_students=other,
        teaching_area=round(base["teaching_area"]),
        sports_ground_area=round(base["sports_ground_area"]),
        equipment_value=round(base["equipment_value"]),
        multimedia_classrooms=base["multimedia_classrooms"],
        computers=math.ceil(students * 0.085 * f["computers"]),
        library_books=round(students * rng.uniform(25, 45)),
        has_music_room=rng.random() < (0.8 if rural else 0.98),
        has_pe_room=rng.random() < (0.75 if rural else 0.97),
        has_art_room=rng.random() < (0.8 if rural else 0.98),
        has_health_room=rng.random() < (0.85 if rural else 0.99),
        has_labour_room=rng.random() < (0.7 if rural else 0.93),
        has_science_room=rng.random() < (0.75 if rural else 0.96),
        labs=(rng.randint(3, 8) if has_junior else rng.randint(1, 3)),
        music_rooms=music_rooms,
        music_room_area=music_rooms * rng.randint(80, 140),
        art_rooms=art_rooms,
        art_room_area=art_rooms * rng.randint(80, 140),
        is_digital_campus=rng.random() < (0.7 if rural else 0.93),
        is_standardized=rng.random() < (0.72 if rural else 0.96),
        is_feature_school=rng.random() < 0.35,
        enrolled=round(first_grades * scale_of_year),
        graduated=round(last_grades * scale_of_year * rng.uniform(0.97, 1.02)),
        dropouts=(rng.choice((0, 0, 0, 1, 2, 3)) if rural and has_junior else 0),
        disabled_students=other if plan.stage == SchoolStage.SPECIAL else rng.choice((0, 0, 1, 1, 2, 3, 4, 6)),
        health_tested=tested,
        health_excellent=excellent,
        health_good=good,
        health_pass=max(0, tested - excellent - good - failing),
        myopia=round(students * myopia_rate),
    )


def _weighted(rng, pairs):
    values = [v for v, _w in pairs]
    weights = [w for _v, w in pairs]
    return lambda: rng.choices(values, weights)[0]


def _teacher_rows(rng, plan, district, scale, next_number):
    """The teachers of a school; returns (teachers, head-teacher slots {(section, grade, number): index})."""
    rows = []
    heads = {}
    for section in plan.sections():
        classes = [c for c in plan.classes if c[0] == section]
        students = plan.students(section)
        n = max(len(classes) + 1, round(len(classes) * scale.teachers_per_class[section] * rng.uniform(0.93, 1.07)))
        pick_subject = _weighted(rng, SUBJECT_WEIGHTS[section])
        pick_education = _weighted(rng, EDUCATION_WEIGHTS[section])
        subjects = [pick_subject() for _ in range(n)]
        # Enough sports and arts teachers for 0.9 per 100 students, the way a bureau staffs them.
        if section in ("primary", "junior"):
            wanted = math.ceil(students / 100 * 0.9 * rng.uniform(1.02, 1.45))
            others = [i for i, s in enumerate(subjects) if s not in SPORTS_ARTS and s not in HEAD_TEACHER_SUBJECTS]
            others += [i for i, s in enumerate(subjects) if s in HEAD_TEACHER_SUBJECTS][len(classes) + 2:]
            missing = wanted - sum(1 for s in subjects if s in SPORTS_ARTS)
            for i in others[: max(0, min(missing, n // 4))]:
                subjects[i] = rng.choice(SPORTS_ARTS)
        educations = [pick_education() for _ in range(n)]
        if section in ("primary", "junior"):
            needed = math.ceil(students / 100 * _threshold("teachers_above_education", section) * rng.uniform(1.02, 1.2))
            below = {"primary": (EducationLevel.SECONDARY,),
                     "junior": (EducationLevel.SECONDARY, EducationLevel.COLLEGE)}[section]
            short = needed - sum(1 for e in educations if e not in below)
            for i in [i for i, e in enumerate(educations) if e in below][: max(0, short)]:
                educations[i] = EducationLevel.BACHELOR
        ages = [min(59, max(22, round(rng.triangular(22, 59, 34)))) for _ in range(n)]
        backbone_wanted = 0
        if section in ("primary", "junior"):
            backbone_wanted = min(round(n * 0.45), round(students / 100 * plan.backbone_per_100))
        else:
            backbone_wanted = round(n * rng.uniform(0.1, 0.2))
        # Backbone titles go to experienced teachers.
        seniority = sorted(range(n), key=lambda i: -ages[i] - rng.uniform(0, 15))
        backbone = set(seniority[:backbone_wanted])
        pick_backbone = _weighted(rng, BACKBONE_WEIGHTS)
        cert_type = {"primary": "primary", "junior": "junior", "senior": "senior", "special": "primary"}[section]
        start = len(rows)
        for i in range(n):
            gender = "F" if rng.random() < {"primary": 0.78, "special": 0.75}.get(section, 0.6) else "M"
            age = ages[i]
            birth = datetime.date(CURRENT_YEAR - age, rng.randint(1, 12), rng.randint(1, 28))
            hire = datetime.date(min(CURRENT_YEAR, birth.year + rng.randint(21, 24)), 9, 1)
            joined = hire if rng.random() < 0.55 else datetime.date(rng.randint(hire.year, CURRENT_YEAR), 9, 1)
            years = CURRENT_YEAR - hire.year
            roll = rng.random()
            if years < 1:
                title = ""
            elif years < 4:
                title = Teacher.Title.THIRD if roll < 0.4 else Teacher.Title.SECOND
            elif years < 11:
                title = Teacher.Title.SECOND if roll < 0.8 else Teacher.Title.FIRST
            elif years < 20:
                title = Teacher.Title.FIRST if roll < 0.65 else Teacher.Title.SECOND if roll < 0.9 else Teacher.Title.SENIOR
            else:
                title = (Teacher.Title.PROFESSOR if roll < 0.015 else Teacher.Title.SENIOR if roll < 0.4
                         else Teacher.Title.FIRST)
            certified = rng.random() > 0.012
            number = next_number()
            rows.append(Teacher(
                district_id=district.pk,
                staff_number=f"{district.code}{number:05d}",
                name=person_name(rng, gender),
                gender=gender,
                birth_date=birth,
                school_id=plan.pk,
                section=section,
                subject=subjects[i],
                education=educations[i],
                certificate_type=cert_type if certified else "",
                certificate_number=f"{hire.year}{district.code}{'1' if section == 'primary' else '2'}{number:06d}"
                if certified else "",
                title=title,
                backbone_level=pick_backbone() if i in backbone else "",
                is_sports_arts=subjects[i] in SPORTS_ARTS,
                hire_date=hire,
                joined_school_date=joined,
                is_head_teacher=False,
                status=Teacher.Status.LEAVE if rng.random() < 0.025 else Teacher.Status.ACTIVE,
            ))
        # Head teachers: the main-subject teachers first, one class each.
        candidates = [start + i for i in range(n) if subjects[i] in HEAD_TEACHER_SUBJECTS]
        candidates += [start + i for i in range(n) if subjects[i] not in HEAD_TEACHER_SUBJECTS]
        candidates = [i for i in candidates if rows[i].status == Teacher.Status.ACTIVE]
        for (sec, grade, number, _b, _g), teacher_index in zip(classes, candidates, strict=False):
            heads[(sec, grade, number)] = teacher_index
            rows[teacher_index].is_head_teacher = True
    return rows, heads


def _training_rows(rng, teacher, per_teacher):
    """A teacher's training in the five years before ANCHOR; the totals spread around 360 hours."""
    k = rng.randint(*per_teacher)
    total = max(40.0, rng.gauss(420, 95))
    cuts = sorted(rng.random() for _ in range(k - 1))
    parts = [b - a for a, b in zip([0.0, *cuts], [*cuts, 1.0], strict=True)]
    days = sorted(rng.sample(range(30, 5 * 365 - 10), k))
    courses = rng.sample(COURSES, k)
    rows = []
    for part, day, course in zip(parts, days, courses, strict=True):
        hours = min(480, max(1, round(total * part)))
        rows.append(TrainingRecord(teacher_id=teacher.pk, course=course, hours=hours,
                                   date=ANCHOR - datetime.timedelta(days=day)))
    return rows


# ---- the load ------------------------------------------------------------------------------


@dataclass
class DemoReport:
    seed: int
    scale: str
    counts: dict
    accounts: list
    seconds: float
    peak_memory_mb: float
    password: str = DEMO_PASSWORD


class _Writer:
    """bulk_create in batches; forgets the debug query log so a long load stays flat in memory."""

    def __init__(self, batch_size):
        # SQLite caps the variables of one statement; Django splits batches further itself.
        self.batch_size = batch_size
        self.counts = {}

    def __call__(self, model, rows):
        if not rows:
            return rows
        created = model.objects.bulk_create(rows, batch_size=self.batch_size)
        self.counts[model] = self.counts.get(model, 0) + len(rows)
        reset_queries()
        return created


def demo_data_marker():
    """{"seed", "scale"} of the loaded demo data, or None when there is none."""
    row = (AuditLog.objects.filter(object_id=DEMO_OBJECT_ID, note__startswith=DEMO_NOTE)
           .order_by("-id").values("changes").first())
    if row is None:
        return None
    return {"seed": row["changes"].get("seed"), "scale": row["changes"].get("scale")}


def demo_districts():
    return District.objects.filter(code__in=DEMO_CITY_CODES) | District.objects.filter(parent__code__in=DEMO_CITY_CODES)


def demo_data_exists():
    return demo_data_marker() is not None or demo_districts().exists()


def _raw_delete(queryset):
    # One DELETE … WHERE per table instead of Django's collector, which would load every
    # row (800,000 teachers at province scale) to cascade in Python. The children are
    # deleted first, in order, so no cascade is needed.
    return queryset._raw_delete(queryset.db)


def demo_data_delete():
    """Delete the demo cities and everything in them, the demo accounts and the markers.

    Returns the number of rows deleted. School years and terms stay: they are shared.
    """
    deleted = 0
    district_ids = list(demo_districts().values_list("pk", flat=True))
    for district_id in district_ids:
        with transaction.atomic():
            in_district = {"school__district_id": district_id}
            deleted += _raw_delete(TeachingAssignment.objects.filter(teacher__district_id=district_id))
            deleted += _raw_delete(TrainingRecord.objects.filter(teacher__district_id=district_id))
            deleted += _raw_delete(ConductRecord.objects.filter(teacher__district_id=district_id))
            deleted += _raw_delete(Rotation.objects.filter(teacher__district_id=district_id))
            deleted += _raw_delete(Rotation.objects.filter(from_school__district_id=district_id))
            deleted += _raw_delete(Rotation.objects.filter(to_school__district_id=district_id))
            deleted += _raw_delete(SchoolClass.objects.filter(**in_district))
            deleted += _raw_delete(SchoolYearStat.objects.filter(**in_district))
            deleted += _raw_delete(ZoneSchool.objects.filter(**in_district))
            deleted += _raw_delete(InspectorZone.inspectors.through.objects.filter(inspectorzone__district_id=district_id))
            deleted += _raw_delete(InspectorZone.objects.filter(district_id=district_id))
            deleted += User.objects.filter(district_id=district_id).delete()[0]
            deleted += User.objects.filter(school__district_id=district_id).delete()[0]
            deleted += _raw_delete(Teacher.objects.filter(district_id=district_id))
            EducationGroup.objects.filter(district_id=district_id).update(lead_school=None)
            School.objects.filter(district_id=district_id).update(group=None)
            deleted += _raw_delete(EducationGroup.objects.filter(district_id=district_id))
            # The ORM delete here, so that records other apps attach to a school follow it.
            deleted += School.objects.filter(district_id=district_id).delete()[0]
            reset_queries()
    with transaction.atomic():
        # Every demo account but the parent works in a demo district and went above.
        deleted += User.objects.filter(username="parent", role=Role.PARENT, mobile=DEMO_PARENT[1]).delete()[0]
        children = District.objects.filter(pk__in=district_ids, parent__isnull=False)
        deleted += children.delete()[0]
        deleted += District.objects.filter(pk__in=district_ids).delete()[0]
        deleted += AuditLog.objects.filter(object_id=DEMO_OBJECT_ID, note__startswith=DEMO_NOTE).delete()[0]
    return deleted


DEMO_PARENT = ("王丽", "13912345678")

# (username, role, department code or None, where: "district" / "city" / "school" / None)
FIXED_ACCOUNTS = (
    ("admin", Role.ADMIN, None, "district"),
    ("staff_basic", Role.STAFF, "basic", "district"),
    ("staff_inspection", Role.STAFF, "inspection", "district"),
    ("staff_audit", Role.STAFF, "audit", "district"),
    ("staff_personnel", Role.STAFF, "personnel", "district"),
    ("staff_finance", Role.STAFF, "finance", "district"),
    ("staff_pe_health_arts", Role.STAFF, "pe_health_arts", "district"),
    ("leader", Role.LEADER, None, "district"),
    ("principal", Role.PRINCIPAL, None, "school"),
    ("parent", Role.PARENT, None, None),
    ("city_staff", Role.STAFF, "basic", "city"),
    ("city_leader", Role.LEADER, None, "city"),
)


def text_width(text):
    """Terminal cells of a string: Chinese characters take two (for printed tables)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def text_pad(text, width):
    return text + " " * max(0, width - text_width(text))


def _peak_memory_mb():
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def demo_data_load(*, seed, scale, reset=False, log=None):
    """Build the demo data; refuse when demo data is there already, unless `reset`."""
    if scale not in SCALES:
        raise DomainError(_("Unknown scale %(scale)s: use district, city or province.") % {"scale": scale})
    log = log or (lambda message: None)
    started = time.monotonic()
    if demo_data_exists():
        if not reset:
            marker = demo_data_marker()
            raise DomainError(
                _("Demo data is already loaded (%(what)s). Run again with --reset to delete it and load it afresh.")
                % {"what": _("seed %(seed)s, %(scale)s scale") % marker if marker else _("the demo districts exist")}
            )
        log(_("Deleting the demo data loaded before…"))
        deleted = demo_data_delete()
        log(_("Deleted %(n)s rows.") % {"n": f"{deleted:,}"})

    taken = list(User.objects.filter(username__in=[u for u, *_rest in FIXED_ACCOUNTS]).values_list("username", flat=True))
    if taken:
        raise DomainError(
            _("These accounts exist already and are not demo accounts: %(names)s. Rename them before loading demo data.")
            % {"names": ", ".join(sorted(taken))}
        )

    config = SCALES[scale]
    write = _Writer(config.batch_size)
    password = make_password(DEMO_PASSWORD)  # hashed once, shared by every demo account
    counts = {}

    with transaction.atomic():
        years, terms = _calendar()
        geo = geography(scale)
        cities = {c.code: c for c in write(District, [
            District(code=city_code, name=city_name, level=District.Level.CITY) for city_code, city_name, *_rest in geo
        ])}
        district_rows = write(District, [
            District(code=code, name=name, level=District.Level.DISTRICT, parent=cities[city_code])
            for city_code, _city, _area, districts in geo for code, name in districts
        ])
    districts = {d.code: d for d in district_rows}
    class_terms = terms if config.all_terms else [terms[-1]]

    first = None
    complete_counters = {}
    for city_code, city_name, area_code, district_list in geo:
        for code, name in district_list:
            district = districts[code]
            rng = random.Random(f"{seed}:{code}")
            counter = complete_counters.setdefault(city_code, [0])
            with transaction.atomic():
                summary = _load_district(
                    rng, write=write, config=config, district=district, city_name=city_name, area_code=area_code,
                    years=years, class_terms=class_terms, complete_counter=counter, password=password,
                    demo=code == DEMO_DISTRICT_CODE,
                )
            if first is None:
                first = summary
            log(_("%(district)s: %(schools)s schools, %(teachers)s teachers (%(seconds).0f s)") % {
                "district": f"{city_name}{name}", "schools": summary["schools"], "teachers": summary["teachers"],
                "seconds": time.monotonic() - started,
            })

    with transaction.atomic():
        accounts = _fixed_accounts(write, password=password, district=districts[DEMO_DISTRICT_CODE],
                                   city=cities[DEMO_CITY_CODE], principal_school=first["principal_school"],
                                   scale=scale, inspector=first["inspector"])
        for model, n in write.counts.items():
            label = _("inspectors in zones") if model._meta.auto_created else model._meta.verbose_name_plural
            counts[str(label)] = n
        _write_markers(write.counts, seed=seed, scale=scale)

    if connection.vendor == "postgresql":
        # Fresh statistics so the planner sees the real table sizes at once.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    return DemoReport(seed=seed, scale=scale, counts=counts, accounts=accounts,
                      seconds=time.monotonic() - started, peak_memory_mb=_peak_memory_mb())


def _calendar():
    years, terms = [], []
    for start_year in SCHOOL_YEARS:
        year, _created = SchoolYear.objects.get_or_create(start_year=start_year)
        years.append(year)
        for number in (1, 2):
            start, end = term_dates(start_year, number)
            term, _created = Term.objects.get_or_create(
                school_year=year, number=number, defaults={"start_date": start, "end_date": end}
            )
            terms.append(term)
    return years, terms


def _load_district(rng, *, write, config, district, city_name, area_code, years, class_terms, complete_counter,
                   password, demo):
    plans = plan_district(
        rng, city_name=city_name, area_code=area_code, district_code=district.code, district_name=district.name,
        n_schools=config.schools_per_district, complete_counter=complete_counter,
    )

    # Groups first (schools point at them), their lead schools once the schools have ids.
    lead_plans = {}
    for plan in plans:
        if plan.group is not None and plan.group not in lead_plans:
            lead_plans[plan.group] = plan
    groups = write(EducationGroup, [
        EducationGroup(district_id=district.pk, kind=EducationGroup.Kind.GROUP,
                       name=f"{district.name}{_short_name(lead_plans[g].name)}{GROUP_SUFFIX}")
        for g in sorted(lead_plans)
    ])
    schools = write(School, [
        School(code=p.code, name=p.name, stage=p.stage, location=p.location, ownership=p.ownership,
               is_boarding=p.location == "rural" and p.stage != SchoolStage.PRIMARY and rng.random() < 0.5,
               is_village_full=p.village, district_id=district.pk,
               group_id=groups[p.group].pk if p.group is not None else None,
               address=p.address, principal_name=p.principal, phone=p.phone)
        for p in plans
    ])
    for plan, school in zip(plans, schools, strict=True):
        plan.pk = school.pk
    for g, group in enumerate(groups):
        group.lead_school_id = lead_plans[g].pk
    EducationGroup.objects.bulk_update(groups, ["lead_school"])
    school_pks = [p.pk for p in plans]

    # Teachers, school by school, then the classes with their head teachers.
    number = [0]

    def next_number():
        number[0] += 1
        return number[0]

    teacher_rows, head_slots = [], []
    for plan in plans:
        rows, heads = _teacher_rows(rng, plan, district, config, next_number)
        offset = len(teacher_rows)
        teacher_rows.extend(rows)
        head_slots.append({k: offset + v for k, v in heads.items()})
    teachers = write(Teacher, teacher_rows)

    class_rows = []
    for term in class_terms:
        current = term is class_terms[-1]
        for plan, heads in zip(plans, head_slots, strict=True):
            for section, grade, number_, boys, girls in plan.classes:
                if not current:
                    # Earlier terms: the same classes with a few students more or fewer.
                    boys = max(0, boys + rng.randint(-2, 1))
                    girls = max(0, girls + rng.randint(-2, 1))
                head = heads.get((section, grade, number_))
                size = boys + girls
                class_rows.append(SchoolClass(
                    school_id=plan.pk, term_id=term.pk, grade=grade, number=number_, boys=boys, girls=girls,
                    head_teacher_id=teachers[head].pk if head is not None else None,
                    equipment_value=round(size * rng.uniform(900, 1500)) if rng.random() > 0.03 else round(size * 400),
                    is_starting_grade=grade in (1, 7, 10),
                    is_locked=grade in (1, 7) and term.school_year_id == class_terms[-1].school_year_id,
                ))
        if len(class_rows) >= 20000:
            write(SchoolClass, class_rows)
            class_rows = []
    write(SchoolClass, class_rows)

    # Yearly statistics: enrolment a little lower in earlier years.
    stat_rows = []
    for plan in plans:
        for year in years:
            scale_of_year = (1 - 0.025 * (CURRENT_YEAR - year.start_year)) * rng.uniform(0.98, 1.02)
            if year.start_year == CURRENT_YEAR:
                scale_of_year = 1.0
            stat_rows.append(_stat_row(rng, plan, year, year.start_year, scale_of_year))
    write(SchoolYearStat, stat_rows)

    # Training (a spread around the 360-hour cycle), rotations, a few conduct findings.
    training = []
    for teacher in teachers:
        training.extend(_training_rows(rng, teacher, config.trainings_per_teacher))
        if len(training) >= 20000:
            write(TrainingRecord, training)
            training = []
    write(TrainingRecord, training)

    rural_pks = [p.pk for p in plans if p.location in ("rural", "town")] or school_pks
    rotations = []
    for start_year in config.rotation_years:
        share = rng.uniform(0.1, 0.15)
        for teacher in rng.sample(teachers, round(len(teachers) * share)):
            kind = rng.choices(("exchange", "support", "shadow", "visiting"), (50, 25, 15, 10))[0]
            pool = rural_pks if kind == "support" else school_pks
            to_school = rng.choice(pool)
            if to_school == teacher.school_id:
                to_school = school_pks[(school_pks.index(to_school) + 1) % len(school_pks)]
            start = datetime.date(start_year, 9, 1)
            end = datetime.date(start_year + 1, 7, 5) if kind in ("exchange", "support") else datetime.date(start_year + 1, 1, 20)
            rotations.append(Rotation(teacher_id=teacher.pk, from_school_id=teacher.school_id, to_school_id=to_school,
                                      kind=kind, start_date=start, end_date=end))
    write(Rotation, rotations)

    conduct = []
    for teacher in rng.sample(teachers, max(1, len(teachers) // 300)):
        finding, veto = rng.choice(CONDUCT_FINDINGS)
        conduct.append(ConductRecord(teacher_id=teacher.pk, finding=finding, is_veto=veto,
                                     date=ANCHOR - datetime.timedelta(days=rng.randint(20, 700))))
    write(ConductRecord, conduct)

    # Inspector zones: about ten neighbouring schools and two inspectors each, so about
    # five schools per inspector; every school in exactly one zone.
    ordered = sorted(plans, key=lambda p: ({"urban": 0, "town": 1, "rural": 2}[p.location], p.code))
    n_zones = max(1, round(len(plans) / 10))
    zones = write(InspectorZone, [
        InspectorZone(district_id=district.pk, name=f"第{cn_number(i + 1)}责任区") for i in range(n_zones)
    ])
    write(ZoneSchool, [
        ZoneSchool(zone_id=zones[i * n_zones // len(ordered)].pk, school_id=p.pk) for i, p in enumerate(ordered)
    ])
    inspectors = []
    for _zone in range(n_zones):
        for kind in (InspectorKind.FULL_TIME, InspectorKind.PART_TIME):
            n = len(inspectors) + 1
            username = f"inspector{n:02d}" if demo else f"inspector_{district.code}_{n:02d}"
            gender = "M" if rng.random() < 0.6 else "F"
            inspectors.append(User(
                username=username, password=password, role=Role.INSPECTOR, inspector_kind=kind,
                name=person_name(rng, gender), mobile=f"139{rng.randint(10000000, 99999999)}", district_id=district.pk,
            ))
    inspectors = write(User, inspectors)
    write(InspectorZone.inspectors.through, [
        InspectorZone.inspectors.through(inspectorzone_id=zones[i // 2].pk, user_id=user.pk)
        for i, user in enumerate(inspectors)
    ])

    # The stored verdicts, by the same code that keeps them up to date afterwards.
    school_stats_evaluate(school_ids=school_pks)
    reset_queries()

    principal_plan = lead_plans.get(0, plans[0])
    first_zone_schools = [p.name for i, p in enumerate(ordered) if i * n_zones // len(ordered) == 0]
    return {
        "schools": len(plans), "teachers": len(teachers),
        "principal_school": principal_plan.pk,
        "inspector": (inspectors[0].username, zones[0].name, first_zone_schools),
    }


def _short_name(name):
    """常州市天宁区红梅小学 → 红梅小学, for a group name."""
    for marker in ("区", "市", "县"):
        if marker in name:
            name = name[name.rindex(marker) + 1:]
    return name


def _fixed_accounts(write, *, password, district, city, principal_school, scale, inspector):
    """One account per role in the demo district (and city-wide ones above district scale).

    Returns [(username, role, name, what the account sees), ...] for the printed table.
    """
    departments = {d.code: d for d in Department.objects.all()}
    school = School.objects.get(pk=principal_school)
    rng = random.Random("accounts")
    rows = []
    for username, role, department, where in FIXED_ACCOUNTS:
        if where == "city" and scale == "district":
            continue
        user = User(username=username, password=password, role=role)
        if department:
            user.department = departments[department]
        if where == "district":
            user.district = district
        elif where == "city":
            user.district = city
        elif where == "school":
            user.school, user.district, user.name = school, district, school.principal_name
        if role == Role.ADMIN:
            user.is_staff = True
        if role == Role.PARENT:
            user.name, user.mobile = DEMO_PARENT
        if not user.name:
            user.name = person_name(rng, "M" if rng.random() < 0.5 else "F")
        rows.append(user)
    write(User, rows)

    d, c = district.name, city.name
    sees = {
        "admin": _("users, roles, departments and inspector zones of %(d)s") % {"d": d},
        "leader": _("everything in %(d)s, read-only") % {"d": d},
        "principal": _("only %(school)s") % {"school": school.name},
        "parent": _("own account only"),
        "city_staff": _("all districts of %(c)s") % {"c": c},
        "city_leader": _("everything in all districts of %(c)s") % {"c": c},
    }
    accounts = []
    for user in rows:
        label = str(Role(user.role).label)
        if user.department:
            label = f"{label} · {user.department.name}"
        what = sees.get(user.username) or _("the schools and records of %(d)s") % {"d": d}
        accounts.append((user.username, label, user.name, str(what)))
        if user.username == "leader":
            username, zone_name, zone_schools = inspector
            accounts.append((
                username, str(Role.INSPECTOR.label), User.objects.get(username=username).name,
                _("%(zone)s: %(schools)s") % {"zone": zone_name, "schools": "、".join(zone_schools)},
            ))
    return accounts


def _write_markers(counts, *, seed, scale):
    """One audit row per model kind: what the demo load wrote (no per-row audit)."""
    rows = []
    for model, n in counts.items():
        if model._meta.auto_created:
            continue
        total = n
        rows.append(AuditLog(
            action=AuditLog.Action.IMPORT,
            content_type=ContentType.objects.get_for_model(model),
            object_id=DEMO_OBJECT_ID,
            object_repr=f"{model._meta.verbose_name_plural}: {total:,}"[:200],
            changes={"seed": seed, "scale": scale, "rows": total},
            note=f"{DEMO_NOTE} (seed {seed}, {scale} scale)",
        ))
    AuditLog.objects.bulk_create(rows)
