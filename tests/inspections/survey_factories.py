"""Survey campaigns for tests: the ready questionnaires, a campaign at some schools, answers."""

import datetime
from decimal import Decimal

from django.utils import timezone

from bureau.models import Role
from inspections.models import Campaign, Questionnaire
from inspections.surveys import services
from inspections.surveys.answering import response_submit
from tests.factories import DepartmentFactory, TermFactory, UserFactory


def survey_staff(district):
    """督导室 staff of `district`: they run the surveys."""
    # Got or made: a browser test's flushed database has lost the departments' data migration.
    department = DepartmentFactory(code="inspection", name="督导室")
    return UserFactory(role=Role.STAFF, district=district, department=department)


def ready_questionnaire(district, staff, audience="parents"):
    services.questionnaire_defaults_load(district=district, by=staff)
    return Questionnaire.objects.get(district=district, audience=audience)


def make_campaign(district, schools, *, staff=None, audience="parents", status="open", grades=(1, 9)):
    staff = staff or survey_staff(district)
    questionnaire = ready_questionnaire(district, staff, audience)
    today = timezone.localdate()
    campaign = services.campaign_create(district=district, schools=schools, by=staff, data={
        "title": "2025学年第一学期家长问卷", "questionnaire": questionnaire, "term": TermFactory(),
        "audience": audience, "grade_from": grades[0], "grade_to": grades[1], "sample_size": 50,
        "opens_on": today - datetime.timedelta(days=3), "closes_on": today + datetime.timedelta(days=7),
    })
    if status in ("open", "closed"):
        campaign = services.campaign_open(campaign=campaign, by=staff)
    if status == "closed":
        services.campaign_close(campaign=campaign, by=staff)
    return Campaign.objects.get(pk=campaign.pk)


def answer(participant, *, grade=4, sleep=10, homework=50, satisfaction="very", times=1, **extra):
    """`times` respondents at the participant's school giving these answers (through the service)."""
    questions = {q.code: q for q in participant.campaign.questionnaire.questions.prefetch_related("choices")}
    values = {"homework_minutes": Decimal(homework), "sleep_hours": Decimal(str(sleep)),
              "activity_minutes": Decimal(60), "after_school": "no", "paid_tutoring": "no",
              "satisfaction": satisfaction, **extra}
    given = [(questions[code], value) for code, value in values.items() if value is not None]
    for _n in range(times):
        response_submit(participant=participant, grade=grade, answers=given)
