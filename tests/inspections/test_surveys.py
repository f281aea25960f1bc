"""Survey campaigns through their services: questionnaires, conditions, answers, figures."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from bureau.errors import DomainError
from bureau.workflow import WorkflowError
from inspections.models import (
    Campaign,
    CampaignSchool,
    Question,
    Questionnaire,
    SurveyAggregate,
    SurveyAnswer,
    SurveyResponse,
)
from inspections.surveys import services
from inspections.surveys.aggregates import aggregates_build
from inspections.surveys.answering import SurveyClosed, response_submit
from inspections.surveys.forms import AnswerForm
from tests.factories import SchoolFactory
from tests.inspections.survey_factories import answer, make_campaign, ready_questionnaire, survey_staff

pytestmark = pytest.mark.django_db


def _figure(campaign, school, code):
    return SurveyAggregate.objects.get(campaign=campaign, school=school, question__code=code)


class TestQuestionnaires:
    def test_the_ready_questionnaires_hold_seed_000s_themes(self, district):
        staff = survey_staff(district)
        made = services.questionnaire_defaults_load(district=district, by=staff)
        assert sorted(q.audience for q in made) == ["parents", "students"]
        codes = set(made[0].questions.values_list("code", flat=True))
        assert {"homework_minutes", "sleep_hours", "paid_tutoring", "after_school", "activity_minutes",
                "satisfaction"} <= codes
        assert services.questionnaire_defaults_load(district=district, by=staff) == []  # once

    def test_only_the_inspection_office_runs_surveys(self, district, staff_user):
        with pytest.raises(DomainError):
            services.questionnaire_defaults_load(district=district, by=staff_user)  # 基础教育科

    def test_a_copy_keeps_questions_choices_and_conditions(self, district):
        staff = survey_staff(district)
        original = ready_questionnaire(district, staff)
        copy = services.questionnaire_copy(questionnaire=original, by=staff)
        days = copy.questions.get(code="after_school_days")
        assert days.condition_question.questionnaire_id == copy.pk
        assert days.condition_question.code == "after_school" and days.condition_choices == ["yes"]
        assert copy.questions.count() == original.questions.count()
        assert copy.questions.get(code="satisfaction").choices.filter(positive=True).count() == 2

    def test_a_questionnaire_with_answers_cannot_change(self, district, school):
        campaign = make_campaign(district, [school])
        answer(campaign.participants.get())
        staff = campaign.created_by
        with pytest.raises(DomainError):
            services.questionnaire_update(questionnaire=campaign.questionnaire, data={"title": "新"}, by=staff)
        question = campaign.questionnaire.questions.get(code="sleep_hours")
        with pytest.raises(DomainError):
            services.question_delete(question=question, by=staff)
        services.questionnaire_copy(questionnaire=campaign.questionnaire, by=staff)  # a copy is free

    def test_question_limits_are_checked(self, district):
        staff = survey_staff(district)
        questionnaire = ready_questionnaire(district, staff)
        base = {"code": "x", "text": "几点起床？", "kind": "number", "required": True, "min_value": Decimal(10),
                "max_value": Decimal(5), "bounds": [], "measure": ""}
        with pytest.raises(ValidationError) as error:
            services.question_save(questionnaire=questionnaire, data=base, by=staff)
        assert "max_value" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            services.question_save(questionnaire=questionnaire, data={**base, "kind": "single"},
                                   choices_text="a 早\na 晚", by=staff)
        assert "choices" in error.value.message_dict
        sleep = questionnaire.questions.get(code="sleep_hours")
        with pytest.raises(ValidationError) as error:
            services.question_save(questionnaire=questionnaire, by=staff, data={
                **base, "kind": "text", "max_length": 100, "condition_question": sleep, "condition_choices": "a"})
        assert "condition_question" in error.value.message_dict
        made = services.question_save(questionnaire=questionnaire, by=staff, choices_text="early 早 +\nlate 晚",
                                      data={**base, "kind": "single"})
        assert [(c.code, c.positive) for c in made.choices.all()] == [("early", True), ("late", False)]


class TestConditions:
    def _form(self, campaign, data):
        questions = list(campaign.questionnaire.questions.prefetch_related("choices").order_by("position"))
        base = {"grade": "4", "q_homework_minutes": "40", "q_sleep_hours": "9.5", "q_activity_minutes": "60",
                "q_paid_tutoring": "no", "q_satisfaction": "very"}
        return AnswerForm({**base, **data}, campaign=campaign, questions=questions)

    def test_a_skipped_question_is_dropped_whatever_was_posted(self, district, school):
        campaign = make_campaign(district, [school])
        form = self._form(campaign, {"q_after_school": "no", "q_after_school_days": "99"})
        assert form.is_valid(), form.errors
        assert "after_school_days" not in {q.code for q, _v in form.answers}

    def test_an_asked_question_is_checked_and_required(self, district, school):
        campaign = make_campaign(district, [school])
        form = self._form(campaign, {"q_after_school": "yes"})
        assert not form.is_valid()
        assert "q_after_school_days" in form.errors  # asked now, required
        form = self._form(campaign, {"q_after_school": "yes", "q_after_school_days": "9"})
        assert not form.is_valid() and "q_after_school_days" in form.errors  # 7 at most
        form = self._form(campaign, {"q_after_school": "yes", "q_after_school_days": "5",
                                     "q_after_school_fee": "no"})
        assert form.is_valid(), form.errors

    def test_out_of_range_numbers_are_refused_by_field(self, district, school):
        campaign = make_campaign(district, [school])
        form = self._form(campaign, {"q_after_school": "no", "q_homework_minutes": "-5", "q_sleep_hours": "30"})
        assert not form.is_valid()
        assert set(form.errors) >= {"q_homework_minutes", "q_sleep_hours"}
        assert "0" in form.errors["q_homework_minutes"][0]

    def test_text_is_length_limited(self, district, school):
        campaign = make_campaign(district, [school])
        form = self._form(campaign, {"q_after_school": "no", "q_suggestion": "多" * 501})
        assert not form.is_valid() and "q_suggestion" in form.errors


class TestAnswers:
    def test_a_closed_campaign_stores_nothing(self, district, school):
        campaign = make_campaign(district, [school], status="closed")
        with pytest.raises(SurveyClosed):
            answer(campaign.participants.get())
        assert not SurveyResponse.objects.exists() and not SurveyAnswer.objects.exists()

    def test_a_campaign_past_its_dates_stores_nothing(self, district, school):
        campaign = make_campaign(district, [school])
        participant = campaign.participants.get()
        with pytest.raises(SurveyClosed):
            response_submit(participant=participant, grade=4, answers=[],
                            today=campaign.closes_on + datetime.timedelta(days=1))

    def test_a_response_keeps_nothing_that_identifies(self):
        fields = {f.name for f in SurveyResponse._meta.concrete_fields}
        assert fields == {"id", "campaign", "school", "grade", "submitted_on"}

    def test_access_codes_are_unique_short_and_unguessable(self, district):
        schools = [SchoolFactory(district=district) for _n in range(20)]
        campaign = make_campaign(district, schools, status="draft")
        codes = list(CampaignSchool.objects.filter(campaign=campaign).values_list("access_code", flat=True))
        assert len(set(codes)) == 20 and all(len(c) == 8 and not set(c) & set("01OIL") for c in codes)

    def test_the_campaign_moves_only_forward(self, district, school):
        campaign = make_campaign(district, [school], status="closed")
        with pytest.raises(WorkflowError):
            services.campaign_open(campaign=campaign, by=campaign.created_by)


class TestFigures:
    def test_a_school_with_9_answers_is_suppressed_and_with_10_is_shown(self, district, school, school_outside_zone):
        campaign = make_campaign(district, [school, school_outside_zone])
        nine, ten = campaign.participants.order_by("school__code")
        answer(nine, times=9)
        answer(ten, times=10)
        aggregates_build(campaign_id=campaign.pk)
        suppressed = _figure(campaign, nine.school, "sleep_hours")
        shown = _figure(campaign, ten.school, "sleep_hours")
        assert suppressed.suppressed and suppressed.answers == 9
        assert suppressed.mean is None and suppressed.within is None and suppressed.distribution == []
        assert not shown.suppressed and shown.mean == Decimal("10.00") and shown.within == 10
        district_row = _figure(campaign, None, "sleep_hours")
        assert district_row.answers == 19 and not district_row.suppressed

    def test_rules_by_grade_and_section(self, district, school):
        campaign = make_campaign(district, [school])
        participant = campaign.participants.get()
        answer(participant, grade=4, sleep=10, homework=60, times=3)  # primary: within both
        answer(participant, grade=4, sleep=9.5, homework=61, times=3)  # primary: outside both
        answer(participant, grade=8, sleep=9, homework=90, times=3)  # junior: within both
        answer(participant, grade=2, sleep=10, homework=10, satisfaction="fair", times=1)  # grade 2: no homework
        aggregates_build(campaign_id=campaign.pk)
        assert _figure(campaign, school, "sleep_hours").within == 7
        assert _figure(campaign, school, "homework_minutes").within == 6
        satisfaction = _figure(campaign, school, "satisfaction")
        assert satisfaction.within == 9 and satisfaction.within_share == 90.0
        assert dict(satisfaction.distribution) == {"很满意": 9, "满意": 0, "基本满意": 1, "不满意": 0}
        sleep = _figure(campaign, school, "sleep_hours")
        assert dict(sleep.distribution) == {"<8": 0, "8–9": 0, "9–10": 6, "≥10": 4}

    def test_a_build_replaces_the_figures_and_twice_gives_the_same(self, district, school):
        campaign = make_campaign(district, [school])
        answer(campaign.participants.get(), times=10)
        first = aggregates_build(campaign_id=campaign.pk)
        assert aggregates_build(campaign_id=campaign.pk) == first
        assert SurveyAggregate.objects.filter(campaign=campaign).count() == first
        assert Campaign.objects.get(pk=campaign.pk).aggregated_at is not None

    def test_closing_builds_the_figures_on_commit(self, district, school, django_capture_on_commit_callbacks):
        campaign = make_campaign(district, [school])
        answer(campaign.participants.get(), times=10)
        with django_capture_on_commit_callbacks(execute=True):
            services.campaign_close(campaign=campaign, by=campaign.created_by)
        assert _figure(campaign, school, "sleep_hours").answers == 10

    def test_the_figures_are_a_fixed_number_of_queries(self, district, django_assert_max_num_queries):
        schools = [SchoolFactory(district=district) for _n in range(3)]
        campaign = make_campaign(district, schools)
        for participant in campaign.participants.all():
            answer(participant, times=2)
        # lock, questions, choices, participants, 3 GROUP BY per school, 3 for the district,
        # delete, insert, update, savepoints
        with django_assert_max_num_queries(16):
            aggregates_build(campaign_id=campaign.pk)


def test_a_question_kind_list_is_what_the_form_knows():
    assert {k for k, _l in Question.Kind.choices} == {"single", "multiple", "number", "text"}


def test_opening_needs_questions(district, school):
    campaign = make_campaign(district, [school], status="draft")
    empty = Questionnaire.objects.create(district=district, title="空问卷", audience="parents")
    Campaign.objects.filter(pk=campaign.pk).update(questionnaire=empty)
    campaign.refresh_from_db()
    with pytest.raises(DomainError):
        services.campaign_open(campaign=campaign, by=campaign.created_by)


class TestClosingDateAndSample:
    def test_a_campaign_past_its_closing_date_is_closed_by_the_nightly_job(self, district, school,
                                                                           django_capture_on_commit_callbacks):
        import datetime as dt

        from django.utils import timezone

        from bureau.jobs import handler_for
        from bureau.models import StatusChange

        today = timezone.localdate()
        past = make_campaign(district, [school])
        answer(past.participants.get(), times=10)
        Campaign.objects.filter(pk=past.pk).update(closes_on=today - dt.timedelta(days=1))
        current = make_campaign(district, [school])  # closes in a week: stays open
        with django_capture_on_commit_callbacks(execute=True):
            assert services.campaigns_close_due(today=today) == 1
        assert Campaign.objects.get(pk=past.pk).status == Campaign.Status.CLOSED
        assert Campaign.objects.get(pk=current.pk).status == Campaign.Status.OPEN
        change = StatusChange.objects.filter(object_id=str(past.pk), to_status="closed").get()
        assert change.actor is None  # the portal closed it
        # Closing builds the figures, as a close by hand does (the job ran on commit, eagerly).
        assert _figure(past, school, "sleep_hours").answers == 10
        assert services.campaigns_close_due(today=today) == 0  # a second night does nothing
        assert handler_for("inspections.surveys_close")

    def test_the_beat_closes_campaigns_every_night(self, settings):
        assert settings.CELERY_BEAT_SCHEDULE["survey-campaigns-close"]["args"] == ["inspections.surveys_close"]

    def test_a_school_takes_no_answer_beyond_its_sample_size(self, district, school, school_outside_zone):
        from django.utils.translation import override

        campaign = make_campaign(district, [school, school_outside_zone])
        Campaign.objects.filter(pk=campaign.pk).update(sample_size=10)
        full, other = campaign.participants.order_by("school__code")
        answer(full, times=10)
        with override("zh-hans"), pytest.raises(SurveyClosed, match="已达到.*10"):
            answer(full)
        assert SurveyResponse.objects.filter(school=full.school).count() == 10
        assert SurveyAnswer.objects.filter(school=full.school).values("response").distinct().count() == 10
        answer(other)  # the other school's sample is its own
        assert SurveyResponse.objects.filter(school=other.school).count() == 1
