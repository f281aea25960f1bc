"""Demo geography: 江苏's cities and districts, the scales, the school years (see schools/demo/)."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

# How many school years a load holds, the current one last.
YEARS_LOADED = 3


def term_dates(start_year, number):
    """Sept 1 – Jan 20 and Feb 15 – July 5, the usual 江苏 calendar."""
    if number == 1:
        return datetime.date(start_year, 9, 1), datetime.date(start_year + 1, 1, 20)
    return datetime.date(start_year + 1, 2, 15), datetime.date(start_year + 1, 7, 5)


def load_date():
    """The day of the load, in the portal's time zone: the demo's calendar is built from it."""
    return timezone.localdate()


@dataclass(frozen=True)
class DemoCalendar:
    """The school years of a load, from the day it is loaded.

    The demo always reaches the current school year, whatever the day: loaded on
    2026-11-28 it holds 2024–2025 to 2026–2027, in the first term of the last. A school
    year begins with its first term on 1 September, so from January to August the current
    one is the year that began the September before. Training, conduct and rotations are
    dated back from the load day (`today`), never after it; with the seed, the day decides
    every row, so two loads with one seed on one day are the same.
    """

    today: datetime.date

    @property
    def current_year(self):
        return self.today.year if self.today.month >= 9 else self.today.year - 1

    @property
    def school_years(self):
        return tuple(range(self.current_year - YEARS_LOADED + 1, self.current_year + 1))

    def terms(self):
        """[(start_year, number, start, end)] of every term of the loaded years."""
        return [(year, number, *term_dates(year, number)) for year in self.school_years for number in (1, 2)]

    def started(self, start_date):
        """Whether a term beginning on `start_date` has begun by the load day (it gets classes)."""
        return start_date <= self.today


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
    """How big the schools' part of a load is at one of bureau.demo.SCALES."""

    name: str
    schools_per_district: int
    # Teachers per class by section; the province uses fewer to land near 800,000.
    teachers_per_class: dict
    # Which terms get classes: every term begun by the load day, or only the latest of them.
    all_terms: bool
    trainings_per_teacher: tuple
    # Rotations start in this many of the latest school years.
    rotation_years: int


SCALES = {
    "district": Scale("district", 80, {"primary": 2.2, "junior": 3.4, "senior": 3.8, "special": 2.5},
                      True, (4, 8), YEARS_LOADED),
    "city": Scale("city", 80, {"primary": 2.2, "junior": 3.4, "senior": 3.8, "special": 2.5},
                  True, (3, 6), YEARS_LOADED),
    "province": Scale("province", 210, {"primary": 1.8, "junior": 2.7, "senior": 3.0, "special": 2.5},
                      False, (1, 3), 1),
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

