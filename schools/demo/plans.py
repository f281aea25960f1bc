"""Demo school plans: the schools of a district with their classes and resource factors (see schools/demo/)."""

import math
from dataclasses import dataclass, field

from bureau.demo import person_name
from bureau.rules import RESOURCE_INDICATORS
from schools.demo.names import ROADS, VILLAGES, SchoolNames
from schools.models import SchoolStage

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


def plan_district(rng, *, city_name, area_code, district_code, district_name, n_schools, complete_counter):
    """The schools of one district with their classes and the factors their statistics follow."""
    names = SchoolNames(rng, city_name, district_name, complete_counter)
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

