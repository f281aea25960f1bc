"""Factories of term self-reports: a round and its schools' reports, in any state."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from inspections.models import SelfReport, SelfReportRound
from tests.factories import DistrictFactory, SchoolFactory, TermFactory

# Values within every burden rule for a primary school (grades 1–6).
GOOD_PRIMARY = {
    "homework_grade_1": 0, "homework_grade_2": 0, "homework_grade_3": 40, "homework_grade_4": 45,
    "homework_grade_5": 50, "homework_grade_6": 60, "after_school_days": 5, "after_school_hours": "2.0",
    "activity_minutes": 70, "start_primary": datetime.time(8, 20),
}


class SelfReportRoundFactory(DjangoModelFactory):
    class Meta:
        model = SelfReportRound
        skip_postgeneration_save = True

    district = factory.SubFactory(DistrictFactory)
    term = factory.SubFactory(TermFactory)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))


class SelfReportFactory(DjangoModelFactory):
    class Meta:
        model = SelfReport
        skip_postgeneration_save = True

    round = factory.SubFactory(SelfReportRoundFactory)
    school = factory.SubFactory(SchoolFactory, district=factory.SelfAttribute("..round.district"))

    @factory.post_generation
    def in_round(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.round.schools.add(obj.school)
