"""From the class draws (schools/draw): the between-class CV of the teachers a school's classes
have, per stage and term, as the draw app measured and stored it (ClassBalance, seed 003:
均衡配置班级师资): backbone level, title, years of experience, education.

A school's figure is the stored CV; an area's is the mean of its schools' CVs, with the
number of schools measured. Computed and written inside the database (indicators/sql.py).
(The between-class CV of equipment is computed from the classes: reports/indicators/classes.py.)
"""

from django.db.models import Count, Q, Sum
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from bureau.rules import SOURCE_SEED_003, Rule
from reports.indicators.base import AREA_LEVELS, STAGES, Indicator, register
from reports.indicators.sql import Figures, Out, Source, ratio
from schools.draw.teachers import TEACHER_MEASURES
from schools.models import ClassBalance


def code_of(measure):
    return f"draw_cv.{measure}"


def _balances(inputs):
    return ClassBalance.objects.filter(term=inputs.term, school__district_id__in=inputs.district_ids,
                                       measure__in=list(TEACHER_MEASURES), section__in=STAGES, cv__isnull=False)


def _aggregates():
    """A mean adds up as its sum and its count: the schools measured and their CVs' sum."""
    aggregates = {}
    for measure in TEACHER_MEASURES:
        for stage in STAGES:
            where = Q(measure=measure, section=stage)
            aggregates[f"cv_{measure}_{stage}"] = Sum("cv", filter=where)
            aggregates[f"n_{measure}_{stage}"] = Count("id", filter=where)
    return aggregates


DRAW_FIGURES = Figures(
    sources=(Source(_balances, "school", _aggregates()),),
    outs=tuple(
        Out(code_of(measure), ratio(f"cv_{measure}_{stage}", f"n_{measure}_{stage}"), "NULL", f"n_{measure}_{stage}",
            stage=stage, where=f"n_{measure}_{stage} > 0")
        for measure in TEACHER_MEASURES for stage in STAGES
    ),
)


for _measure in TEACHER_MEASURES:
    _name = format_lazy(_("Between-class CV: {measure}"), measure=_measure.label)
    # Seed 003 asks for teachers spread evenly over the classes and sets no number for it:
    # the figure is shown with its source and no standard.
    register(Indicator(code_of(_measure), _name, "", AREA_LEVELS, None,
                       Rule(code_of(_measure), _name, SOURCE_SEED_003), stages=STAGES, group="draws", places=3,
                       select=DRAW_FIGURES))
