"""From the class draws (schools/draw): the between-class CV of the teachers a school's classes
have, per stage and term, as the draw app measured and stored it (ClassBalance, seed 003:
均衡配置班级师资): backbone level, title, years of experience, education.

A school's figure is the stored CV; an area's is the mean of its schools' CVs, with the
number of schools measured. One GROUP BY per level. (The between-class CV of equipment is
computed from the classes themselves: reports/indicators/classes.py.)
"""

from django.db.models import Avg, Count, Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from bureau.rules import SOURCE_SEED_003, Rule
from reports.indicators.base import AREA_LEVELS, STAGES, Indicator, Value, register
from reports.indicators.inputs import grouped
from schools.draw.teachers import TEACHER_MEASURES
from schools.models import ClassBalance


def code_of(measure):
    return f"draw_cv.{measure}"


def compute_draws(inputs):
    balances = ClassBalance.objects.filter(term=inputs.term, school__district_id__in=inputs.district_ids,
                                           measure__in=list(TEACHER_MEASURES), section__in=STAGES,
                                           cv__isnull=False)
    aggregates = {}
    for measure in TEACHER_MEASURES:
        for stage in STAGES:
            where = Q(measure=measure, section=stage)
            aggregates[f"{measure}_{stage}"] = Avg("cv", filter=where)
            aggregates[f"{measure}_{stage}_n"] = Count("id", filter=where)
    for (level, scope_id), row in grouped(balances, school="school", **aggregates).items():
        for measure in TEACHER_MEASURES:
            for stage in STAGES:
                schools = row[f"{measure}_{stage}_n"]
                if schools:
                    yield Value(code_of(measure), level, scope_id, stage, row[f"{measure}_{stage}"], None, schools)


for _measure in TEACHER_MEASURES:
    _name = format_lazy(_("Between-class CV: {measure}"), measure=_measure.label)
    # Seed 003 asks for teachers spread evenly over the classes and sets no number for it:
    # the figure is shown with its source and no standard.
    register(Indicator(code_of(_measure), _name, "", AREA_LEVELS, compute_draws,
                       Rule(code_of(_measure), _name, SOURCE_SEED_003), stages=STAGES, group="draws", places=3))
