"""Writes of the working-day calendar: an administrator keeps its districts' days.

Each service checks the actor again (bureau.permissions.can_keep_calendar), validates
through CalendarDay.clean() (a make-up working day on a weekend, one day per date per
district) and leaves an audit row in the same transaction. Kept apart from
bureau/services.py, which holds the accounts' writes.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from bureau.errors import DomainError
from bureau.models import AuditLog, CalendarDay
from bureau.permissions import can_keep_calendar
from bureau.services import _plain, audit_record, model_create, model_update

CALENDAR_FIELDS = ("date", "kind", "name", "district", "source")


def _require_keeper(by, day):
    if can_keep_calendar(by, day):
        return
    if not can_keep_calendar(by):
        raise DomainError(_("Only an administrator may keep the working-day calendar."))
    if day.district_id is None:
        raise DomainError(_(
            "National days follow the State Council's notice; only a superuser may change them."
        ))
    raise DomainError(_("%(district)s is outside the districts you manage.") % {"district": day.district})


def _fields(data):
    fields = {name: data[name] for name in CALENDAR_FIELDS if name in data}
    for name in ("name", "source"):
        if name in fields:
            fields[name] = (fields[name] or "").strip()
    return fields


@transaction.atomic
def calendar_day_create(*, data, by):
    """Add a holiday or a make-up working day (national when `district` is None)."""
    data = {"district": None, "source": "", **_fields(data)}
    _require_keeper(by, CalendarDay(**data))
    return model_create(model=CalendarDay, data=data, by=by)


@transaction.atomic
def calendar_day_update(*, day, data, by):
    """Change a day; moving it to another district is checked like adding it there."""
    _require_keeper(by, day)
    day = CalendarDay.objects.select_for_update().get(pk=day.pk)
    data = _fields(data)
    moved = CalendarDay(**{name: data.get(name, getattr(day, name)) for name in CALENDAR_FIELDS})
    _require_keeper(by, moved)
    day, _changed = model_update(instance=day, data=data, by=by)
    return day


@transaction.atomic
def calendar_day_delete(*, day, by):
    """Delete a day; its audit row keeps what it was, since the row itself goes."""
    _require_keeper(by, day)
    day = CalendarDay.objects.select_for_update(of=("self",)).select_related("district").get(pk=day.pk)
    audit_record(
        actor=by, action=AuditLog.Action.DELETE, instance=day,
        changes={name: [_plain(getattr(day, name)), None] for name in CALENDAR_FIELDS if getattr(day, name)},
    )
    day.delete()
