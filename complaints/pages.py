"""What the complaint's page shows to whom: the facts, the steps, and the forms of the
steps this user may take now (each form asks its predicate; templates ask no role)."""

from bureau import workflow
from bureau.scope import hidden_fields
from complaints import forms as complaint_forms
from complaints.masking import mask_mobile, mask_name
from complaints.models import Attachment, Complaint
from complaints.permissions import (
    can_add_files,
    can_answer_as_school,
    can_handle,
    can_investigate,
    can_see_complainant,
    is_complainant,
    may_know_complainant,
    reads_handling,
)
from complaints.selectors import complaint_attachments, complaint_duplicates, complaint_records, complaint_steps
from complaints.services import appeal_open

S = Complaint.Status


def _forms(user, complaint):
    """{name: form} of the steps `user` may take on `complaint` now."""
    initial = {"expected": complaint.status}
    forms = {}

    def offer(name, target, form):
        if target is None or workflow.can_move(user, complaint, target):
            forms[name] = form

    if can_handle(user, complaint):
        offer("accept", S.ACCEPTED, complaint_forms.ExpectedForm(initial=initial))
        offer("reject", S.REJECTED, complaint_forms.RejectForm(initial=initial))
        offer("assign", S.ASSIGNED, complaint_forms.AssignForm(initial={**initial, "due": complaint.conclude_due}))
        offer("conclude", S.CONCLUDED, complaint_forms.ConcludeForm(initial=initial, complaint=complaint, user=user))
        offer("reply", S.REPLIED, complaint_forms.ReplyForm(initial=initial))
        if complaint.status == S.REPLIED and (not appeal_open(complaint) or complaint.rating is not None):
            offer("close", S.CLOSED, complaint_forms.ExpectedForm(initial=initial))
        if complaint.status in Complaint.OPEN_FOR_CONCLUSION and not complaint.extension_reason:
            forms["extend"] = complaint_forms.ExtendForm()
    if can_investigate(user, complaint):
        forms["record"] = complaint_forms.RecordForm(initial=initial)
    if can_answer_as_school(user, complaint):
        forms["answer"] = complaint_forms.AnswerForm(initial=initial)
    if is_complainant(user, complaint):
        if complaint.replied_at and complaint.rating is None and complaint.status in (S.REPLIED, S.CLOSED):
            forms["rate"] = complaint_forms.RateForm()
        if appeal_open(complaint):
            forms["appeal"] = complaint_forms.AppealForm(initial=initial)
    if can_add_files(user, complaint):
        forms["add_files"] = complaint_forms.AddFilesForm()
    return forms


def detail_context(request, complaint, *, failed=None, identity=None):
    user = request.user
    forms = _forms(user, complaint)
    placed = False
    if failed is not None:
        # The refused step's form again, with what was typed and why it was refused; when
        # the step is no longer offered (someone else moved the complaint), the reason on top.
        for name, form in forms.items():
            if type(form) is type(failed) and failed.data.get("step") in (name, None):
                forms[name] = failed
                placed = True
                break
    knows = may_know_complainant(user)
    withheld = hidden_fields(user, Complaint)
    records = complaint_records(complaint=complaint, user=user)
    files = complaint_attachments(complaint=complaint, user=user)
    for record in records:
        record.files = [file for file in files if file.record_id == record.pk]
    return {
        "complaint": complaint,
        "forms": forms,
        "failed": None if placed else failed,
        "steps": complaint_steps(complaint=complaint),
        "records": records,
        # Each file where it belongs: the complainant's with the complaint, the handling's and
        # the school's with their record, the reply's with the reply.
        "complainant_files": [file for file in files if file.side == Attachment.Side.COMPLAINANT],
        "reply_files": [file for file in files if file.side == Attachment.Side.REPLY],
        # Who complained: masked for the office and leaders until one asks (a logged look);
        # nothing at all for the school, nor for staff outside the office.
        "complainant": {
            "masked_name": mask_name(complaint.complainant_name),
            "masked_mobile": mask_mobile(complaint.complainant_mobile),
        } if knows and "complainant_name" not in withheld else None,
        "identity": identity,
        "can_reveal": can_see_complainant(user, complaint),
        "reads_handling": reads_handling(user),
        # The reply, the rating and an appeal are between the bureau and the complainant: the
        # school does not read them (an appeal's words may say who wrote it).
        "reads_reply": reads_handling(user) or is_complainant(user, complaint),
        "is_complainant": is_complainant(user, complaint),
        "appeal_open": appeal_open(complaint),
        # Likely duplicates for the office to link; the matter's other complaints for staff.
        "duplicates": complaint_duplicates(complaint=complaint, user=user) if can_handle(user, complaint) else [],
        "linked": list(complaint.duplicates.visible_to(user).only("pk", "tracking_number"))
        if reads_handling(user) else [],
        "can_link": can_handle(user, complaint),
    }
