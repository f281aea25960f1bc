"""Forms of the complaint pages: they shape input; the services check and write."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from bureau.models import Department
from bureau.uploads import FilesField
from bureau.webforms import PortalMessagesMixin
from complaints.models import Category, Channel, Finding, Responsibility
from schools.models import School, Teacher

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text(label, limit=2000, rows=4, required=True, help_text=""):
    return forms.CharField(label=label, max_length=limit, required=required, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows, "maxlength": limit}))


class SchoolSearchForm(PortalMessagesMixin, forms.Form):
    q = forms.CharField(label=_("School name"), max_length=50, required=False,
                        help_text=_("Type part of the school's name, e.g. 实验小学."))


class LodgeForm(PortalMessagesMixin, forms.Form):
    """A parent's complaint. `token` is made once per form shown: a second submit of the
    same form (a double click, a resend) finds the complaint the first one made."""

    token = forms.UUIDField(widget=forms.HiddenInput)
    category = forms.ChoiceField(label=_("What it is about"), choices=[("", "---------")] + list(Category.choices))
    happened_on = forms.DateField(label=_("When it happened"), widget=DATE_INPUT)
    description = _text(_("What happened"), rows=6,
                        help_text=_("Who, where, what: the facts the bureau can verify. At most 2000 characters."))
    teacher_name = forms.CharField(label=_("Teacher named (optional)"), max_length=50, required=False)
    files = FilesField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4())


STAFF_CHANNELS = [(value, label) for value, label in Channel.choices if value != Channel.WEB]


class EnterForm(LodgeForm):
    """A complaint the office took down from the hotline, a letter or a visit."""

    field_order = ["token", "channel", "school", "complainant_name", "complainant_mobile", "category",
                   "happened_on", "description", "teacher_name", "files"]
    channel = forms.ChoiceField(label=_("Channel"), choices=STAFF_CHANNELS)
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none())
    complainant_name = forms.CharField(label=_("Complainant's name"), max_length=50)
    complainant_mobile = forms.CharField(label=_("Complainant's mobile"), max_length=11, min_length=11)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = (School.objects.visible_to(user).filter(status=School.Status.OPEN)
                                          .order_by("name"))


class ExpectedForm(PortalMessagesMixin, forms.Form):
    """The state the actor saw: a move made meanwhile by someone else is refused, not repeated."""

    expected = forms.CharField(widget=forms.HiddenInput, max_length=16)


class RejectForm(ExpectedForm):
    reason = _text(_("Reason (the complainant reads it)"), limit=500, rows=3)


class AssignForm(ExpectedForm):
    department = forms.ModelChoiceField(label=_("Department that verifies it"), queryset=Department.objects.all())
    to_school = forms.BooleanField(label=_("Hand it to the school for verification (without the complainant)"),
                                   required=False)
    due = forms.DateField(label=_("Answer by"), required=False, widget=DATE_INPUT,
                          help_text=_("Empty: the conclusion deadline."))


class RecordForm(ExpectedForm):
    text = _text(_("What the investigation found"))
    files = FilesField()


class AnswerForm(ExpectedForm):
    text = _text(_("The school's answer"))
    files = FilesField()


class ExtendForm(PortalMessagesMixin, forms.Form):
    reason = _text(_("Reason for the extension"), limit=500, rows=3)


class ConcludeForm(ExpectedForm):
    finding = forms.ChoiceField(label=_("Finding"), choices=Finding.choices, widget=forms.RadioSelect)
    responsibility = forms.ChoiceField(label=_("Responsibility"), choices=Responsibility.choices,
                                       widget=forms.RadioSelect)
    teacher = forms.ModelChoiceField(label=_("Teacher responsible"), queryset=Teacher.objects.none(), required=False)
    measures = _text(_("Measures taken"), required=False)
    veto = forms.BooleanField(label=_("Veto the yearly assessment (一票否决)"), required=False)

    def __init__(self, *args, complaint, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = Teacher.objects.visible_to(user).filter(school_id=complaint.school_id)


class ReplyForm(ExpectedForm):
    text = _text(_("Reply to the complainant"))
    files = FilesField()


class AddFilesForm(PortalMessagesMixin, forms.Form):
    """The complainant's photos or documents, added while the complaint is open."""

    files = FilesField()


class RateForm(PortalMessagesMixin, forms.Form):
    rating = forms.TypedChoiceField(label=_("Your rating"), coerce=int, widget=forms.RadioSelect,
                                    choices=[(n, str(n)) for n in range(5, 0, -1)])
    comment = forms.CharField(label=_("Comment (optional)"), max_length=500, required=False)


class AppealForm(ExpectedForm):
    reason = _text(_("Why you appeal"))
