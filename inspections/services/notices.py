"""Writes of rectification notices: issued by the visit's inspector, answered by the school,
verified or returned by the inspector, all through bureau.workflow."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau import calendar, uploads, workflow
from bureau.errors import DomainError
from bureau.services import model_create
from inspections.models import NoticeEvidence, RectificationNotice, VisitItem
from inspections.permissions import can_issue_notice
from inspections.services.visits import MAX_EVIDENCE_PER_ITEM

Status = RectificationNotice.Status


def _text(field, value, *, key, required):
    """A notice's text field, stripped and checked against the model's limits before any move."""
    value = (value or "").strip()
    if not value:
        raise ValidationError({key: required})
    try:
        RectificationNotice._meta.get_field(field).run_validators(value)
    except ValidationError as error:
        raise ValidationError({key: error.messages}) from None
    return value


@transaction.atomic
def notice_issue(*, item, requirement, working_days, by):
    """Raise a notice on an item a filed visit found not met; its deadline counts working
    days from today on the school's district calendar."""
    item = VisitItem.objects.select_related("visit__school").select_for_update().get(pk=item.pk)
    if not can_issue_notice(by, item):
        raise DomainError(_("A rectification notice is raised by the visit's inspector, on an item of a filed "
                            "visit that was not met."))
    if RectificationNotice.objects.filter(item=item).exists():
        raise DomainError(_("Item %(code)s has a rectification notice already.") % {"code": item.code})
    school = item.visit.school
    today = timezone.localdate()
    if not isinstance(working_days, int) or not 1 <= working_days <= 60:
        raise ValidationError({"working_days": _("Give 1 to 60 working days.")})
    deadline = calendar.add_working_days(today, working_days, district=school.district_id)
    requirement = _text("requirement", requirement, key="requirement", required=_("Say what the school must fix."))
    return model_create(model=RectificationNotice, data={
        "item": item, "school": school, "inspector": by, "requirement": requirement,
        "working_days": working_days, "issued_on": today, "deadline": deadline,
    }, by=by)


@transaction.atomic
def notice_answer(*, notice, answer, files=(), by):
    """The school says what it did, with evidence; the inspector checks it next."""
    answer = _text("answer", answer, key="answer", required=_("Say what the school did to fix it."))
    files = list(files)
    if notice.evidence.count() + len(files) > MAX_EVIDENCE_PER_ITEM:
        raise ValidationError({"files": _("A notice holds at most %(n)s files.") % {"n": MAX_EVIDENCE_PER_ITEM}})
    source = notice.status
    if source not in RectificationNotice.AWAITING_SCHOOL:
        # Said plainly: the generic workflow message would name the states only.
        raise DomainError(_("This notice is “%(state)s”: it waits for no answer from the school now.")
                          % {"state": notice.get_status_display()})
    moved = workflow.transition(notice, to=Status.ANSWERED, by=by, note=answer, expected=source,
                                fields={"answer": answer, "answered_at": timezone.now()})
    uploads.upload_rows(model=NoticeEvidence, files=files, folder="evidence/notices", by=by, notice=moved)
    return moved


@transaction.atomic
def notice_verify(*, notice, by, note=""):
    if notice.status != Status.ANSWERED:
        raise DomainError(_("Only an answered notice can be verified: this one is “%(state)s”.")
                          % {"state": notice.get_status_display()})
    return workflow.transition(notice, to=Status.VERIFIED, by=by, note=note, expected=Status.ANSWERED,
                               fields={"verified_at": timezone.now()})


@transaction.atomic
def notice_return(*, notice, reason, by):
    reason = _text("return_reason", reason, key="reason", required=_("Say why the answer is not enough."))
    if notice.status != Status.ANSWERED:
        raise DomainError(_("Only an answered notice can be returned: this one is “%(state)s”.")
                          % {"state": notice.get_status_display()})
    return workflow.transition(notice, to=Status.RETURNED, by=by, note=reason, expected=Status.ANSWERED,
                               fields={"return_reason": reason})
