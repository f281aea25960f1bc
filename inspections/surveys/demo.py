"""The surveys' demo data, called by inspections/demo.py in the demo district: the ready
questionnaires; last term's parent survey, closed, with answers at every school (most with
enough for figures, a few under 10, withheld) and its figures built; this term's student
survey, open, whose first school's access code the load prints with the logins."""

import datetime
from decimal import Decimal

from django.utils import timezone

from inspections.models import Campaign, CampaignSchool, SurveyAnswer, SurveyResponse
from inspections.surveys.aggregates import aggregates_build
from inspections.surveys.services import access_code_new, questionnaire_ready_make
from schools.models import Term

COMPULSORY = ("primary", "junior", "nine_year")


def _value(rng, question, grade):
    """A plausible answer: most within the rules, a tail beyond them (the 双减 figures)."""
    code = question.code
    if code == "homework_minutes":
        limit = 0 if grade <= 2 else 60 if grade <= 6 else 90
        return Decimal(max(0, round(rng.gauss(limit * 0.8 + 10, 20) / 5) * 5))
    if code == "sleep_hours":
        need = 10 if grade <= 6 else 9
        return Decimal(str(min(12, max(6, round(rng.gauss(need + 0.1, 0.7) * 2) / 2))))
    if code == "activity_minutes":
        return Decimal(max(20, round(rng.gauss(65, 15) / 5) * 5))
    if code == "after_school_days":
        return Decimal(rng.choice((5, 5, 5, 5, 4, 3)))
    return None


def _choice(rng, question):
    choices = list(question.choices.all())
    weights = {"very": 5, "satisfied": 4, "fair": 1, "no": 0.3, "yes": 1, "unsure": 0.5}
    if question.code == "paid_tutoring":
        weights = {"no": 20, "yes": 1, "unsure": 1.5}
    if question.code == "after_school":
        weights = {"yes": 8, "no": 1}
    return rng.choices(choices, weights=[weights.get(c.code, 1) for c in choices])[0]


def _answers(write, rng, campaign, schools, questions):
    """Answers at every school: a few schools under the threshold of 10, the rest from 12 up to
    the campaign's sample size (the cap the answer service keeps)."""
    responses = []
    for n, school in enumerate(schools):
        count = rng.randint(3, 8) if n % 9 == 4 else rng.randint(12, campaign.sample_size)
        for _i in range(count):
            grade = rng.randint(campaign.grade_from, campaign.grade_to)
            if school.stage == "primary":
                grade = min(grade, 6)
            elif school.stage == "junior":
                grade = max(grade, 7)
            responses.append(SurveyResponse(campaign_id=campaign.pk, school_id=school.pk, grade=grade,
                                            submitted_on=campaign.closes_on))
    responses = write(SurveyResponse, responses)
    rows = []
    for response in responses:
        given = {}
        for q in questions:
            if q.condition_question_id and given.get(q.condition_question_id) not in q.condition_choices:
                continue
            common = {"response_id": response.pk, "campaign_id": campaign.pk, "school_id": response.school_id,
                      "grade": response.grade, "question_id": q.pk}
            if q.kind == "number":
                rows.append(SurveyAnswer(number=_value(rng, q, response.grade), **common))
            elif q.kind == "single":
                choice = _choice(rng, q)
                given[q.pk] = choice.code
                rows.append(SurveyAnswer(choice_id=choice.pk, **common))
            elif q.kind == "multiple":
                for choice in rng.sample(list(q.choices.all()), rng.randint(1, 3)):
                    rows.append(SurveyAnswer(choice_id=choice.pk, **common))
    write(SurveyAnswer, rows)


def load_surveys(ctx, area, schools):
    rng, write, district = area.rng, ctx.write, area.district
    made = {q.audience: q for q in questionnaire_ready_make(district=district, write=write)}
    today = timezone.localdate()
    # This term and the one before it: terms that have begun (the calendar holds future ones).
    terms = list(Term.objects.filter(start_date__lte=today).order_by("-start_date")[:2]) or list(
        Term.objects.order_by("start_date")[:1])
    # Last term's survey closed a few weeks before that term ended (so its term report has it).
    last_end = min(terms[-1].end_date, today) if len(terms) > 1 else today
    schools = sorted((s for s in schools if s.stage in COMPULSORY), key=lambda s: s.code)
    closed, opened = write(Campaign, [
        Campaign(district_id=district.pk, questionnaire=made["parents"], term=terms[-1],
                 title=f"{terms[-1]}家长“减负提质”问卷调查", audience="parents", grade_from=1, grade_to=9,
                 sample_size=30, opens_on=last_end - datetime.timedelta(days=60),
                 closes_on=last_end - datetime.timedelta(days=46), status=Campaign.Status.CLOSED),
        Campaign(district_id=district.pk, questionnaire=made["students"], term=terms[0],
                 title=f"{terms[0]}学生“减负提质”问卷调查", audience="students", grade_from=4, grade_to=9,
                 sample_size=40, opens_on=today - datetime.timedelta(days=2),
                 closes_on=today + datetime.timedelta(days=12), status=Campaign.Status.OPEN),
    ])
    codes = set()
    rows = []
    for campaign in (closed, opened):
        for school in schools:
            code = access_code_new()
            while code in codes:
                code = access_code_new()
            codes.add(code)
            rows.append(CampaignSchool(campaign_id=campaign.pk, school_id=school.pk, access_code=code))
    rows = write(CampaignSchool, rows)
    questions = list(made["parents"].questions.prefetch_related("choices").order_by("position"))
    _answers(write, rng, closed, schools, questions)
    aggregates_build(campaign_id=closed.pk)
    first = next(r for r in rows if r.campaign_id == opened.pk)
    return {"campaign": opened.title, "school": schools[0].name, "code": first.access_code}


def delete_surveys(district_id, raw_delete):
    from inspections.models import Choice, Question, Questionnaire, SurveyAggregate

    deleted = raw_delete(SurveyAggregate.objects.filter(campaign__district_id=district_id))
    deleted += raw_delete(SurveyAnswer.objects.filter(campaign__district_id=district_id))
    deleted += raw_delete(SurveyResponse.objects.filter(campaign__district_id=district_id))
    deleted += raw_delete(CampaignSchool.objects.filter(campaign__district_id=district_id))
    deleted += raw_delete(Campaign.objects.filter(district_id=district_id))
    deleted += raw_delete(Choice.objects.filter(question__questionnaire__district_id=district_id))
    Question.objects.filter(questionnaire__district_id=district_id).update(condition_question=None)
    deleted += raw_delete(Question.objects.filter(questionnaire__district_id=district_id))
    return deleted + raw_delete(Questionnaire.objects.filter(district_id=district_id))
