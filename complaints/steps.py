"""The steps of a complaint that a POST takes, for the pages and the API alike: each step's
form (it shapes the input), its service (it checks and writes) and the roles that call it."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from bureau.models import Role
from complaints import forms, services


@dataclass(frozen=True)
class Step:
    form: type
    service: object
    roles: tuple
    done: str
    form_needs_complaint: bool = False

    def bind(self, data, *, complaint, user, files=None):
        """The step's form over the request's fields and files (record, answer and reply
        take photos or documents: their form's `files`)."""
        kwargs = {"complaint": complaint, "user": user} if self.form_needs_complaint else {}
        return self.form(data, files, **kwargs)

    def run(self, form, *, complaint, user):
        data = dict(form.cleaned_data)
        return self.service(complaint=complaint, by=user, **data)


STAFF = (Role.STAFF,)
STEPS = {
    "accept": Step(forms.ExpectedForm, services.complaint_accept, STAFF, _("Complaint accepted.")),
    "reject": Step(forms.RejectForm, services.complaint_reject, STAFF, _("Complaint rejected.")),
    "assign": Step(forms.AssignForm, services.complaint_assign, STAFF, _("Complaint assigned.")),
    "record": Step(forms.RecordForm, services.complaint_record, STAFF, _("Investigation recorded.")),
    "answer": Step(forms.AnswerForm, services.complaint_school_answer, (Role.PRINCIPAL,),
                   _("The school's answer is recorded.")),
    "extend": Step(forms.ExtendForm, services.complaint_extend, STAFF, _("Deadline extended.")),
    "conclude": Step(forms.ConcludeForm, services.complaint_conclude, STAFF, _("Complaint concluded."),
                     form_needs_complaint=True),
    "reply": Step(forms.ReplyForm, services.complaint_reply, STAFF, _("Reply sent.")),
    "close": Step(forms.ExpectedForm, services.complaint_close, STAFF, _("Complaint closed.")),
    "rate": Step(forms.RateForm, services.complaint_rate, (Role.PARENT,), _("Thank you for your rating.")),
    "appeal": Step(forms.AppealForm, services.complaint_appeal, (Role.PARENT,),
                   _("Your appeal is lodged: the complaint is investigated again.")),
}
