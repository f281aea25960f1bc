"""Factories of the inspections app: themes, their checklists, visits and their items."""

import datetime

import factory
from factory.django import DjangoModelFactory

from bureau.models import Role
from inspections.models import ChecklistItem, MonthlyTheme, Visit, VisitItem
from tests.factories import DistrictFactory, SchoolFactory, UserFactory


class MonthlyThemeFactory(DjangoModelFactory):
    class Meta:
        model = MonthlyTheme

    district = factory.SubFactory(DistrictFactory)
    year = 2026
    month = factory.Sequence(lambda n: n % 12 + 1)
    title = factory.Sequence(lambda n: f"主题{n}")


class ChecklistItemFactory(DjangoModelFactory):
    class Meta:
        model = ChecklistItem

    theme = factory.SubFactory(MonthlyThemeFactory)
    code = factory.Sequence(lambda n: f"C-{n}")
    text = factory.Sequence(lambda n: f"检查事项{n}")
    source = "平湖市教育局《“轻负高质”工作汇报》二、（三）"


class VisitFactory(DjangoModelFactory):
    class Meta:
        model = Visit

    school = factory.SubFactory(SchoolFactory)
    inspector = factory.SubFactory(UserFactory, role=Role.INSPECTOR, inspector_kind="full_time")
    date = datetime.date(2026, 3, 10)
    summary = "课堂教学有序。"
    feedback = "体育活动时间需保证。"
    private_notes = "校长回避作业量问题。"


class FiledVisitFactory(VisitFactory):
    status = Visit.Status.FILED
    filed_at = factory.LazyFunction(lambda: datetime.datetime(2026, 3, 10, 16, 0, tzinfo=datetime.UTC))


class VisitItemFactory(DjangoModelFactory):
    class Meta:
        model = VisitItem

    visit = factory.SubFactory(VisitFactory)
    code = factory.Sequence(lambda n: f"V-{n}")
    text = factory.Sequence(lambda n: f"检查事项{n}")
    source = "平湖市教育局《“轻负高质”工作汇报》二、（三）"
