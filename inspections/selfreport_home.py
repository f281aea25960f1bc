"""Term self-reports on the home page (bureau/home.py): the reviewing staff's reports waiting
for review; and on a school's page (where a principal starts): its report to fill in."""

from django.db.models import Count, Q
from django.utils import timezone

from bureau import refcache, scope
from bureau.home import panel, record_panel
from bureau.models import Role
from bureau.permissions import has_role
from inspections.models import SelfReport
from inspections.selfreport_permissions import is_reviewer
from inspections.selfreport_selectors import my_due_reports

Status = SelfReport.Status
# The reviewers' counts, cached per reach and day (bureau.refcache.cached_for), forgotten on
# every change to a self-report, a round or a school (inspections/apps.py).
WAITING_CACHE = "home-selfreports"


@panel(template="inspections/includes/home_selfreports.html", order=18)
def selfreports_waiting(user):
    """Staff of 基础教育科 or 督导室: reports waiting for review, and schools past the due date
    without a report (one query)."""
    if not is_reviewer(user) or user.is_superuser:
        return None
    today = timezone.localdate()
    reach = scope.reach_key(user, SelfReport)
    counts = refcache.cached_for(WAITING_CACHE, reach and f"{reach}|{today.isoformat()}", lambda: (
        SelfReport.objects.visible_to(user).filter(is_current=True).aggregate(
            waiting=Count("pk", filter=Q(status=Status.SUBMITTED)),
            missing=Count("pk", filter=Q(submitted_at__isnull=True, round__due_date__lt=today)),
        )))
    return counts if counts["waiting"] or counts["missing"] else None


@record_panel(page="school", template="inspections/includes/school_selfreports.html", order=5)
def school_selfreports_due(user, school):
    """The school's principal or deputy: the drafts and returned reports it has to send (one query)."""
    if not has_role(user, Role.PRINCIPAL) or user.is_superuser or user.school_id != school.pk:
        return None
    reports = my_due_reports(user=user)
    return {"reports": reports, "today": timezone.localdate()} if reports else None
