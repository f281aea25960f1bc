"""The burden rules applied to a term self-report: which value of which field breaks which rule
of bureau.rules, for the school's own grades and sections.

The one check is `bureau.rules.rule_check`; this module only says which field goes with which
rule. The service stores the broken rules' codes on every save, the form and the review page
show each breach by its field, the API lists them, and the round's page counts them. The
browser's live flags (static/js/selfreport.js) read the same thresholds from the data
attributes `field_rule_attrs` renders, so they cannot drift from the server's.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from bureau import rules
from inspections.models.selfreports import GRADES, SUBJECT_CODES, homework_field
from schools.models import Section

# Ban fields and their rules: any "yes" is a breach.
BAN_FIELDS = (
    ("weekend_classes", rules.WEEKEND_CLASSES),
    ("rankings_published", rules.PUBLISHED_RANKINGS),
    ("key_classes", rules.KEY_CLASSES),
    ("extra_fees", rules.EXTRA_FEES),
)
START_FIELDS = (("start_primary", Section.PRIMARY), ("start_junior", Section.JUNIOR))


@dataclass(frozen=True)
class FieldRule:
    """A field of the report checked against a rule, in one section (band, stage)."""

    field: str
    rule: object
    section: str = "all"
    where: str = ""


def school_grades(school):
    """The compulsory grades the school teaches (1–9), in order."""
    grades = school.grades
    return [grade for grade in GRADES if grades is None or grade in grades]


def field_rules(school):
    """Every (field, rule) the report of `school` is checked on, in the form's order."""
    checks = [FieldRule(homework_field(grade), rules.HOMEWORK, rules.HOMEWORK_BANDS[grade],
                        _("grade %(grade)s") % {"grade": grade}) for grade in school_grades(school)]
    checks += [
        FieldRule("after_school_days", rules.AFTER_SCHOOL_DAYS),
        FieldRule("after_school_hours", rules.AFTER_SCHOOL_HOURS),
        FieldRule("activity_minutes", rules.PHYSICAL_ACTIVITY),
    ]
    checks += [FieldRule(name, rules.SCHOOL_START, section, str(Section(section).label))
               for name, section in START_FIELDS if section in school.sections]
    checks += [FieldRule(name, rule) for name, rule in BAN_FIELDS]
    return checks


def report_fields(school):
    """The value fields the school fills in (its own grades and sections)."""
    return [check.field for check in field_rules(school)]


def breaches(values, school, curriculum=None):
    """[(field, Breach)] of the values (a report's, or a form's not yet saved) for `school`.
    A curriculum subject breaks its rule when the periods taught differ from the plan's."""
    found = []
    for check in field_rules(school):
        breach = rules.rule_check(check.rule, values.get(check.field), check.section, where=check.where)
        if breach is not None:
            found.append((check.field, breach))
    for code, row in (curriculum or {}).items():
        if code not in SUBJECT_CODES or not isinstance(row, dict):
            continue
        breach = rules.rule_check(rules.CURRICULUM_HOURS, row.get("actual"), where=code, threshold=row.get("plan"))
        if breach is not None:
            found.append((f"curriculum_{code}_actual", breach))
    return found


def report_breaches(report):
    values = {name: getattr(report, name) for name in report_fields(report.school)}
    return breaches(values, report.school, report.curriculum)


def breach_codes(found):
    """The distinct codes of the rules broken, in the registry's order (stored on the report)."""
    broken = {breach.rule.code for _field, breach in found}
    return [rule.code for rule in rules.BURDEN_RULES if rule.code in broken]


def field_rule_attrs(school):
    """{field: data attributes} for the live flags of the form: the rule's comparator, limit,
    title, text and source (static/js/selfreport.js reads them)."""
    attrs = {}
    for check in field_rules(school):
        limit = check.rule.threshold_for(check.section)
        attrs[check.field] = {
            "data-rule": check.rule.code,
            "data-rule-cmp": check.rule.comparator,
            "data-rule-limit": limit.strftime("%H:%M") if hasattr(limit, "strftime") else f"{limit}",
            "data-rule-title": str(check.rule.title),
            "data-rule-text": check.rule.statement,
            "data-rule-source": str(check.rule.source),
        }
    return attrs
