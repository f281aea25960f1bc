"""Writes of survey campaigns: questionnaires and their questions, campaigns and their
schools' access codes, the moves of a campaign. Answers are written in answering.py, the
figures in aggregates.py."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau import workflow
from bureau.errors import DomainError
from bureau.models import AuditLog
from bureau.services import audit_record, model_create, model_update
from inspections.models import Campaign, CampaignSchool, Choice, Question, Questionnaire, SurveyResponse
from inspections.surveys.defaults import READY
from inspections.surveys.permissions import can_run_surveys
from schools.models import School

# Access codes: 8 characters of an alphabet without look-alikes (0/O, 1/I/L), typed from a
# printed sheet; 31⁸ ≈ 8.5·10¹¹ codes, and every guess counts against the address's limit.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


def _require_runner(by, district_id):
    if not can_run_surveys(by, district_id):
        raise DomainError(_("Only the inspection office (督导室) and administrators run surveys."))


def questionnaire_has_answers(questionnaire):
    return SurveyResponse.objects.filter(campaign__questionnaire=questionnaire).exists()


def _require_editable(questionnaire):
    if questionnaire_has_answers(questionnaire):
        raise DomainError(_("A campaign has answers to this questionnaire: it cannot change any more. "
                            "Copy it and change the copy."))


# ---- questionnaires ------------------------------------------------------------------------


@transaction.atomic
def questionnaire_defaults_load(*, district, by):
    """The ready questionnaires of seed 000 (students, parents), unless the district has them."""
    _require_runner(by, district.pk)
    return questionnaire_ready_make(district=district, by=by)


def questionnaire_ready_make(*, district, by=None, write=None):
    """The ready questionnaires written for `district` (the permission is the caller's: the
    service above, or the demo loader, which is the portal itself and writes through its own
    `write(model, rows)`, with one audit row per kind instead of one per row)."""
    made = []
    for audience, title, intro, questions in READY:
        if Questionnaire.objects.filter(district=district, title=title).exists():
            continue
        data = {"district": district, "title": title, "audience": audience, "intro": intro, "created_by": by}
        if write is None:
            questionnaire = model_create(model=Questionnaire, data=data, by=by)
        else:
            questionnaire = write(Questionnaire, [Questionnaire(**data)])[0]
        _questions_write(questionnaire, questions, write=write)
        made.append(questionnaire)
    return made


def _bulk_write(model, rows):
    return model.objects.bulk_create(rows)


def _questions_write(questionnaire, questions, write=None):
    """Write the questions given as defaults.READY gives them (code, kind, text, options)."""
    write = write or _bulk_write
    by_code = {}
    for position, (code, kind, text, options) in enumerate(questions, start=1):
        condition = options.get("if")
        question = Question(
            questionnaire=questionnaire, position=position, code=code, kind=kind, text=text,
            required=options.get("required", True), unit=options.get("unit", ""),
            min_value=options.get("min"), max_value=options.get("max"), bounds=list(options.get("bounds", [])),
            max_length=options.get("max_length") or (200 if kind == Question.Kind.TEXT else None),
            measure=options.get("measure", ""),
            condition_question=by_code[condition[0]] if condition else None,
            condition_choices=list(condition[1]) if condition else [],
        )
        question.full_clean()
        question = write(Question, [question])[0]
        write(Choice, [
            Choice(question=question, position=n, code=c, label=label, positive=positive)
            for n, (c, label, positive) in enumerate(options.get("choices", ()), start=1)
        ])
        by_code[code] = question


@transaction.atomic
def questionnaire_copy(*, questionnaire, by, title=""):
    """A copy with every question, choice and condition, to change freely."""
    _require_runner(by, questionnaire.district_id)
    copy = model_create(model=Questionnaire, data={
        "district": questionnaire.district, "title": (title or _("%(title)s (copy)") % {"title": questionnaire.title})[:100],
        "audience": questionnaire.audience, "intro": questionnaire.intro, "copied_from": questionnaire,
        "created_by": by,
    }, by=by)
    questions = list(questionnaire.questions.prefetch_related("choices").order_by("position"))
    codes = {q.pk: q.code for q in questions}
    _questions_write(copy, [
        (q.code, q.kind, q.text, {
            "required": q.required, "unit": q.unit, "min": q.min_value, "max": q.max_value, "bounds": q.bounds,
            "max_length": q.max_length, "measure": q.measure,
            "choices": [(c.code, c.label, c.positive) for c in q.choices.all()],
            "if": (codes[q.condition_question_id], q.condition_choices) if q.condition_question_id else None,
        }) for q in questions
    ])
    return copy


@transaction.atomic
def questionnaire_update(*, questionnaire, data, by):
    _require_runner(by, questionnaire.district_id)
    _require_editable(questionnaire)
    return model_update(instance=questionnaire, data=data, by=by)[0]


def _parse_choices(text):
    """Choices as staff type them, one a line: "code label" or "code label +" (within the rule)."""
    rows, seen = [], set()
    for n, line in enumerate(filter(None, (raw.strip() for raw in text.splitlines())), start=1):
        parts = line.split(None, 1)
        positive = line.endswith(" +")
        label = parts[1].removesuffix(" +").strip() if len(parts) > 1 else ""
        code = parts[0]
        if not label or not code.replace("_", "").replace("-", "").isalnum() or not code.isascii():
            raise ValidationError({"choices": _("Line %(n)s: write a code of letters or digits, a space and the "
                                                "choice, e.g. “yes 是”.") % {"n": n}})
        if code in seen:
            raise ValidationError({"choices": _("Line %(n)s: the code %(code)s is used twice.") % {"n": n, "code": code}})
        seen.add(code)
        rows.append((code, label[:100], positive))
    return rows


@transaction.atomic
def question_save(*, questionnaire, data, choices_text="", question=None, by):
    """Add a question at the end, or change one; its choices are replaced by `choices_text`."""
    _require_runner(by, questionnaire.district_id)
    _require_editable(questionnaire)
    Kind = Question.Kind
    errors = {}
    kind = data["kind"]
    choices = _parse_choices(choices_text) if kind in (Kind.SINGLE, Kind.MULTIPLE) else []
    if kind in (Kind.SINGLE, Kind.MULTIPLE) and len(choices) < 2:
        errors["choices"] = _("A choice question needs at least two choices.")
    low, high = data.get("min_value"), data.get("max_value")
    if kind == Kind.NUMBER and (low is None or high is None):
        errors["max_value"] = _("A number question needs its lowest and highest answer.")
    elif kind == Kind.NUMBER and high <= low:
        errors["max_value"] = _("The highest number must be above the lowest.")
    if kind == Kind.TEXT and not data.get("max_length"):
        errors["max_length"] = _("A text question needs its longest answer (at most 1000 characters).")
    condition = data.get("condition_question")
    wanted = [c.strip() for c in (data.get("condition_choices") or "").split(",") if c.strip()]
    if condition is not None:
        if condition.questionnaire_id != questionnaire.pk or not condition.is_choice:
            errors["condition_question"] = _("The condition must be a choice question of this questionnaire.")
        elif question is not None and condition.position >= question.position:
            errors["condition_question"] = _("The condition must be a question asked before this one.")
        elif not wanted or set(wanted) - set(condition.choices.values_list("code", flat=True)):
            errors["condition_choices"] = _("Give the codes of that question's choices, separated by commas.")
    if errors:
        raise ValidationError(errors)
    fields = {
        "code": data["code"], "text": data["text"], "kind": kind, "required": data.get("required", False),
        "unit": data.get("unit", "") if kind == Kind.NUMBER else "",
        "min_value": low if kind == Kind.NUMBER else None, "max_value": high if kind == Kind.NUMBER else None,
        "bounds": [b for b in data.get("bounds", []) if low is not None and high is not None and low < b < high]
        if kind == Kind.NUMBER else [],
        "max_length": data.get("max_length") if kind == Kind.TEXT else None,
        "measure": data.get("measure", ""), "condition_question": condition,
        "condition_choices": wanted if condition is not None else [],
    }
    if question is None:
        last = questionnaire.questions.order_by("-position").values_list("position", flat=True).first() or 0
        question = model_create(model=Question, data={"questionnaire": questionnaire, "position": last + 1, **fields},
                                by=by)
    else:
        question = model_update(instance=question, data=fields, by=by)[0]
    question.choices.all().delete()
    Choice.objects.bulk_create([Choice(question=question, position=n, code=code, label=label, positive=positive)
                                for n, (code, label, positive) in enumerate(choices, start=1)])
    return question


@transaction.atomic
def question_delete(*, question, by):
    questionnaire = question.questionnaire
    _require_runner(by, questionnaire.district_id)
    _require_editable(questionnaire)
    if question.dependants.exists():
        raise DomainError(_("Another question is asked only if this one is answered: change that one first."))
    audit_record(actor=by, action=AuditLog.Action.DELETE, instance=question)
    question.delete()


# ---- campaigns ------------------------------------------------------------------------------


def access_code_new():
    return "".join(secrets.choice(CODE_ALPHABET) for _n in range(CODE_LENGTH))


def access_code_clean(text):
    """What a respondent typed, as stored: spaces and dashes dropped, upper case."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())[:CODE_LENGTH * 2]


@transaction.atomic
def campaign_create(*, district, data, schools, by):
    """A draft campaign and each school's access code; the schools must be open and the district's."""
    _require_runner(by, district.pk)
    schools = list(schools)
    if not schools:
        raise ValidationError({"schools": _("Pick at least one school.")})
    wrong = [s.name for s in schools if s.district_id != district.pk or s.status != School.Status.OPEN]
    if wrong:
        raise ValidationError({"schools": _("Not open schools of this district: %(names)s.") % {"names": "、".join(wrong)}})
    if data["questionnaire"].district_id != district.pk:
        raise ValidationError({"questionnaire": _("The questionnaire is not this district's.")})
    campaign = model_create(model=Campaign, data={"district": district, "created_by": by, **data}, by=by)
    CampaignSchool.objects.bulk_create([
        CampaignSchool(campaign=campaign, school=school, access_code=_free_code()) for school in schools
    ])
    return campaign


def _free_code():
    while True:
        code = access_code_new()
        if not CampaignSchool.objects.filter(access_code=code).exists():
            return code


def campaign_open(*, campaign, by):
    if not campaign.questionnaire.questions.exists():
        raise DomainError(_("The questionnaire has no question yet."))
    return workflow.transition(campaign, to=Campaign.Status.OPEN, by=by)


def campaign_close(*, campaign, by):
    """Close the campaign: no answer is taken any more, and its figures are built (on commit)."""
    from inspections.surveys.aggregates import aggregates_enqueue

    return workflow.transition(campaign, to=Campaign.Status.CLOSED, by=by,
                               after=lambda: aggregates_enqueue(campaign_id=campaign.pk))


def campaigns_close_due(*, today=None):
    """Close every campaign still open after its closing date, as its runner would (the figures
    are built on commit): the nightly job. Answers stop at the closing date anyway
    (answering.taking_answers); this moves the state and builds the figures. Returns how many."""
    today = today or timezone.localdate()
    closed = 0
    for campaign in Campaign.objects.filter(status=Campaign.Status.OPEN, closes_on__lt=today).order_by("pk"):
        try:
            campaign_close(campaign=campaign, by=None)
        except workflow.ConcurrentMove:
            continue  # closed by hand a moment ago
        closed += 1
    return closed
