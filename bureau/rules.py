"""The rule registry: every number the portal checks, with the policy it comes from.

Rules are data. Code asks the registry for a threshold (`RULES["class_size"].limit_for(section)`)
instead of writing the number where it checks it, so a page, an import and a report that
check the same rule cannot disagree.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

SOURCE_2017 = _("County compulsory education high-quality balanced development evaluation measures (2017)")
SOURCE_NATIONAL = _("National statistical definitions")
SOURCE_SEED_000 = _("District 'lighten burden, raise quality' implementation plan")
SOURCE_SEED_001 = _("City notice on standardising school conduct")
SOURCE_SEED_002 = _("City opinions on high-quality balanced compulsory education (2013)")
SOURCE_SEED_003 = _("Notice on balanced classes in compulsory education")


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    source: str
    # Threshold per section ("primary", "junior") or under the key "all".
    thresholds: dict = field(default_factory=dict)
    comparator: str = ">="  # the value must be >= (or <=, or ==) the threshold
    unit: str = ""
    # The rule as the policy says it, for the pages that flag a value (may name the thresholds
    # by section: "%(primary)s").
    text: str = ""

    def threshold_for(self, section):
        value = self.thresholds.get(section, self.thresholds.get("all"))
        return None if value is None else Decimal(str(value))

    def is_met(self, value, section):
        threshold = self.threshold_for(section)
        if value is None or threshold is None:
            return None
        return _compare(value, self.comparator, threshold)

    @property
    def statement(self):
        """The rule's text with its thresholds filled in (a setting may move them)."""
        if "%(" not in str(self.text):
            return str(self.text)
        return str(self.text) % {key: _shown(self.threshold_for(key)) for key in self.thresholds}


def _compare(value, comparator, threshold):
    if comparator == ">=":
        return value >= threshold
    if comparator == "==":
        return value == threshold
    return value <= threshold


def _shown(value):
    return value.strftime("%H:%M") if hasattr(value, "strftime") else f"{value}"


# The seven resource indicators of the 2017 measures, in their official order. The value of
# each is "per student" or "per 100 students" of the section (primary or junior).
RESOURCE_INDICATORS = (
    Rule("teachers_above_education", _("Teachers above the required education per 100 students"), SOURCE_2017,
         {"primary": "4.2", "junior": "5.3"}, unit=_("per 100 students")),
    Rule("backbone_teachers", _("County-level or higher backbone teachers per 100 students"), SOURCE_2017,
         {"all": "1"}, unit=_("per 100 students")),
    Rule("sports_arts_teachers", _("Sports and arts teachers per 100 students"), SOURCE_2017,
         {"all": "0.9"}, unit=_("per 100 students")),
    Rule("teaching_area", _("Teaching and support floor area per student"), SOURCE_2017,
         {"primary": "4.5", "junior": "5.8"}, unit="m²"),
    Rule("sports_ground_area", _("Sports ground area per student"), SOURCE_2017,
         {"primary": "7.5", "junior": "10.2"}, unit="m²"),
    Rule("equipment_value", _("Teaching equipment value per student"), SOURCE_2017,
         {"primary": "2000", "junior": "2500"}, unit=_("yuan")),
    Rule("multimedia_classrooms", _("Networked multimedia classrooms per 100 students"), SOURCE_2017,
         {"primary": "2.3", "junior": "2.4"}, unit=_("per 100 students")),
)

# A school meets the resource standard when at least 6 of the 7 are met and every one
# that is not met reaches 85 % of its threshold (2017 measures, article 6).
RESOURCE_MIN_MET = 6
RESOURCE_NEAR_MISS_SHARE = Decimal("0.85")

CLASS_SIZE = Rule("class_size", _("Class size standard"), SOURCE_SEED_003,
                  {"primary": 45, "junior": 50}, comparator="<=", unit=_("students"))
BIG_CLASS = 56  # 大班额, national definition
SUPER_BIG_CLASS = 66  # 超大班额, national definition
BIG_CLASS_SHARE_AIM = 5  # percent of classes big or super-big at most; the national aim (DESIGN)
SCHOOL_SIZE = Rule("school_size", _("School size"), SOURCE_2017,
                   {"primary": 2000, "junior": 2000, "combined": 2500}, comparator="<=", unit=_("students"))
CERTIFIED_TEACHERS = Rule("certified_teachers", _("Certified teachers"), SOURCE_SEED_001,
                          {"all": 100, "kindergarten": 95}, unit="%")
TRAINING_HOURS = Rule("training_hours", _("Teacher training hours per five-year cycle"), SOURCE_SEED_002,
                      {"all": 360}, unit=_("hours"))
TRAINING_CYCLE_YEARS = 5
ROTATION_SHARE = Rule("rotation_share", _("Teachers rotating each year"), SOURCE_SEED_002, {"all": 15}, unit="%")
CLASS_EQUIPMENT_CV = Rule("class_equipment_cv", _("Between-class CV of equipment value per student, same stage"),
                          SOURCE_SEED_003, {"all": "0.3"}, comparator="<=")
COMPUTERS = Rule("computers", _("Computers per 100 students"), SOURCE_SEED_000, {"all": "8.5"},
                 unit=_("per 100 students"))

RULES = {rule.code: rule for rule in (*RESOURCE_INDICATORS, CLASS_SIZE, SCHOOL_SIZE, CERTIFIED_TEACHERS,
                                      TRAINING_HOURS, ROTATION_SHARE, COMPUTERS, CLASS_EQUIPMENT_CV)}

# ---- district-level aims (the indicators of reports/indicators/ check them) -----------------
SOURCE_SEED_004 = _("Bureau report on lightening students' burden")
RESOURCE_CV = Rule("resource_cv", _("Between-school coefficient of variation of each resource indicator"),
                   SOURCE_2017, {"primary": "0.50", "junior": "0.45"}, comparator="<=")
# Units (schools, teaching points) with fewer students than this in a stage are left out of
# the between-school CV (2017 measures: teaching points under 50 students do not count).
CV_MIN_STUDENTS = 50
BIG_CLASS_SHARE = Rule("big_class_share", _("Big classes (56 or more) among all classes"), SOURCE_NATIONAL,
                       {"all": BIG_CLASS_SHARE_AIM}, comparator="<=", unit="%")
SUPER_BIG_CLASSES = Rule("super_big_classes", _("Super-big classes (66 or more)"), SOURCE_NATIONAL,
                         {"all": 0}, comparator="<=", unit=pgettext_lazy("unit", "classes"))
ROTATION_ELIGIBLE = Rule("rotation_eligible", _("Rotating teachers among those eligible"), SOURCE_2017,
                         {"all": 10}, unit="%")
# Eligible to rotate: at least this many years at the current school (2017 measures).
ROTATION_ELIGIBLE_YEARS = 6
ROTATION_BACKBONE = Rule("rotation_backbone", _("Backbone teachers among those rotating"), SOURCE_2017,
                         {"all": 20}, unit="%")
STANDARDIZED_SHARE = Rule("standardized_share", _("Standardized schools"), SOURCE_SEED_000, {"all": 85}, unit="%")
DIGITAL_SHARE = Rule("digital_share", _("Digital-campus schools"), SOURCE_SEED_000, {"all": 85}, unit="%")
FEATURE_SHARE = Rule("feature_share", _("Feature schools"), SOURCE_SEED_000, {"all": 80}, unit="%")
RETENTION = Rule("retention", _("Retention rate"), SOURCE_SEED_001, {"all": 95}, unit="%")
HEALTH_GOOD = Rule("health_good", _("Physical health excellent and good rate"), SOURCE_SEED_001, {"all": 40}, unit="%")
VISITS_MONTHLY = Rule("visits_monthly", _("Inspector visits per school per month"), SOURCE_SEED_004, {"all": 1},
                      unit=pgettext_lazy("unit", "visits"))
OVERDUE_NOTICES = Rule("overdue_notices", _("Overdue rectification notices"), SOURCE_SEED_004, {"all": 0},
                       comparator="<=", unit=pgettext_lazy("unit", "notices"))

TRAINING_DONE = Rule("training_done", _("Teachers with 360 training hours in five years"), SOURCE_SEED_002,
                     {"all": 100}, unit="%")
SCHOOLS_MEETING_RESOURCES = Rule("schools_meeting_resources", _("Schools meeting the resource standard (6 of 7)"),
                                 SOURCE_2017, {"all": 100}, unit="%")
RESOURCE_VERDICT = Rule("resource_verdict", _("All seven CVs within their limit and every school meeting the standard"),
                        SOURCE_2017, {"all": 1})

RULES.update({rule.code: rule for rule in (
    RESOURCE_CV, SCHOOLS_MEETING_RESOURCES, RESOURCE_VERDICT, TRAINING_DONE, BIG_CLASS_SHARE, SUPER_BIG_CLASSES, ROTATION_ELIGIBLE, ROTATION_BACKBONE, STANDARDIZED_SHARE,
    DIGITAL_SHARE, FEATURE_SHARE, RETENTION, HEALTH_GOOD, VISITS_MONTHLY, OVERDUE_NOTICES,
)})
# Seed 001: students' physical health, excellent and good together at least 40 % of those tested.
# (The health bulletin's name for the district aim above: one rule, checked in one place.)
HEALTH_GOOD_RATE = HEALTH_GOOD

# ---- the burden rules (减负, 2021 双减): what a school's term self-report is checked against ----

SOURCE_2021 = _("Opinions on further reducing the homework and off-campus tutoring burden of students in "
                "compulsory education (2021)")
SOURCE_HOMEWORK = _("District 'lighten burden, raise quality' implementation plan; the 2021 'double reduction' "
                    "opinions")
SOURCE_AFTER_SCHOOL = _("County plan for raising the quality of basic education (2021); the 2021 'double "
                        "reduction' opinions")
SOURCE_ACTIVITY = _("Municipal bureau's burden-reduction work summary; the national one hour of physical "
                    "activity a day")
SOURCE_SLEEP_START = _("Notice on further strengthening the sleep management of primary and secondary school "
                       "students (2021)")
SOURCE_BANS = _("District 'lighten burden, raise quality' implementation plan, the bans")
SOURCE_RANKINGS = _("Municipal bureau's burden-reduction work summary; the 2021 'double reduction' opinions")
SOURCE_CURRICULUM = _("District 'lighten burden, raise quality' implementation plan; notice on balanced classes "
                      "(full national and local curriculum)")


@dataclass(frozen=True)
class SettingRule(Rule):
    """A rule whose thresholds a bureau sets (`thresholds` names the setting per section)."""

    def threshold_for(self, section):
        name = self.thresholds.get(section, self.thresholds.get("all"))
        return None if name is None else getattr(settings, name)


# Written homework by grade band (the band is the "section" of the rule): grades 1–2 none.
HOMEWORK_BANDS = {1: "grades_1_2", 2: "grades_1_2", 3: "grades_3_6", 4: "grades_3_6", 5: "grades_3_6",
                  6: "grades_3_6", 7: "grades_7_9", 8: "grades_7_9", 9: "grades_7_9"}
HOMEWORK = Rule(
    "homework_minutes", _("Average daily written homework"), SOURCE_HOMEWORK,
    {"grades_1_2": 0, "grades_3_6": 60, "grades_7_9": 90}, comparator="<=", unit=_("minutes"),
    text=_("Grades 1–2: no written homework; grades 3–6: at most %(grades_3_6)s minutes a day on average; "
           "grades 7–9: at most %(grades_7_9)s minutes."),
)
AFTER_SCHOOL_DAYS = Rule(
    "after_school_days", _("After-school service days a week"), SOURCE_AFTER_SCHOOL, {"all": 5},
    unit=_("days a week"), text=_("After-school service on %(all)s days a week."),
)
AFTER_SCHOOL_HOURS = Rule(
    "after_school_hours", _("After-school service hours a day"), SOURCE_AFTER_SCHOOL, {"all": "2"},
    unit=_("hours a day"), text=_("After-school service of at least %(all)s hours a day."),
)
PHYSICAL_ACTIVITY = Rule(
    "physical_activity", _("Daily physical activity"), SOURCE_ACTIVITY, {"all": 60}, unit=_("minutes"),
    text=_("At least %(all)s minutes of physical activity at school every day."),
)
SCHOOL_START = SettingRule(
    "school_day_start", _("Start of the school day"), SOURCE_SLEEP_START,
    {"primary": "SCHOOL_START_PRIMARY", "junior": "SCHOOL_START_JUNIOR"},
    text=_("Primary schools start the school day no earlier than %(primary)s, junior schools no earlier than "
           "%(junior)s."),
)


def _ban(code, title, source, text):
    # A ban: any occurrence (1) breaks it.
    return Rule(code, title, source, {"all": 0}, comparator="<=", text=text)


WEEKEND_CLASSES = _ban("weekend_classes", _("Classes on weekends or holidays"), SOURCE_BANS,
                       _("No collective classes or new lessons on holidays, weekends or after school."))
PUBLISHED_RANKINGS = _ban("published_rankings", _("Published exam rankings"), SOURCE_RANKINGS,
                          _("Exam results and rankings are not published."))
KEY_CLASSES = _ban("key_classes", _("Key or fast classes"), SOURCE_BANS,
                   _("No key classes, special-talent classes or fast and slow classes."))
EXTRA_FEES = _ban("extra_fees", _("Fees beyond the approved list"), SOURCE_BANS,
                  _("No fees beyond the approved list are collected from students and parents."))
CURRICULUM_HOURS = Rule(
    "curriculum_hours", _("Curriculum hours against the national plan"), SOURCE_CURRICULUM, {}, comparator="==",
    unit=_("periods a week"),
    text=_("Every subject of the national and local plan is taught, with its hours neither cut nor added to."),
)

BURDEN_RULES = (HOMEWORK, AFTER_SCHOOL_DAYS, AFTER_SCHOOL_HOURS, PHYSICAL_ACTIVITY, SCHOOL_START, WEEKEND_CLASSES,
                PUBLISHED_RANKINGS, KEY_CLASSES, EXTRA_FEES, CURRICULUM_HOURS)
RULES.update({rule.code: rule for rule in BURDEN_RULES})

# The dashboards' aim for each burden rule: every school keeps it (a school within or not, an
# area the share of its schools within). The same code, title and source as the rule itself.
BURDEN_SHARES = {rule.code: Rule(rule.code, rule.title, rule.source, {"all": 100}, unit="%") for rule in BURDEN_RULES}
# And every rule at once: the schools whose accepted self-report breaks none of them.
BURDEN_ALL = Rule("burden_all", _("Schools within every burden rule"), SOURCE_SEED_000, {"all": 100}, unit="%")


@dataclass(frozen=True)
class Breach:
    """A value that breaks a rule: which rule, where (a grade, a section, a subject), the value
    and the threshold it broke."""

    rule: Rule
    where: str
    value: object
    threshold: object


def rule_check(rule, value, section="all", *, where="", threshold=None):
    """The one check of a value against a rule: a Breach, or None when the value keeps the rule
    or is not given. Forms, review pages, the API and dashboards all call this."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        value = int(value)
    limit = rule.threshold_for(section) if threshold is None else threshold
    if limit is None:
        return None
    if isinstance(value, int | float) and not isinstance(limit, int | float | Decimal):
        return None
    if isinstance(value, int | float):
        value = Decimal(str(value))
    if isinstance(limit, int | float):
        limit = Decimal(str(limit))
    return None if _compare(value, rule.comparator, limit) else Breach(rule, where, value, limit)

# ---- what families are asked in the inspection office's surveys (issue 8, survey campaigns) --
# A survey's answers are held against the same burden rules as the self-reports (homework by
# grade band, physical activity, after-school days: one rule each, HOMEWORK_BANDS for the
# grade), and against these of their own.
SOURCE_SLEEP_NOTICE = _("Notice on further strengthening the management of primary and secondary students' sleep (2021)")
SURVEY_SLEEP = Rule("sleep_hours", _("Sleep"), SOURCE_SLEEP_NOTICE, {"primary": 10, "junior": 9}, unit=_("hours"))
SATISFACTION = Rule("satisfaction", _("Satisfaction"), SOURCE_SEED_002, {"all": 90, "seed_003": 95}, unit="%")
NO_PAID_TUTORING = Rule("no_paid_tutoring", _("No paid tutoring by teachers"), SOURCE_SEED_000, {"all": 100},
                        unit="%")
SURVEY_RULES = {rule.code: rule for rule in (HOMEWORK, SURVEY_SLEEP, PHYSICAL_ACTIVITY, AFTER_SCHOOL_DAYS,
                                             SATISFACTION, NO_PAID_TUTORING)}
RULES.update(SURVEY_RULES)
