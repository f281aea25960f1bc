"""When beat makes each kind of report: one django-celery-beat entry per kind, which the
bureau's administrators edit in the portal.

The entries are made once (after migrations), never overwritten: settings' fixed schedule
(CELERY_BEAT_SCHEDULE) is copied into the database at every beat start, which would undo an
administrator's change, so the reports' entries are not in it.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from bureau.errors import DomainError
from bureau.models import AuditLog, Role
from bureau.permissions import has_role
from bureau.services import audit_record
from reports import periodic

TASK = "bureau.tasks.job_enqueue_periodic"
# The first of the month (or of a quarter, or of January), early morning: the period just
# ended is reported before the working day starts.
DEFAULTS = {
    "month": {"minute": "0", "hour": "6", "day_of_month": "1", "month_of_year": "*"},
    "quarter": {"minute": "30", "hour": "6", "day_of_month": "1", "month_of_year": "1,4,7,10"},
    "year": {"minute": "0", "hour": "7", "day_of_month": "1", "month_of_year": "1"},
    # Terms end in January and July: the term just ended is reported in the holiday after it.
    "term": {"minute": "45", "hour": "6", "day_of_month": "1", "month_of_year": "2,8"},
}
FIELDS = ("minute", "hour", "day_of_month", "month_of_year")


def entry_name(kind):
    return f"report: {kind.code}"


def job_kind(kind_code):
    return f"reports.scheduled.{kind_code}"


def can_edit_schedules(user):
    return has_role(user, Role.ADMIN)


def _crontab(values):
    from django.conf import settings
    from django_celery_beat.models import CrontabSchedule

    return CrontabSchedule.objects.get_or_create(day_of_week="*", timezone=settings.TIME_ZONE, **values)[0]


def schedules_ensure():
    """Make the missing entries (after migrate, and in the demo); leave existing ones be."""
    import json

    from django_celery_beat.models import PeriodicTask

    for kind in periodic.kinds():
        if PeriodicTask.objects.filter(name=entry_name(kind)).exists():
            continue
        PeriodicTask.objects.create(name=entry_name(kind), task=TASK, args=json.dumps([job_kind(kind.code)]),
                                    crontab=_crontab(DEFAULTS.get(kind.unit, DEFAULTS["year"])))


def schedule_list():
    from django_celery_beat.models import PeriodicTask

    entries = {task.name: task for task in PeriodicTask.objects.filter(
        name__in=[entry_name(kind) for kind in periodic.kinds()]).select_related("crontab")}
    return [(kind, entries.get(entry_name(kind))) for kind in periodic.kinds()]


@transaction.atomic
def schedule_update(*, kind_code, values, enabled, by):
    """Set when beat makes one kind of report; `values` are crontab fields (minute, hour,
    day_of_month, month_of_year), checked as beat reads them."""
    from django.core.exceptions import ValidationError
    from django_celery_beat import validators
    from django_celery_beat.models import PeriodicTask

    if not can_edit_schedules(by):
        raise DomainError(_("Only an administrator changes when reports are made."))
    kind = periodic.kind_for(kind_code)
    errors = {}
    for field in FIELDS:
        try:
            getattr(validators, f"{field}_validator")(values[field])
        except ValidationError as error:
            errors[field] = error.messages
    if errors:
        raise ValidationError(errors)
    schedules_ensure()
    task = PeriodicTask.objects.select_for_update(of=("self",)).select_related("crontab").get(name=entry_name(kind))
    before = {field: getattr(task.crontab, field) for field in FIELDS} | {"enabled": task.enabled}
    task.crontab = _crontab({field: values[field] for field in FIELDS})
    task.enabled = enabled
    task.save()
    after = {field: values[field] for field in FIELDS} | {"enabled": enabled}
    audit_record(actor=by, action=AuditLog.Action.UPDATE, instance=task,
                 changes={key: [before[key], after[key]] for key in after if before[key] != after[key]})
    return task
