"""The deadlines of a complaint, in working days on the bureau calendar (COMPLAINT_* settings)."""

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from bureau.calendar import add_working_days, next_working_day_q


def accept_due(*, received_at, district):
    return add_working_days(received_at, settings.COMPLAINT_ACCEPT_DAYS, district=district)


def conclude_due(*, accepted_at, district):
    return add_working_days(accepted_at, settings.COMPLAINT_CONCLUDE_DAYS, district=district)


def extended_due(*, due, district):
    return add_working_days(due, settings.COMPLAINT_EXTENSION_DAYS, district=district)


def appeal_due(*, replied_at, district):
    return add_working_days(replied_at, settings.COMPLAINT_APPEAL_DAYS, district=district)


def today():
    return timezone.localdate()


def due_next_working_day_q(today):
    """The complaints due "tomorrow": after today, up to the next working day of their
    school's district (on a Friday, what is due on Monday; before a holiday, what is due on
    the first day back). One query of the calendar."""
    return next_working_day_q(today, district_path="school__district",
                              condition=lambda day: Q(due_on__gt=today, due_on__lte=day))
