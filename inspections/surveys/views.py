"""The inspection office's survey pages: questionnaires, campaigns, their sheets and figures.

Everyone who reads campaigns goes through the same figures page: the bureau sees the district
and every school, an inspector its zones' schools, a principal its own school once the
campaign is closed. No page shows an answer.
"""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bureau.charts import Bar, bar_chart
from bureau.errors import DomainError
from bureau.models import Role
from bureau.permissions import BUREAU, roles_required
from bureau.selectors import audit_for_object
from bureau.webforms import run_service
from bureau.workflow import state_label, status_history
from inspections.models import Campaign
from inspections.selectors import planner_districts
from inspections.surveys import aggregates, documents, selectors, services
from inspections.surveys.forms import CampaignForm, QuestionForm, QuestionnaireForm
from inspections.surveys.permissions import SURVEY_READERS, can_run_surveys, sees_district_figures

RUNNERS = (Role.ADMIN, Role.STAFF)


def _require_runner(user, district_id):
    if not can_run_surveys(user, district_id):
        raise PermissionDenied


def runners_only(view):
    """督导室 staff and administrators: other departments' staff are refused (403) before any
    record is looked up; the record's own district is checked again once it is loaded."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        _require_runner(request.user, None)
        return view(request, *args, **kwargs)

    return wrapped


# ---- questionnaires -----------------------------------------------------------------------


@roles_required(*BUREAU)
@require_GET
def questionnaire_list(request):
    return render(request, "inspections/survey/questionnaire_list.html", {
        "questionnaires": list(selectors.questionnaire_list(user=request.user)[:200]),
        "districts": planner_districts(request.user) if can_run_surveys(request.user) else [],
    })


@roles_required(*RUNNERS)
@require_POST
@runners_only
def questionnaire_load_defaults(request):
    made = []
    for district in planner_districts(request.user):
        made += services.questionnaire_defaults_load(district=district, by=request.user)
    if made:
        messages.success(request, _("Loaded: %(titles)s.") % {"titles": "、".join(q.title for q in made)})
    else:
        messages.info(request, _("The ready questionnaires are loaded already."))
    return redirect("surveys:questionnaire_list")


def _questionnaire_page(request, questionnaire, *, form=None, question_form=None, status=200):
    runs = can_run_surveys(request.user, questionnaire.district_id)
    locked = services.questionnaire_has_answers(questionnaire)
    editable = runs and not locked
    return render(request, "inspections/survey/questionnaire_detail.html", {
        "questionnaire": questionnaire, "runs": runs, "locked": locked, "editable": editable,
        "form": form or (QuestionnaireForm(instance=questionnaire) if editable else None),
        "question_form": question_form or (QuestionForm(questionnaire=questionnaire) if editable else None),
        "history": audit_for_object(instance=questionnaire, user=request.user),
    }, status=status)


@roles_required(*BUREAU)
@require_GET
def questionnaire_detail(request, pk):
    return _questionnaire_page(request, selectors.questionnaire_detail(user=request.user, pk=pk))


@roles_required(*RUNNERS)
@require_POST
@runners_only
def questionnaire_save(request, pk):
    questionnaire = selectors.questionnaire_detail(user=request.user, pk=pk)
    _require_runner(request.user, questionnaire.district_id)
    form = QuestionnaireForm(request.POST, instance=selectors.questionnaire_detail(user=request.user, pk=pk))

    def action():
        services.questionnaire_update(questionnaire=questionnaire, data={
            "title": form.cleaned_data["title"], "intro": form.cleaned_data["intro"]}, by=request.user)

    if form.is_valid() and run_service(form, action):
        messages.success(request, _("Saved."))
        return redirect("surveys:questionnaire_detail", pk=pk)
    return _questionnaire_page(request, questionnaire, form=form, status=400)


@roles_required(*RUNNERS)
@require_POST
@runners_only
def questionnaire_copy(request, pk):
    questionnaire = selectors.questionnaire_detail(user=request.user, pk=pk)
    _require_runner(request.user, questionnaire.district_id)
    copy = services.questionnaire_copy(questionnaire=questionnaire, by=request.user)
    messages.success(request, _("Copied: change the copy as you need."))
    return redirect("surveys:questionnaire_detail", pk=copy.pk)


def _question_action(form, questionnaire, question, user):
    data = dict(form.cleaned_data)
    choices = data.pop("choices", "")
    return lambda: services.question_save(questionnaire=questionnaire, question=question, data=data,
                                          choices_text=choices, by=user)


@roles_required(*RUNNERS)
@require_POST
@runners_only
def question_add(request, pk):
    questionnaire = selectors.questionnaire_detail(user=request.user, pk=pk)
    _require_runner(request.user, questionnaire.district_id)
    form = QuestionForm(request.POST, questionnaire=questionnaire)
    if form.is_valid() and run_service(form, _question_action(form, questionnaire, None, request.user)):
        messages.success(request, _("The question is added."))
        return redirect("surveys:questionnaire_detail", pk=pk)
    return _questionnaire_page(request, questionnaire, question_form=form, status=400)


@roles_required(*RUNNERS)
@runners_only
def question_edit(request, pk):
    question = selectors.question_for_edit(user=request.user, pk=pk)
    questionnaire = question.questionnaire
    _require_runner(request.user, questionnaire.district_id)
    if services.questionnaire_has_answers(questionnaire):
        messages.error(request, _("A campaign has answers to this questionnaire: it cannot change any more. "
                                  "Copy it and change the copy."))
        return redirect("surveys:questionnaire_detail", pk=questionnaire.pk)
    form = QuestionForm(request.POST or None, questionnaire=questionnaire, question=question)
    if request.method == "POST":
        if request.POST.get("delete"):
            try:
                services.question_delete(question=question, by=request.user)
            except DomainError as error:
                messages.error(request, str(error))
                return redirect("surveys:question_edit", pk=pk)
            messages.success(request, _("The question is deleted."))
            return redirect("surveys:questionnaire_detail", pk=questionnaire.pk)
        if form.is_valid() and run_service(form, _question_action(form, questionnaire, question, request.user)):
            messages.success(request, _("Saved."))
            return redirect("surveys:questionnaire_detail", pk=questionnaire.pk)
    return render(request, "inspections/survey/question_edit.html", {"form": form, "question": question},
                  status=400 if form.is_bound else 200)


# ---- campaigns ----------------------------------------------------------------------------


@roles_required(*SURVEY_READERS)
@require_GET
def campaign_list(request):
    return render(request, "inspections/survey/campaign_list.html", {
        "campaigns": list(selectors.campaign_list(user=request.user)[:100]),
        "runs": can_run_surveys(request.user),
    })


@roles_required(*RUNNERS)
@runners_only
def campaign_create(request):
    districts = planner_districts(request.user)
    if not districts or not can_run_surveys(request.user):
        raise PermissionDenied
    district = districts[0]
    form = CampaignForm(request.POST or None, district=district)
    made = {}

    def action():
        made["campaign"] = services.campaign_create(district=district, data=form.campaign_data(),
                                                    schools=form.cleaned_data["schools"], by=request.user)

    if request.method == "POST" and form.is_valid() and run_service(form, action):
        messages.success(request, _("The campaign is made: print the schools' sheets, then open it."))
        return redirect("surveys:campaign_detail", pk=made["campaign"].pk)
    return render(request, "inspections/survey/campaign_form.html", {"form": form, "district": district},
                  status=400 if form.is_bound else 200)


def _charts(figures, district):
    """One chart per question of what the page shows (the district's, or the one school's)."""
    charts = []
    for question, district_row, school_rows in figures:
        row = district_row if district else (school_rows[0] if len(school_rows) == 1 else None)
        if row is None or row.suppressed or not row.distribution:
            continue
        total = sum(n for _label, n in row.distribution) or 1
        bars = [Bar(label=f"{label} ({n})", value=round(100 * n / total, 1), note=f"{100 * n / total:.0f}%")
                for label, n in row.distribution]
        charts.append(bar_chart(bars, title=question.text, max_value=100, label_width=150))
    return charts


def _within_chart(question, rows):
    bars = [Bar(label=row.school.name, value=row.within_share,
                tone="ok" if row.within_share >= 90 else "warn" if row.within_share >= 75 else "bad",
                note=f"{row.within_share:g}%") for row in rows if row.within_share is not None]
    if not bars:
        return ""
    return bar_chart(bars, title=_("%(question)s: share within the rule") % {"question": question.text},
                     max_value=100, label_width=170)


@roles_required(*SURVEY_READERS)
@require_GET
def campaign_detail(request, pk):
    campaign = selectors.campaign_detail(user=request.user, pk=pk)
    user = request.user
    runs = can_run_surveys(user, campaign.district_id)
    district = sees_district_figures(user)
    school = user.school if user.role == Role.PRINCIPAL and not user.is_superuser else None
    figures = selectors.campaign_figures(user=user, campaign=campaign, school=school)
    focus = request.GET.get("rule")
    within = next(((q, rows) for q, _d, rows in figures if str(q.pk) == focus), None)
    if within is None:
        within = next(((q, rows) for q, _d, rows in figures if q.measure), None)
    return render(request, "inspections/survey/campaign_detail.html", {
        "campaign": campaign, "runs": runs, "district": district, "school": school,
        "participants": list(selectors.campaign_participants(user=user, campaign=campaign)) if school is None else [],
        "refused": selectors.campaign_refused(campaign=campaign) if district else None,
        "figures": figures, "charts": _charts(figures, district),
        "within_chart": _within_chart(*within) if within and school is None else "",
        "rule_questions": [q for q, _d, _rows in figures if q.measure],
        "history": [(change, state_label(Campaign, change.from_status), state_label(Campaign, change.to_status))
                    for change in status_history(instance=campaign)] if runs else [],
        "can_open": runs and campaign.status == Campaign.Status.DRAFT,
        "can_close": runs and campaign.status == Campaign.Status.OPEN,
    })


@roles_required(*RUNNERS)
@require_POST
@runners_only
def campaign_move(request, pk):
    campaign = selectors.campaign_detail(user=request.user, pk=pk)
    _require_runner(request.user, campaign.district_id)
    target = request.POST.get("to")
    try:
        if target == Campaign.Status.OPEN:
            services.campaign_open(campaign=campaign, by=request.user)
            messages.success(request, _("The campaign is open: the access codes take answers."))
        elif target == Campaign.Status.CLOSED:
            services.campaign_close(campaign=campaign, by=request.user)
            messages.success(request, _("The campaign is closed: its figures are being built."))
        else:
            messages.error(request, _("Choose to open or to close the campaign."))
    except DomainError as error:
        messages.error(request, str(error))
    return redirect("surveys:campaign_detail", pk=pk)


@roles_required(*RUNNERS)
@require_POST
@runners_only
def campaign_rebuild(request, pk):
    campaign = selectors.campaign_detail(user=request.user, pk=pk)
    _require_runner(request.user, campaign.district_id)
    aggregates.aggregates_enqueue(campaign_id=campaign.pk)
    messages.success(request, _("The figures are being built from the answers; reload the page in a moment."))
    return redirect("surveys:campaign_detail", pk=pk)


@roles_required(*RUNNERS)
@require_GET
@runners_only
def campaign_sheets(request, pk):
    """Every school's A4 access sheet in one PDF (or one school's with ?school=<id>)."""
    campaign = selectors.campaign_detail(user=request.user, pk=pk)
    _require_runner(request.user, campaign.district_id)
    participants = selectors.campaign_participants(user=request.user, campaign=campaign)
    if request.GET.get("school", "").isdigit():
        participants = [get_object_or_404(participants, school_id=int(request.GET["school"]))]
    response = HttpResponse(documents.sheets_pdf(request, campaign, participants), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="survey-{campaign.pk}-sheets.pdf"'
    return response


@roles_required(*SURVEY_READERS)
@require_GET
def campaign_export(request, pk):
    campaign = selectors.campaign_detail(user=request.user, pk=pk)
    user = request.user
    school = user.school if user.role == Role.PRINCIPAL and not user.is_superuser else None
    figures = selectors.campaign_figures(user=user, campaign=campaign, school=school)
    refused = selectors.campaign_refused(campaign=campaign) if sees_district_figures(user) else {
        "duplicate": "", "limit": ""}
    data, name = documents.figures_xlsx(campaign, figures, refused)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
