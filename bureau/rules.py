"""The rule registry: every number the portal checks, with the policy it comes from.

Rules are data. Code asks the registry for a threshold (`RULES["class_size"].limit_for(section)`)
instead of writing the number where it checks it, so a page, an import and a report that
check the same rule cannot disagree.
"""

from dataclasses import dataclass, field
from decimal import Decimal

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
    comparator: str = ">="  # the value must be >= (or <=) the threshold
    unit: str = ""

    def threshold_for(self, section):
        value = self.thresholds.get(section, self.thresholds.get("all"))
        return None if value is None else Decimal(str(value))

    def is_met(self, value, section):
        threshold = self.threshold_for(section)
        if value is None or threshold is None:
            return None
        return value >= threshold if self.comparator == ">=" else value <= threshold


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
