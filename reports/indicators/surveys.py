"""From the survey campaigns (inspections/surveys): the share of answers within the homework
limit of the grade, within the sleep of the stage, saying no teacher gave paid tutoring, and
satisfied, over the closed campaigns of the period.

An answer is within its rule by the very condition the campaign's own figures use
(inspections.surveys.aggregates.rule_conditions), here counted in one GROUP BY per level
over the answers of every closed campaign at once, inside the database (indicators/sql.py). Like a campaign's figures, a share of
fewer than SUPPRESS_BELOW answers is withheld (its count kept), so that a small school or
grade cannot point at a child.
"""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from bureau.rules import HOMEWORK, NO_PAID_TUTORING, SATISFACTION, SURVEY_SLEEP, Rule
from inspections.models import Campaign, Question, SurveyAnswer
from inspections.models.survey import SUPPRESS_BELOW
from inspections.surveys.aggregates import rule_conditions
from reports.indicators.base import AREA_LEVELS, Indicator, register
from reports.indicators.inputs import SCHOOLS
from reports.indicators.sql import Figures, Out, Source, ratio

Measure = Question.Measure


def _source_only(rule, title):
    """A share whose policy sets a limit per answer, not an aim for the share: shown with the
    rule's source and no standard."""
    return Rule(rule.code, title, rule.source, {}, unit="%")


# (code, measure, the rule the indicator is judged by, its name)
SHARES = (
    ("survey.homework", Measure.HOMEWORK, _source_only(HOMEWORK, _("Survey: homework within the grade's limit"))),
    ("survey.sleep", Measure.SLEEP, _source_only(SURVEY_SLEEP, _("Survey: sleep of the stage or more"))),
    ("survey.no_tutoring", Measure.NO_TUTORING, NO_PAID_TUTORING),
    ("survey.satisfaction", Measure.SATISFACTION, SATISFACTION),
)
NAMES = {
    "survey.no_tutoring": _("Survey: no paid tutoring by teachers"),
    "survey.satisfaction": _("Survey: satisfied"),
}


def answers(inputs):
    return SurveyAnswer.objects.filter(campaign__term=inputs.term, campaign__status=Campaign.Status.CLOSED,
                                       school__district_id__in=inputs.district_ids,
                                       question__measure__in=[m for _c, m, _r in SHARES])


def _aggregates():
    aggregates = {}
    for n, (_code, measure, _rule) in enumerate(SHARES):
        asked = Q(question__measure=measure)
        aggregates[f"answered{n}"] = Count("response_id", distinct=True, filter=asked)
        aggregates[f"within{n}"] = Count("id", filter=asked & rule_conditions(measure))
    return aggregates


def _share(n, code):
    """The share, withheld below SUPPRESS_BELOW answers (their count kept)."""
    answered, within = f"answered{n}", f"within{n}"
    enough = f"{answered} >= {int(SUPPRESS_BELOW)}"
    return Out(code, f"CASE WHEN {enough} THEN {ratio(within, answered, 100)} END",
               f"CASE WHEN {enough} THEN {within} END", answered, where=f"{answered} > 0")


# Respondents are counted distinct, so the answers are grouped again at every level.
SURVEY_FIGURES = Figures(
    sources=(SCHOOLS, Source(answers, "school", _aggregates(), additive=False)),
    outs=tuple(_share(n, code) for n, (code, _measure, _rule) in enumerate(SHARES)),
)


for _code, _measure, _rule in SHARES:
    register(Indicator(_code, NAMES.get(_code, _rule.title), "%", AREA_LEVELS, None, _rule,
                       group="surveys", places=1, select=SURVEY_FIGURES))
