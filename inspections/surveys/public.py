"""The public answer pages: no account, a phone first. Opened by the school's access code,
typed or read from the QR code of the printed sheet.

A wrong code, a closed campaign, a device that answered before and an address over its
limit each get a page that says so in plain words, and nothing is stored; the last two are
counted on the campaign's figures.
"""

from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods

from bureau.permissions import public
from bureau.ratelimit import public_rate_limited
from inspections.surveys import answering
from inspections.surveys.forms import AnswerForm, field_name
from inspections.surveys.services import access_code_clean


@public
@public_rate_limited("survey")
@require_GET
def survey_enter(request):
    code = request.GET.get("code", "")
    if code:
        if answering.participant_for_code(code) is not None:
            return redirect("survey:answer", code=access_code_clean(code))
        return _refusal(request, WRONG_CODE_MESSAGE, status=404, code=code)
    return render(request, "inspections/survey/enter.html", {})


def _refusal(request, message, *, status, code=""):
    return render(request, "inspections/survey/refused.html", {"message": message, "code": code}, status=status)


CLOSED_MESSAGE = _lazy("This survey is closed (or not open yet): it takes no answers now. Thank you all the same.")
WRONG_CODE_MESSAGE = _lazy("No survey has this access code. Check the code on the sheet the school gave you.")
REFUSALS = {
    answering.CLOSED: (CLOSED_MESSAGE, 410),
    answering.DUPLICATE: (_lazy("This phone or computer has answered this survey already: each answers once. "
                                "Thank you."), 409),
    answering.LIMITED: (_lazy("Too many answers came from your network in the last hour. Try again later."), 429),
}


@public
@public_rate_limited("survey")
@require_http_methods(["GET", "POST"])
def survey_answer(request, code):
    participant = answering.participant_for_code(code)
    if participant is None:
        return _refusal(request, WRONG_CODE_MESSAGE, status=404, code=code)
    campaign = participant.campaign
    if not answering.taking_answers(campaign):
        return _refusal(request, CLOSED_MESSAGE, status=410)
    if answering.sample_full(participant, campaign):
        return _refusal(request, answering.sample_full_message(campaign), status=410)
    questions = answering.questions_of(campaign)
    form = AnswerForm(request.POST or None, campaign=campaign, questions=questions)
    if request.method == "POST":
        outcome = answering.answer_take(request=request, participant=participant, form=form)
        if outcome == answering.STORED:
            response = redirect("survey:done")
            answering.remember_answered(response, request, campaign)
            return response
        if outcome == answering.FULL:
            return _refusal(request, answering.sample_full_message(campaign), status=410)
        if outcome in REFUSALS:
            message, status = REFUSALS[outcome]
            return _refusal(request, message, status=status)
    elif campaign.pk in answering.answered_campaigns(request):
        return _refusal(request, REFUSALS[answering.DUPLICATE][0], status=200)
    rows = [(q, form[field_name(q)]) for q in questions]
    return render(request, "inspections/survey/answer.html", {
        "campaign": campaign, "school": participant.school, "form": form, "rows": rows, "code": participant.access_code,
    }, status=400 if form.is_bound else 200)


@public
@public_rate_limited("survey")
@require_GET
def survey_done(request):
    return render(request, "inspections/survey/done.html", {})
