"""Demo school names, unique inside a district, with a 常州 flavour (see schools/demo/)."""

from bureau.demo import cn_number
from schools.models import SchoolStage

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


class SchoolNames:
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


def short_name(name):
    """常州市天宁区红梅小学 → 红梅小学, for a group name."""
    for marker in ("区", "市", "县"):
        if marker in name:
            name = name[name.rindex(marker) + 1:]
    return name
