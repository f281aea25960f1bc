"""From the term self-reports (inspections): for each burden rule of bureau/rules.py, a school
within it or not, and the share of an area's schools within it (the aim: every school).

A school counts with its latest accepted report of the period's round: what staff checked,
not a draft or a report still waiting for review; a correction in progress leaves the
accepted version counting. A report's broken rules are stored with it (SelfReport.breaches,
worked out by bureau.rules.rule_check when it was saved), so one statement inside the
database (indicators/sql.py) counts the schools breaking each rule.
"""

from django.db.models import Count, Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from bureau.rules import BURDEN_ALL, BURDEN_RULES, BURDEN_SHARES
from inspections.models import SelfReport
from reports.indicators.base import AREA_LEVELS, Indicator, register
from reports.indicators.sql import Figures, Out, Source, ratio


def code_of(rule):
    return f"burden.{rule.code}"


def accepted_reports(inputs):
    """The latest accepted report of each school of the area in the period's rounds."""
    accepted = SelfReport.Status.ACCEPTED
    return (SelfReport.objects.filter(round__term=inputs.term, school__district_id__in=inputs.district_ids,
                                      status=accepted)
            .exclude(correction__status=accepted))


def _aggregates():
    aggregates = {"reports": Count("id"), "within_all": Count("id", filter=Q(breaches=[]))}
    for n, rule in enumerate(BURDEN_RULES):
        # The codes are plain words: their quoted form in the JSON text is the code itself.
        aggregates[f"within{n}"] = Count("id", filter=~Q(breaches__icontains=f'"{rule.code}"'))
    return aggregates


ALL_CODE = "burden.all"
SELFREPORT_FIGURES = Figures(
    sources=(Source(accepted_reports, "school", _aggregates()),),
    outs=(
        *(Out(code_of(rule), ratio(f"within{n}", "reports", 100), f"within{n}", "reports")
          for n, rule in enumerate(BURDEN_RULES)),
        Out(ALL_CODE, ratio("within_all", "reports", 100), "within_all", "reports"),
    ),
)


for _rule in BURDEN_RULES:
    register(Indicator(code_of(_rule), format_lazy(_("Within the rule: {rule}"), rule=_rule.title), "%",
                       AREA_LEVELS, None, BURDEN_SHARES[_rule.code], group="burden", places=1,
                       select=SELFREPORT_FIGURES))
register(Indicator(ALL_CODE, BURDEN_ALL.title, "%", AREA_LEVELS, None, BURDEN_ALL, group="burden",
                   places=1, select=SELFREPORT_FIGURES))
