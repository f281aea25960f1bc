"""From the term self-reports (inspections): for each burden rule of bureau/rules.py, a school
within it or not, and the share of an area's schools within it (the aim: every school).

A school counts with its latest accepted report of the period's round: what staff checked,
not a draft or a report still waiting for review; a correction in progress leaves the
accepted version counting. A report's broken rules are stored with it (SelfReport.breaches,
worked out by bureau.rules.rule_check when it was saved), so one GROUP BY per level counts
the schools breaking each rule.
"""

from django.db.models import Count, Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from bureau.rules import BURDEN_ALL, BURDEN_RULES, BURDEN_SHARES
from inspections.models import SelfReport
from reports.indicators.base import AREA_LEVELS, Indicator, register
from reports.indicators.inputs import grouped, ratios


def code_of(rule):
    return f"burden.{rule.code}"


def accepted_reports(inputs):
    """The latest accepted report of each school of the area in the period's rounds."""
    accepted = SelfReport.Status.ACCEPTED
    return (SelfReport.objects.filter(round__term=inputs.term, school__district_id__in=inputs.district_ids,
                                      status=accepted)
            .exclude(correction__status=accepted))


def compute_selfreports(inputs):
    aggregates = {"reports": Count("id"), "within_all": Count("id", filter=Q(breaches=[]))}
    for n, rule in enumerate(BURDEN_RULES):
        # The codes are plain words: their quoted form in the JSON text is the code itself.
        aggregates[f"within{n}"] = Count("id", filter=~Q(breaches__icontains=f'"{rule.code}"'))
    figures = grouped(accepted_reports(inputs), school="school", **aggregates)
    for n, rule in enumerate(BURDEN_RULES):
        yield from ratios(code_of(rule), figures, figures, num=f"within{n}", den="reports", scale=100)
    yield from ratios(ALL_CODE, figures, figures, num="within_all", den="reports", scale=100)


ALL_CODE = "burden.all"


for _rule in BURDEN_RULES:
    register(Indicator(code_of(_rule), format_lazy(_("Within the rule: {rule}"), rule=_rule.title), "%",
                       AREA_LEVELS, compute_selfreports, BURDEN_SHARES[_rule.code], group="burden", places=1))
register(Indicator(ALL_CODE, BURDEN_ALL.title, "%", AREA_LEVELS, compute_selfreports, BURDEN_ALL, group="burden",
                   places=1))
