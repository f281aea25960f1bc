"""Writes of the complaints app: one service per verb of the workflow (DESIGN.md "Complaint").

Each is keyword-only, atomic and takes `by`; states move only through
bureau.workflow.transition, which locks the row and refuses a move that another user made
first (`expected`: the state the actor saw), so two staff acting at once get one success and
one clear error. Nothing here writes the complainant's name or mobile into a log line, an
audit note or a task argument.
"""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau import ratelimit, uploads, workflow
from bureau.errors import DomainError
from bureau.models import AuditLog, Role
from bureau.scope import district_ids
from bureau.services import audit_record, model_create, model_update
from bureau.webforms import limit_message
from complaints import deadlines
from complaints.models import Attachment, Channel, Complaint, Finding, HandlingRecord, Responsibility
from complaints.permissions import (
    can_add_files,
    can_answer_as_school,
    can_handle,
    can_investigate,
    can_lodge,
    can_see_complainant,
    is_complainant,
    is_complaint_handler,
)
from schools.models import ConductRecord

S = Complaint.Status
# Files one complaint holds, all sides together: enough for a case, bounded against a runaway upload.
MAX_ATTACHMENTS = 20


def _new_tracking_number(now):
    # Random, not a sequence: the number a parent is given says nothing about how many
    # complaints the bureau has, and two lodged at once cannot draw the same one.
    while True:
        number = f"TS{timezone.localdate(now):%Y%m%d}{secrets.randbelow(10 ** 6):06d}"
        if not Complaint.objects.filter(tracking_number=number).exists():
            return number


def _require(condition, message):
    if not condition:
        raise DomainError(message)


def _required_text(name, value, message):
    if not (value or "").strip():
        raise ValidationError({name: message})
    return value.strip()


def _check_length(name, value, limit):
    # Said the way every form of the portal says a limit (bureau.webforms.LIMIT_MESSAGES).
    try:
        MaxLengthValidator(limit)(value)
    except ValidationError as error:
        raise ValidationError({name: limit_message(error) or error.messages}) from None
    return value


def _submission_limits(*, by, address):
    """A parent lodges at most COMPLAINT_SUBMIT_PER_DAY complaints a day, and one address at
    most COMPLAINT_SUBMIT_PER_ADDRESS_PER_DAY whatever the accounts (the office's own entries
    are not limited). The address is counted in the cache, never stored with the complaint."""
    since = timezone.now() - datetime.timedelta(days=1)
    if Complaint.objects.filter(created_by=by, received_at__gte=since).count() >= settings.COMPLAINT_SUBMIT_PER_DAY:
        raise DomainError(_("You have lodged %(n)d complaints today, the most a day. Lodge more tomorrow, or call "
                            "the bureau's complaint line.") % {"n": settings.COMPLAINT_SUBMIT_PER_DAY})
    if address:
        key = f"complaint-submit:{ratelimit.address_subject(address)}:{timezone.localdate():%Y%m%d}"
        if ratelimit.hit(key, 24 * 3600) > settings.COMPLAINT_SUBMIT_PER_ADDRESS_PER_DAY:
            raise DomainError(_("Too many complaints were lodged from this network today. Try again tomorrow, "
                                "or call the bureau's complaint line."))


@transaction.atomic
def complaint_submit(*, school, category, description, happened_on, by, token, teacher_name="",
                     channel=Channel.WEB, complainant_name="", complainant_mobile="", address=None, files=()):
    """Lodge a complaint: a parent on the web (its account is the complainant), or the
    complaints office entering one that came by hotline, letter or visit, with the
    complainant's photos or documents (`files`; the office: a scanned letter). Returns
    (complaint, created): the same form sent twice (a double click) finds the first one."""
    existing = Complaint.objects.filter(created_by=by, submission_token=token).first()
    if existing is not None:
        return existing, False
    if channel == Channel.WEB:
        _require(can_lodge(by), _("Only a registered parent account lodges a complaint on the web."))
        _submission_limits(by=by, address=address)
        _require(by.name and by.mobile, _("Your account needs your real name and mobile number to lodge a complaint."))
        complainant, complainant_name, complainant_mobile = by, by.name, by.mobile
    else:
        _require(is_complaint_handler(by), _("Only the complaints office enters complaints that came by "
                                             "hotline, letter or visit."))
        complainant = None
    if by.role != Role.PARENT:
        _require(school.district_id in district_ids(by),
                 _("This school is outside the districts you work on."))
    now = timezone.now()
    if happened_on and happened_on > timezone.localdate(now):
        raise ValidationError({"happened_on": _("The date cannot be in the future.")})
    complaint = Complaint(
        tracking_number=_new_tracking_number(now), school=school, category=category, channel=channel,
        description=(description or "").strip(), happened_on=happened_on, teacher_name=(teacher_name or "").strip(),
        complainant=complainant, complainant_name=(complainant_name or "").strip(),
        complainant_mobile=(complainant_mobile or "").strip(), created_by=by, submission_token=token,
        received_at=now, accept_due=deadlines.accept_due(received_at=now, district=school.district),
    )
    complaint.due_on = complaint.accept_due
    complaint.full_clean()
    try:
        with transaction.atomic():
            complaint.save()
    except IntegrityError:
        # The twin of a double click committed between our look and our insert.
        return Complaint.objects.get(created_by=by, submission_token=token), False
    audit_record(actor=by, action=AuditLog.Action.CREATE, instance=complaint,
                 changes={"status": [None, complaint.status], "school": [None, school.name],
                          "category": [None, complaint.category], "channel": [None, channel]})
    _attach(complaint, files=files, by=by, side=Attachment.Side.COMPLAINANT)
    return complaint, True


def _move(complaint, *, to, by, expected, note="", fields=None):
    return workflow.transition(complaint, to=to, by=by, note=note, expected=expected, fields=fields)


@transaction.atomic
def complaint_accept(*, complaint, by, expected=None, note=""):
    now = timezone.now()
    due = deadlines.conclude_due(accepted_at=now, district=complaint.school.district)
    return _move(complaint, to=S.ACCEPTED, by=by, expected=expected, note=note,
                 fields={"accepted_at": now, "conclude_due": due, "due_on": due})


@transaction.atomic
def complaint_reject(*, complaint, by, reason, expected=None):
    reason = _check_length("reason", _required_text("reason", reason, _("Say why the complaint is rejected: "
                                                                       "the complainant reads it.")), 500)
    return _move(complaint, to=S.REJECTED, by=by, expected=expected, note=reason,
                 fields={"reject_reason": reason, "due_on": None, "closed_at": timezone.now()})


@transaction.atomic
def complaint_assign(*, complaint, by, department, to_school=False, due=None, expected=None, note=""):
    """Hand the complaint to a department and, optionally, to the school for verification,
    with a deadline for their answer (at most the conclusion deadline)."""
    if department is None:
        raise ValidationError({"department": _("Choose the department that verifies the complaint.")})
    limit = complaint.conclude_due
    due = due or limit
    if due is not None and due < deadlines.today():
        raise ValidationError({"due": _("The deadline cannot be in the past.")})
    if limit and due and due > limit:
        raise ValidationError({"due": _("The deadline cannot be after the conclusion deadline, %(date)s.")
                               % {"date": limit.isoformat()}})
    return _move(complaint, to=S.ASSIGNED, by=by, expected=expected, note=note,
                 fields={"department": department, "handed_to_school": bool(to_school), "assignment_due": due})


def _record(complaint, *, kind, text, by):
    record = HandlingRecord(complaint=complaint, kind=kind, text=text, by=by)
    record.full_clean()
    record.save()
    return record


def _attach(complaint, *, files, by, side, record=None):
    """Store `files` (checked by content and size, bureau/uploads.py) on the complaint. The
    audit row counts them by side: a file's name may say who sent it."""
    files = list(files or ())
    if not files:
        return []
    if complaint.attachments.count() + len(files) > MAX_ATTACHMENTS:
        raise ValidationError({"files": _("A complaint holds at most %(n)s files.") % {"n": MAX_ATTACHMENTS}})
    made = uploads.upload_rows(model=Attachment, files=files, folder=Attachment.FOLDER, by=by, field="files",
                               complaint=complaint, side=side, record=record)
    audit_record(actor=by, action=AuditLog.Action.UPDATE, instance=complaint,
                 changes={"attachments": [None, f"{Attachment.Side(side).label} +{len(made)}"]})
    return made


@transaction.atomic
def complaint_add_files(*, complaint, files, by):
    """The complainant adds photos or documents to its complaint while it is open."""
    _require(can_add_files(by, complaint), _("Files are added to a complaint by its complainant, until it is "
                                             "closed."))
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    _require(can_add_files(by, locked), _("This complaint is closed: no more files can be added."))
    if not list(files):
        raise ValidationError({"files": _("Choose the photos or documents to add.")})
    return _attach(locked, files=files, by=by, side=Attachment.Side.COMPLAINANT)


@transaction.atomic
def complaint_record(*, complaint, by, text, expected=None, files=()):
    """Record a step of the investigation, with its evidence (`files`: the bureau's working
    papers). The first one after an assignment or an appeal starts the investigation."""
    text = _check_length("text", _required_text("text", text, _("Write what the investigation found.")), 2000)
    _require(can_investigate(by, complaint), _("You may not record the investigation of this complaint."))
    if complaint.status in (S.ASSIGNED, S.REOPENED):
        complaint = _move(complaint, to=S.INVESTIGATING, by=by, expected=expected)
    else:
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        _require(complaint.status == S.INVESTIGATING, _("The complaint is no longer under investigation."))
    record = _record(complaint, kind=HandlingRecord.Kind.INVESTIGATION, text=text, by=by)
    _attach(complaint, files=files, by=by, side=Attachment.Side.HANDLING, record=record)
    return complaint


@transaction.atomic
def complaint_school_answer(*, complaint, by, text, expected=None, files=()):
    """The school's answer to a complaint handed to it (it never learns who complained),
    with its evidence (`files`)."""
    text = _check_length("text", _required_text("text", text, _("Write the school's answer.")), 2000)
    _require(can_answer_as_school(by, complaint), _("Only the school the complaint is handed to answers it."))
    if complaint.status in (S.ASSIGNED, S.REOPENED):
        complaint = _move(complaint, to=S.INVESTIGATING, by=by, expected=expected)
    record = _record(complaint, kind=HandlingRecord.Kind.SCHOOL_ANSWER, text=text, by=by)
    _attach(complaint, files=files, by=by, side=Attachment.Side.SCHOOL, record=record)
    return complaint


@transaction.atomic
def complaint_extend(*, complaint, by, reason):
    """Extend the conclusion deadline once, with a reason."""
    reason = _check_length("reason", _required_text("reason", reason, _("Say why the deadline is extended.")), 500)
    _require(can_handle(by, complaint), _("Only the complaints office extends a deadline."))
    locked = Complaint.objects.select_for_update(of=("self",)).select_related("school__district").get(pk=complaint.pk)
    _require(locked.status in Complaint.OPEN_FOR_CONCLUSION, _("Only a complaint not yet concluded can be extended."))
    _require(not locked.extension_reason, _("The deadline of this complaint has been extended once already."))
    old = locked.conclude_due
    locked.conclude_due = deadlines.extended_due(due=old, district=locked.school.district)
    locked.due_on = locked.conclude_due
    locked.extension_reason = reason
    locked.save(update_fields=["conclude_due", "due_on", "extension_reason", "updated_at"])
    _record(locked, kind=HandlingRecord.Kind.EXTENSION, text=reason, by=by)
    audit_record(actor=by, action=AuditLog.Action.UPDATE, instance=locked,
                 changes={"conclude_due": [old.isoformat(), locked.conclude_due.isoformat()]}, note=reason)
    return locked


@transaction.atomic
def complaint_conclude(*, complaint, by, finding, responsibility, measures, veto=False, teacher=None, expected=None):
    errors = {}
    if finding not in Finding.values:
        errors["finding"] = _("Choose the finding.")
    if responsibility not in Responsibility.values:
        errors["responsibility"] = _("Choose who is responsible.")
    measures = (measures or "").strip()
    if finding in (Finding.SUBSTANTIATED, Finding.PARTLY):
        if not measures:
            errors["measures"] = _("Write the measures taken.")
        if responsibility == Responsibility.NONE:
            errors["responsibility"] = _("A substantiated complaint puts the responsibility on the school or "
                                         "an individual.")
    elif finding == Finding.UNSUBSTANTIATED and responsibility in (Responsibility.SCHOOL, Responsibility.INDIVIDUAL):
        errors["responsibility"] = _("An unsubstantiated complaint puts responsibility on nobody.")
    if veto and finding != Finding.SUBSTANTIATED:
        errors["veto"] = _("Only a substantiated complaint vetoes the yearly assessment.")
    if teacher is not None and teacher.school_id != complaint.school_id:
        errors["teacher"] = _("The teacher must work at the school complained about.")
    if veto and responsibility == Responsibility.INDIVIDUAL and teacher is None:
        errors["teacher"] = _("Name the teacher whose conduct record the veto goes on.")
    if errors:
        raise ValidationError(errors)
    _check_length("measures", measures, 2000)
    fields = {"finding": finding, "responsibility": responsibility, "measures": measures, "veto": bool(veto),
              "concluded_at": timezone.now(), "due_on": None}
    if teacher is not None:
        fields["teacher"] = teacher
    concluded = _move(complaint, to=S.CONCLUDED, by=by, expected=expected, fields=fields)
    return _veto_record(concluded, by=by)


def _conduct_finding(complaint):
    # What the teacher's record says: the complaint, its category and the measures; never who
    # complained (the record shows wherever the teacher's page does).
    return _("Named complaint %(number)s (%(category)s), substantiated: %(measures)s") % {
        "number": complaint.tracking_number, "category": complaint.get_category_display(),
        "measures": complaint.measures,
    }


def _veto_record(complaint, *, by):
    """A substantiated, vetoing conclusion against an individual goes on the teacher's conduct
    record (师德, for the yearly assessment); one against the school is the complaint itself
    (complaint_vetoes). A conclusion after an appeal that no longer vetoes lifts the record's veto."""
    record = complaint.conduct_record
    individual = complaint.veto and complaint.responsibility == Responsibility.INDIVIDUAL and complaint.teacher_id
    if individual:
        data = {"teacher": complaint.teacher, "finding": _conduct_finding(complaint),
                "date": timezone.localdate(complaint.concluded_at), "is_veto": True}
        if record is None:
            record = model_create(model=ConductRecord, data=data, by=by, note=complaint.tracking_number)
            complaint.conduct_record = record
            complaint.save(update_fields=["conduct_record", "updated_at"])
        else:
            model_update(instance=record, data=data, by=by, note=complaint.tracking_number)
    elif record is not None and record.is_veto:
        model_update(instance=record, data={"is_veto": False}, by=by,
                     note=_("Veto lifted by the conclusion after the appeal of %(number)s")
                     % {"number": complaint.tracking_number})
    return complaint


@transaction.atomic
def complaint_reply(*, complaint, by, text, expected=None, files=()):
    """The bureau's reply to the complainant, with documents for it (`files`); the appeal
    window opens."""
    text = _check_length("text", _required_text("text", text, _("Write the reply to the complainant.")), 2000)
    now = timezone.now()
    replied = _move(complaint, to=S.REPLIED, by=by, expected=expected, fields={
        "reply": text, "replied_at": now,
        "appeal_due": deadlines.appeal_due(replied_at=now, district=complaint.school.district),
    })
    _attach(replied, files=files, by=by, side=Attachment.Side.REPLY)
    return replied


def appeal_open(complaint, *, today=None):
    """Whether the complainant may still appeal: once, within the window after the reply."""
    today = today or deadlines.today()
    return (complaint.status == S.REPLIED and complaint.appealed_at is None
            and complaint.appeal_due is not None and today <= complaint.appeal_due)


@transaction.atomic
def complaint_rate(*, complaint, by, rating, comment=""):
    _require(is_complainant(by, complaint), _("Only the complainant rates the reply."))
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    _require(locked.status in (S.REPLIED, S.CLOSED) and locked.replied_at, _("There is no reply to rate yet."))
    _require(locked.rating is None, _("You have rated this reply already."))
    if rating not in (1, 2, 3, 4, 5):
        raise ValidationError({"rating": _("Choose a rating from 1 to 5.")})
    locked.rating = rating
    locked.rating_comment = _check_length("comment", (comment or "").strip(), 500)
    locked.full_clean()
    locked.save(update_fields=["rating", "rating_comment", "updated_at"])
    audit_record(actor=by, action=AuditLog.Action.UPDATE, instance=locked, changes={"rating": [None, rating]})
    return locked


@transaction.atomic
def complaint_appeal(*, complaint, by, reason, expected=None):
    """Appeal once against the reply, within COMPLAINT_APPEAL_DAYS working days: the
    complaint is investigated again, with a fresh conclusion deadline."""
    reason = _check_length("reason", _required_text("reason", reason, _("Say why you appeal.")), 2000)
    _require(complaint.appealed_at is None, _("A complaint can be appealed once only."))
    _require(appeal_open(complaint), _("The time to appeal is over."))
    now = timezone.now()
    due = deadlines.conclude_due(accepted_at=now, district=complaint.school.district)
    return _move(complaint, to=S.REOPENED, by=by, expected=expected, note=reason, fields={
        "appeal_reason": reason, "appealed_at": now, "conclude_due": due, "due_on": due,
    })


@transaction.atomic
def complaint_close(*, complaint, by, expected=None, note=""):
    """Close a replied complaint once the complainant can no longer appeal: it has rated the
    reply, appealed once already, or let the window pass."""
    _require(not appeal_open(complaint) or complaint.rating is not None,
             _("The complainant may still appeal until %(date)s: close the complaint after that, "
               "or once it has rated the reply.") % {"date": complaint.appeal_due})
    return _move(complaint, to=S.CLOSED, by=by, expected=expected, note=note, fields={"closed_at": timezone.now()})


@transaction.atomic
def complaint_link_duplicate(*, complaint, of, by):
    """Mark `complaint` as about the same matter as `of` (an earlier one), or unlink it
    (`of` None). The two are handled together; each complainant keeps its own reply."""
    _require(can_handle(by, complaint), _("Only the complaints office links complaints."))
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if of is not None:
        _require(of.pk != locked.pk and of.school_id == locked.school_id,
                 _("Only another complaint about the same school can be linked."))
        _require(can_handle(by, of), _("Only the complaints office links complaints."))
        of = Complaint.objects.get(pk=of.pk)  # as stored: it may have been linked meanwhile
        if of.duplicate_of_id is not None:
            of = Complaint.objects.get(pk=of.duplicate_of_id)  # link to the first of the matter
        _require(of.pk != locked.pk, _("Only another complaint about the same school can be linked."))
    old = locked.duplicate_of
    locked.duplicate_of = of
    locked.save(update_fields=["duplicate_of", "updated_at"])
    audit_record(actor=by, action=AuditLog.Action.UPDATE, instance=locked,
                 changes={"duplicate_of": [str(old) if old else None, str(of) if of else None]})
    return locked


@transaction.atomic
def complainant_reveal(*, complaint, by):
    """The complainant's name and mobile for the office and leaders, each look logged
    (who, when: the audit trail, which the administrator reads). The log holds neither."""
    _require(can_see_complainant(by, complaint), _("You may not see who lodged this complaint."))
    audit_record(actor=by, action=AuditLog.Action.VIEW, instance=complaint, note="complainant")
    return {"name": complaint.complainant_name, "mobile": complaint.complainant_mobile}
