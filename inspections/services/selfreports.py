"""Writes of term self-reports: staff open a round, the school fills and submits its report,
staff accept it or return it with comments; an accepted report is corrected by a new version.
Every move goes through bureau.workflow; the broken rules are worked out on every save."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau import calendar, refcache, uploads, workflow
from bureau.errors import DomainError
from bureau.models import AuditLog, Role, User
from bureau.notices import notice_send
from bureau.services import audit_bulk, model_create, model_update
from inspections.models import SelfReport, SelfReportFile, SelfReportRound
from inspections.models.selfreports import SUBJECT_CODES
from inspections.selfreport_home import WAITING_CACHE
from inspections.selfreport_permissions import can_open_round, fills_selfreport
from inspections.selfreport_rules import breach_codes, breaches, report_fields
from inspections.services.visits import MAX_EVIDENCE_PER_ITEM
from schools.models import School, SchoolStage

Status = SelfReport.Status
# The schools a round calls on by default: the open compulsory-education schools of the district.
COMPULSORY_STAGES = (SchoolStage.PRIMARY, SchoolStage.JUNIOR, SchoolStage.NINE_YEAR, SchoolStage.COMPLETE)
# What the school writes besides the rule-checked values (the service sets the rest).
TEXT_FIELDS = ("weekend_detail", "fees_detail", "tutoring_found", "tutoring_action", "narrative")
COPIED_ON_CORRECTION = ("curriculum", "submitted_at")


def default_schools(district):
    return School.objects.filter(district=district, status=School.Status.OPEN, stage__in=COMPULSORY_STAGES)


@transaction.atomic
def round_open(*, district, term, due_date, by, schools=None):
    """Open the term's round in `district`: a draft report for each school (all the district's
    open compulsory schools unless `schools` names some), due on a working day."""
    if not can_open_round(by, district.pk):
        raise DomainError(_("Self-report rounds are opened by staff of the basic education section or the "
                            "inspection office, in their own district."))
    errors = {}
    today = timezone.localdate()
    if due_date < today:
        errors["due_date"] = _("The due date has passed: give a date from today on.")
    elif not calendar.is_working_day(due_date, district=district.pk):
        following = calendar.add_working_days(due_date, 1, district=district.pk)
        errors["due_date"] = _("%(date)s is not a working day on the district's calendar; the next one is "
                               "%(next)s.") % {"date": due_date.isoformat(), "next": following.isoformat()}
    if SelfReportRound.objects.filter(district=district, term=term).exists():
        errors["term"] = _("%(district)s has a self-report round for %(term)s already.") % {
            "district": district, "term": term}
    chosen = list(default_schools(district) if not schools else schools)
    if any(school.district_id != district.pk for school in chosen):
        errors["schools"] = _("Choose schools of the round's district only.")
    elif not chosen:
        errors["schools"] = _("The district has no open school to report.")
    if errors:
        raise ValidationError(errors)
    round_ = model_create(model=SelfReportRound, data={
        "district": district, "term": term, "due_date": due_date, "opened_by": by}, by=by)
    round_.schools.set(chosen)
    reports = SelfReport.objects.bulk_create([SelfReport(round=round_, school=school) for school in chosen])
    refcache.forget(WAITING_CACHE)  # bulk_create sends no post_save
    audit_bulk(actor=by, action=AuditLog.Action.CREATE, instances_changes=[
        (report, {"school": [None, report.school.name], "status": [None, Status.DRAFT]}) for report in reports])
    for report in reports:
        _tell_school(report, key=f"selfreport:{report.pk}:opened", title=_(
            "Term self-report of %(term)s: due %(due)s") % {"term": term, "due": due_date.isoformat()})
    return round_


def _tell_school(report, *, key, title, body=""):
    """A notice to the school's principal and deputies (principal-role accounts of the school)."""
    for person in User.objects.filter(school_id=report.school_id, role=Role.PRINCIPAL, is_active=True):
        notice_send(recipient=person, key=key, title=title, body=body,
                    url=reverse("inspections:selfreport_edit", args=[report.pk]))


def _locked_editable(report, by):
    report = SelfReport.objects.select_for_update().select_related("school", "round").get(pk=report.pk)
    if not fills_selfreport(by, report):
        raise DomainError(_("Only the school's principal or a deputy fills in its self-report."))
    if not report.is_editable:
        raise DomainError(_("This self-report is “%(state)s”: it can no longer be changed.")
                          % {"state": report.get_status_display()})
    return report


def curriculum_clean(curriculum):
    """{subject: {"plan": n, "actual": n}} with whole numbers of 0–40 periods a week, subjects
    known; field errors by subject otherwise."""
    clean, errors = {}, {}
    for code, row in (curriculum or {}).items():
        if code not in SUBJECT_CODES or not isinstance(row, dict):
            errors["curriculum"] = _("Unknown subject %(code)s.") % {"code": code}
            continue
        kept = {}
        for part in ("plan", "actual"):
            value = row.get(part)
            if value in (None, ""):
                continue
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 40:
                errors[f"curriculum_{code}_{part}"] = _("Give 0 to 40 periods a week.")
                continue
            kept[part] = value
        if kept:
            clean[code] = kept
    if errors:
        raise ValidationError(errors)
    return clean


def _field_values(report, data):
    """Each value as its model field makes it (a number from text, a time from "08:20"), with
    the field's own limits; every field's errors at once."""
    clean, errors = {}, {}
    for name, value in data.items():
        field = SelfReport._meta.get_field(name)
        if value == "" and field.null:
            value = None
        try:
            clean[name] = field.clean(value, report)
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def selfreport_save(*, report, data, by, curriculum=None, files=()):
    """Save the school's values as a draft (or on a returned report); the rules they break are
    stored with them. Nothing is saved when a value is out of range."""
    report = _locked_editable(report, by)
    allowed = set(report_fields(report.school)) | set(TEXT_FIELDS)
    values = _field_values(report, {name: value for name, value in data.items() if name in allowed})
    values["curriculum"] = curriculum_clean(report.curriculum if curriculum is None else curriculum)
    values["breaches"] = breach_codes(breaches(values | {n: getattr(report, n) for n in allowed - set(values)},
                                               report.school, values["curriculum"]))
    files = list(files)
    if report.files.count() + len(files) > MAX_EVIDENCE_PER_ITEM:
        raise ValidationError({"files": _("A self-report holds at most %(n)s files.") % {"n": MAX_EVIDENCE_PER_ITEM}})
    values["saved_at"] = timezone.now()
    report, _changed = model_update(instance=report, data=values, by=by)
    uploads.upload_rows(model=SelfReportFile, files=files, folder="evidence/selfreports", by=by, report=report)
    return report


@transaction.atomic
def selfreport_submit(*, report, by):
    """Send the report to the bureau: every value of the school's grades and sections is needed."""
    report = _locked_editable(report, by)
    missing = {name: _("Fill this in before submitting.") for name in report_fields(report.school)
               if getattr(report, name) is None}
    if report.weekend_classes and not report.weekend_detail.strip():
        missing["weekend_detail"] = _("Say which classes were held, and when.")
    if report.extra_fees and not report.fees_detail.strip():
        missing["fees_detail"] = _("Say which fees were collected.")
    if report.tutoring_found and not report.tutoring_action.strip():
        missing["tutoring_action"] = _("Say what was done about the paid tutoring found.")
    if missing:
        raise ValidationError(missing)
    fields = {"submitted_by": by}
    if report.submitted_at is None:  # the first submission says whether the school was late
        fields["submitted_at"] = timezone.now()
    return workflow.transition(report, to=Status.SUBMITTED, by=by, expected=report.status, fields=fields)


def _under_review(report):
    if report.status != Status.SUBMITTED:
        raise DomainError(_("Only a submitted self-report is reviewed: this one is “%(state)s”.")
                          % {"state": report.get_status_display()})


@transaction.atomic
def selfreport_accept(*, report, by, note=""):
    _under_review(report)
    return workflow.transition(report, to=Status.ACCEPTED, by=by, note=note, expected=Status.SUBMITTED,
                               fields={"reviewed_at": timezone.now(), "comments": note.strip()})


@transaction.atomic
def selfreport_return(*, report, comments, by):
    comments = (comments or "").strip()
    if not comments:
        raise ValidationError({"comments": _("Say what the school must correct.")})
    try:
        SelfReport._meta.get_field("comments").run_validators(comments)
    except ValidationError as error:
        raise ValidationError({"comments": error.messages}) from None
    _under_review(report)
    now = timezone.now()
    moved = workflow.transition(report, to=Status.RETURNED, by=by, note=comments, expected=Status.SUBMITTED,
                                fields={"reviewed_at": now, "comments": comments})
    _tell_school(moved, key=f"selfreport:{moved.pk}:returned:{now.isoformat()}",
                 title=_("Your term self-report was returned: correct it and submit it again"), body=comments)
    return moved


@transaction.atomic
def selfreport_correct(*, report, by):
    """Open a new version of an accepted report: a draft with its values; the accepted one is
    kept, locked, as the history of what was accepted."""
    report = SelfReport.objects.select_for_update().select_related("school", "round").get(pk=report.pk)
    if not fills_selfreport(by, report):
        raise DomainError(_("Only the school's principal or a deputy corrects its self-report."))
    if report.status != Status.ACCEPTED or not report.is_current:
        raise DomainError(_("Only the accepted, current self-report is corrected by a new version: this one is "
                            "“%(state)s”.") % {"state": report.get_status_display()})
    model_update(instance=report, data={"is_current": False}, by=by, note=_("corrected by a new version"))
    copied = {name: getattr(report, name) for name in
              (*report_fields(report.school), *TEXT_FIELDS, *COPIED_ON_CORRECTION, "breaches")}
    return model_create(model=SelfReport, data={
        **copied, "round": report.round, "school": report.school, "version": report.version + 1,
        "corrects": report, "saved_at": timezone.now(),
    }, by=by, note=_("correction of version %(n)s") % {"n": report.version})


def is_late(report, today=None):
    """Late: first submitted after the due date, or not submitted by it."""
    due = report.round.due_date
    if report.submitted_at is not None:
        return timezone.localdate(report.submitted_at) > due
    return (today or timezone.localdate()) > due


def default_due_date(district, today=None):
    """Ten working days from today on the district's calendar: the form's suggestion."""
    return calendar.add_working_days(today or timezone.localdate(), 10, district=district)

