"""The daily reminders (beat, CELERY_BEAT_SCHEDULE "complaint-reminders"): each handler of
the complaints office hears of the complaints of its districts due on the next
working day (on the district's calendar: on a Friday, those due on Monday), and what is
overdue is escalated to the department head (staff marked as heading the office, or the
department the complaint is assigned to) and, where no head is named, to the district's
leaders. Each is a portal notice and a mail
(bureau/notices.py), once per complaint and deadline: the job may run twice and sends once.

The notices name the tracking number, the school and the deadline, never the complainant.
"""

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from bureau import jobs, scope
from bureau.models import Role, User
from bureau.notices import mail_templates, notice_send
from complaints import deadlines
from complaints.models import Complaint

# The mails of these notices (bureau/notices.py: a subject/text/html trio each).
mail_templates("complaint-due_tomorrow", "complaints/mail/due_tomorrow")
mail_templates("complaint-overdue", "complaints/mail/overdue")


def _recipients():
    office = User.objects.filter(is_active=True, role=Role.STAFF, department__code=settings.COMPLAINTS_DEPARTMENT)
    heads = User.objects.filter(is_active=True, role=Role.STAFF, heads_department=True).select_related("department")
    leaders = User.objects.filter(is_active=True, role=Role.LEADER)
    return list(office), list(heads), list(leaders)


def _escalation(complaint, heads, leaders):
    """The heads of the office and of the assigned department; the leaders if none is named."""
    departments = {settings.COMPLAINTS_DEPARTMENT}
    if complaint.department_id:
        departments.add(complaint.department.code)
    named = [h for h in _reaching(heads, complaint) if h.department and h.department.code in departments]
    return named or _reaching(leaders, complaint)


def _reaching(users, complaint):
    district = complaint.school.district
    return [u for u in users if u.district_id in (district.pk, district.parent_id)]


def complaint_reminders_send(*, today=None):
    """Send the reminders of `today`; {"due_tomorrow": n, "overdue": n} notices made."""
    today = today or deadlines.today()
    office, heads, leaders = _recipients()
    made = {"due_tomorrow": 0, "overdue": 0}
    complaints = (Complaint.objects.filter(deadlines.due_next_working_day_q(today) | Q(due_on__lt=today))
                  .select_related("school__district", "department").order_by("due_on", "pk"))
    for complaint in complaints:
        overdue = complaint.due_on < today
        people = _reaching(office, complaint)
        if overdue:
            people += [p for p in _escalation(complaint, heads, leaders) if p not in people]
        for person in people:
            if not scope.reaches(person, complaint):
                continue
            with override(settings.LANGUAGE_CODE):
                words = {"number": complaint.tracking_number, "school": complaint.school.name,
                         "date": complaint.due_on.isoformat(), "status": complaint.get_status_display()}
                if overdue:
                    title = _("Overdue: complaint %(number)s (%(school)s) was due %(date)s") % words
                else:
                    title = _("Due on the next working day, %(date)s: complaint %(number)s (%(school)s)") % words
                body = _("Status: %(status)s.") % words
            kind = "overdue" if overdue else "due_tomorrow"
            _notice, created = notice_send(
                recipient=person, key=f"complaint-{kind}:{complaint.pk}:{complaint.due_on.isoformat()}",
                title=title, body=body, url=reverse("complaints:detail", args=[complaint.pk]),
            )
            made[kind] += created
    return made


@jobs.handler("complaints.reminders")
def _reminders_job(run):
    complaint_reminders_send()
