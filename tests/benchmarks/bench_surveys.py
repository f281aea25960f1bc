"""A survey campaign of 80 schools × 300 answers: the time to store the answers (through the
public page's write path, one respondent at a time) and to build the stored figures, against
one plain SQL GROUP BY over the same answer table, in one run. Run with
`tests/benchmarks/run -k surveys`.

The figures are six GROUP BY queries (per school and for the district: respondents, means and
answers within the rule; counts per choice; counts per band of a number question) and one
bulk insert, so their cost grows with the answers the database reads, not with Python loops.
"""

import os
import random
import time
from decimal import Decimal

import pytest
from django.db import connection

from inspections.models import SurveyAggregate, SurveyAnswer
from inspections.surveys.aggregates import aggregates_build
from inspections.surveys.answering import response_submit
from tests.benchmarks.bench_import import QueryCounter
from tests.factories import SchoolFactory
from tests.inspections.survey_factories import make_campaign

pytestmark = [pytest.mark.benchmark, pytest.mark.django_db]

N_SCHOOLS = 80
N_ANSWERS = int(os.environ.get("BENCH_SURVEY_ANSWERS", "300"))  # per school


def _respondent(rng, questions):
    values = {"homework_minutes": Decimal(rng.randrange(0, 150, 5)),
              "sleep_hours": Decimal(str(rng.choice((7.5, 8, 8.5, 9, 9.5, 10, 10.5)))),
              "activity_minutes": Decimal(rng.randrange(20, 120, 5)), "after_school": rng.choice(("yes", "no")),
              "paid_tutoring": rng.choice(("no", "no", "no", "yes", "unsure")),
              "satisfaction": rng.choice(("very", "satisfied", "fair", "no"))}
    if values["after_school"] == "yes":
        values["after_school_days"] = Decimal(rng.randint(3, 5))
        values["after_school_fee"] = "no"
    return rng.randint(1, 9), [(questions[code], value) for code, value in values.items()]


def timed(label, func, rows):
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        start = time.perf_counter()
        result = func()
        seconds = time.perf_counter() - start
    print(f"  {label:<52} {seconds:8.2f} s {rows / seconds:10,.0f} rows/s {counter.count:9,d} queries")
    return result, seconds


def test_store_and_build_the_figures_of_80_schools_times_300_answers(district):
    schools = [SchoolFactory(district=district) for _n in range(N_SCHOOLS)]
    campaign = make_campaign(district, schools)
    questions = {q.code: q for q in campaign.questionnaire.questions.prefetch_related("choices")}
    participants = list(campaign.participants.all())
    rng = random.Random(2026)
    respondents = [(p, *_respondent(rng, questions)) for p in participants for _n in range(N_ANSWERS)]

    def store():
        for participant, grade, answers in respondents:
            response_submit(participant=participant, grade=grade, answers=answers)

    print(f"\n{connection.vendor}: {N_SCHOOLS} schools × {N_ANSWERS} respondents")
    _result, _seconds = timed("store the answers (one respondent at a time)", store, len(respondents))
    n_answers = SurveyAnswer.objects.filter(campaign=campaign).count()
    print(f"  {n_answers:,} answer rows")
    stored, build_seconds = timed("build and store the figures (aggregates_build)",
                                  lambda: aggregates_build(campaign_id=campaign.pk), n_answers)

    def plain():
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT school_id, question_id, choice_id, COUNT(*), AVG(number) FROM {SurveyAnswer._meta.db_table} "
                "WHERE campaign_id = %s GROUP BY school_id, question_id, choice_id", [campaign.pk])
            return cursor.fetchall()

    groups, plain_seconds = timed("one plain SQL GROUP BY over the same table", plain, n_answers)
    print(f"  figures stored: {stored:,}; plain groups: {len(groups):,}; build / plain = "
          f"{build_seconds / plain_seconds:.1f}×")
    district_sleep = SurveyAggregate.objects.get(campaign=campaign, school=None, question__code="sleep_hours")
    assert district_sleep.answers == N_SCHOOLS * N_ANSWERS
    assert stored == (N_SCHOOLS + 1) * (len(questions) - 2)  # every question but the two texts
