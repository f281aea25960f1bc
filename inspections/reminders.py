"""The daily rectification reminders (beat, CELERY_BEAT_SCHEDULE "rectification-reminders").

Seed 004 and DESIGN.md "Visit": a notice the school has not answered is reminded to the
school's principal and deputies when its deadline is RECTIFICATION_REMIND_DAYS working days
away or nearer (on the bureau calendar of the school's district, so a holiday in between
moves the reminder earlier), and one that ran past its deadline is reported once to the
inspector who issued it and to the inspection office (督导室) of the district. Each is a portal
notice and a mail (bureau/notices.py), once per notice and deadline: the job may run twice,
or a day late, and sends once.
"""

import datetime

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from bureau import jobs, scope
from bureau.calendar import working_days_between
from bureau.models import Role, User
from bureau.notices import mail_templates, notice_send
from inspections.models import RectificationNotice
from inspections.permissions import INSPECTION_DEPARTMENT

REMIND_WINDOW_DAYS = 31


# The mails of these notices (bureau/notices.py: a subject/text/html trio each).
mail_templates("rectification-due_soon", "inspections/mail/rectification_due_soon")
mail_templates("rectification-overdue", "inspections/mail/rectification_overdue")
# (The drawn inspectors' notices, inspections/services/draws.py: registered here, where the
# worker loads it at start.)
mail_templates("draw-assigned", "inspections/mail/draw_assigned")


def _school_people(school_ids):
    """{school id: [its principal and deputies]}, the active ones."""
    people = {}
    for user in User.objects.filter(is_active=True, role=Role.PRINCIPAL, school_id__in=school_ids):
        people.setdefault(user.school_id, []).append(user)
    return people


def _office(district_ids):
    """{district id: [staff of the inspection office]} (a city's office hears of its districts)."""
    office = {}
    for user in User.objects.filter(is_active=True, role=Role.STAFF, department__code=INSPECTION_DEPARTMENT,
                                    district_id__in=district_ids):
        office.setdefault(user.district_id, []).append(user)
    return office


def rectification_reminders_send(*, today=None):
    """Send the reminders of `today`; {"due_soon": n, "overdue": n} notices made."""
    today = today or timezone.localdate()
    notices = list(
        RectificationNotice.objects.filter(status__in=RectificationNotice.AWAITING_SCHOOL)
        # Overdue ones (reported once each), and those whose deadline is near enough that the
        # reminder days could lie before it, holidays included (a Spring Festival is 9 days).
        .filter(Q(deadline__lt=today) | Q(deadline__lte=today + datetime.timedelta(days=REMIND_WINDOW_DAYS)))
        .select_related("school__district", "inspector").order_by("deadline", "pk")
    )
    schools = _school_people({n.school_id for n in notices})
    districts = {n.school.district_id for n in notices} | {n.school.district.parent_id for n in notices}
    office = _office(districts - {None})
    made = {"due_soon": 0, "overdue": 0}
    for notice in notices:
        district = notice.school.district
        if notice.deadline < today:
            kind = "overdue"
            people = [notice.inspector, *office.get(district.pk, []), *office.get(district.parent_id, [])]
        elif working_days_between(today, notice.deadline, district=district) <= settings.RECTIFICATION_REMIND_DAYS:
            kind = "due_soon"
            people = schools.get(notice.school_id, [])
        else:
            continue
        with override(settings.LANGUAGE_CODE):
            words = {"school": notice.school.name, "date": notice.deadline.isoformat(), "number": notice.pk}
            if kind == "overdue":
                title = _("Overdue: rectification notice %(number)s of %(school)s was due %(date)s") % words
                body = _("The school has not answered it yet.")
            else:
                title = _("Due %(date)s: rectification notice %(number)s of %(school)s") % words
                body = _("Answer it with what was done and the evidence before the deadline.")
        for person in dict.fromkeys(people):  # once each, in order
            if not person.is_active or not scope.reaches(person, notice):
                continue
            _notice, created = notice_send(
                recipient=person, key=f"rectification-{kind}:{notice.pk}:{notice.deadline.isoformat()}",
                title=title, body=body, url=reverse("inspections:notice_detail", args=[notice.pk]),
            )
            made[kind] += created
    return made


@jobs.handler("inspections.reminders")
def _reminders_job(run):
    rectification_reminders_send()
