from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext as _

from bureau import scope, workflow
from bureau.models import AuditLog


@dataclass
class HistoryEntry:
    """One line of a record's change history: an audit row or a status change."""

    at: object
    actor: object
    action_label: str
    note: str
    labelled_changes: list


def audit_for_object(*, instance, user, limit=50):
    """The change history of one record as `user` may read it, newest first.

    Fields the scope engine withholds from the user (a teacher's birth date for a leader)
    are left out of every line; an update that changed only such fields is left out
    whole, so the history does not even tell that they changed. A record with a workflow
    shows its status changes in the same timeline. Two queries at most.
    """
    model = type(instance)
    ct = ContentType.objects.get_for_model(instance, for_concrete_model=True)
    rows = list(
        AuditLog.objects.filter(content_type=ct, object_id=str(instance.pk))
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )
    hidden = scope.hidden_fields(user, model)
    labels = field_labels(model)
    entries = []
    for row in rows:
        changes = [
            (labels.get(name, name), change[0], change[1])
            for name, change in row.changes.items()
            if name not in hidden
        ]
        if row.action == AuditLog.Action.UPDATE and row.changes and not changes:
            continue
        entries.append(HistoryEntry(row.at, row.actor, row.get_action_display(), row.note, changes))
    if workflow.workflow_for(model) is not None:
        status = _("Status")
        for change in workflow.status_history(instance=instance, limit=limit):
            entries.append(HistoryEntry(
                # No actor: the portal moved it itself (a background step, the sweep).
                change.at, change.actor or _("the portal (automatically)"), _("Status changed"), change.note,
                [(status, workflow.state_label(model, change.from_status) if change.from_status else None,
                  workflow.state_label(model, change.to_status))],
            ))
        entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries[:limit]


def field_labels(model):
    """{field name: verbose name} so the history reads 体育场地面积, not sports_ground_area."""
    return {f.name: f.verbose_name for f in model._meta.get_fields() if hasattr(f, "verbose_name")}


def user_list(*, user, filters=None):
    """Accounts the administrator manages, with what the list shows loaded in the same query."""
    from bureau.models import User

    filters = filters or {}
    qs = User.objects.visible_to(user).select_related("department", "district", "school", "named_by")
    if filters.get("q"):
        q = filters["q"].strip()
        qs = qs.filter(Q(username__icontains=q) | Q(name__icontains=q) | Q(mobile__startswith=q))
    if filters.get("role"):
        qs = qs.filter(role=filters["role"])
    if filters.get("department"):
        qs = qs.filter(department=filters["department"])
    if filters.get("district"):
        qs = qs.filter(district=filters["district"])
    if filters.get("active") in ("1", "0"):
        qs = qs.filter(is_active=filters["active"] == "1")
    return qs.order_by("role", "username")


def deputy_list(*, user):
    """The deputies a principal named at its school, active ones first (one query)."""
    from bureau.models import User

    return User.objects.visible_to(user).order_by("-is_active", "username")


def locked_usernames(*, usernames):
    """Which of these usernames django-axes currently locks out (one query)."""
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.utils import timezone

    attempts = AccessAttempt.objects.filter(
        username__in=list(usernames), failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    )
    if settings.AXES_COOLOFF_TIME:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
    return set(attempts.values_list("username", flat=True))
