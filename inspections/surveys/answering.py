"""Anonymous answers: one device answers a campaign once, an address only so often, and a
closed campaign or a wrong code stores nothing.

The device is known by a signed cookie listing the campaigns it answered: it holds no
identity, and the server keeps nothing of it. The address is counted in the cache only
(bureau.ratelimit.hit), never stored with the answers. Refusals are counted per school of
the campaign, so its figures say how many answers were turned away.
"""

import time

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.errors import DomainError
from bureau.ratelimit import address_subject, hit
from inspections.models import Campaign, CampaignSchool, Question, SurveyAnswer, SurveyResponse
from inspections.surveys.services import access_code_clean

COOKIE = "surveys_answered"
COOKIE_SALT = "inspections.surveys.device"
COOKIE_MAX_AGE = 400 * 24 * 3600  # longer than a school year: a device answers a campaign once
WINDOW_SECONDS = 3600


class SurveyClosed(DomainError):
    """The campaign takes no answers (not open yet, closed, or past its dates)."""


def participant_for_code(code):
    """The school of a campaign an access code opens, or None for a wrong code."""
    code = access_code_clean(code)
    if not code:
        return None
    return (CampaignSchool.objects.select_related("campaign__questionnaire", "school")
            .filter(access_code=code).first())


def taking_answers(campaign, *, today=None):
    today = today or timezone.localdate()
    return campaign.status == Campaign.Status.OPEN and campaign.opens_on <= today <= campaign.closes_on


def sample_full(participant, campaign=None):
    """The school has all the answers the campaign sought (its sample size): it takes no more."""
    campaign = campaign or participant.campaign
    answered = SurveyResponse.objects.filter(campaign_id=campaign.pk, school_id=participant.school_id).count()
    return answered >= campaign.sample_size


def sample_full_message(campaign):
    return _("This school's survey has all the %(n)s answers it sought and takes no more. "
             "Thank you all the same.") % {"n": campaign.sample_size}


def questions_of(campaign):
    return list(campaign.questionnaire.questions.prefetch_related("choices").order_by("position"))


# ---- the device and the address -------------------------------------------------------------


def answered_campaigns(request):
    try:
        value = request.get_signed_cookie(COOKIE, default="", salt=COOKIE_SALT)
    except signing.BadSignature:
        return set()
    return {int(part) for part in value.split(",") if part.isdigit()}


def remember_answered(response, request, campaign):
    done = sorted(answered_campaigns(request) | {campaign.pk})[-50:]
    response.set_signed_cookie(COOKIE, ",".join(map(str, done)), salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE,
                               httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)


def address_over_limit(campaign, address, *, now=None):
    """Count one answer from `address` (its network) to `campaign`; True once over the limit
    of SURVEY_ANSWERS_PER_ADDRESS_HOUR in the hour. A school's computer room shares one
    address, so the limit is a class or two an hour, not one."""
    now = time.time() if now is None else now
    key = f"survey:{campaign.pk}:{address_subject(address)}:{int(now // WINDOW_SECONDS)}"
    return hit(key, WINDOW_SECONDS * 2) > settings.SURVEY_ANSWERS_PER_ADDRESS_HOUR


def refusal_count(*, participant, reason):
    """Add one refused answer to the school's count (a conditional F() update: no lost counts)."""
    field = {"duplicate": "refused_duplicate", "limit": "refused_limit"}[reason]
    CampaignSchool.objects.filter(pk=participant.pk).update(**{field: F(field) + 1})


# ---- the answers ------------------------------------------------------------------------------


@transaction.atomic
def response_submit(*, participant, grade, answers, today=None):
    """Store one respondent's answers (form.answers: [(question, value)]), all or nothing."""
    campaign = Campaign.objects.select_for_update().get(pk=participant.campaign_id)
    if not taking_answers(campaign, today=today):
        raise SurveyClosed(_("This survey is not taking answers: it is closed or not open yet."))
    if not campaign.grade_from <= grade <= campaign.grade_to:
        raise DomainError(_("This survey asks grades %(a)s to %(b)s.") % {"a": campaign.grade_from,
                                                                         "b": campaign.grade_to})
    # The sample is a cap: counted under the campaign's row lock, so two answers at once
    # cannot both take the last place.
    if sample_full(participant, campaign):
        raise SurveyClosed(sample_full_message(campaign))
    response = SurveyResponse.objects.create(campaign=campaign, school_id=participant.school_id, grade=grade,
                                             submitted_on=today or timezone.localdate())
    common = {"response": response, "campaign": campaign, "school_id": participant.school_id, "grade": grade}
    rows = []
    for question, value in answers:
        if question.questionnaire_id != campaign.questionnaire_id:
            raise DomainError(_("An answer is not of this questionnaire."))
        if question.kind == Question.Kind.NUMBER:
            rows.append(SurveyAnswer(question=question, number=value, **common))
        elif question.kind == Question.Kind.TEXT:
            rows.append(SurveyAnswer(question=question, text=value[:question.max_length], **common))
        else:
            by_code = {c.code: c for c in question.choices.all()}
            for code in value if isinstance(value, list) else [value]:
                rows.append(SurveyAnswer(question=question, choice=by_code[code], **common))
    SurveyAnswer.objects.bulk_create(rows)
    return response


# ---- one door for the page and the API ------------------------------------------------------

CLOSED, DUPLICATE, LIMITED, INVALID, STORED = "closed", "duplicate", "limited", "invalid", "stored"
FULL = "full"


def answer_take(*, request, participant, form):
    """Check a posted answer form in the order the page and the API share, store it if it
    passes, and say what happened: CLOSED, FULL (the school's sample is reached), DUPLICATE
    (counted), LIMITED (counted), INVALID (the form carries the errors) or STORED. Nothing is
    stored unless STORED."""
    from bureau.webforms import run_service

    campaign = participant.campaign
    if not taking_answers(campaign):
        return CLOSED
    if sample_full(participant, campaign):
        return FULL
    if campaign.pk in answered_campaigns(request):
        refusal_count(participant=participant, reason="duplicate")
        return DUPLICATE
    if address_over_limit(campaign, request.META.get("REMOTE_ADDR", "")):
        refusal_count(participant=participant, reason="limit")
        return LIMITED
    stored = form.is_valid() and run_service(form, lambda: response_submit(
        participant=participant, grade=form.cleaned_data["grade"], answers=form.answers))
    if stored:
        form.stored = stored
        return STORED
    return INVALID
