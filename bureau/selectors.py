from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from bureau.models import AuditLog


def audit_for_object(*, instance, limit=50):
    """The change history of one record, newest first, with the actor loaded."""
    ct = ContentType.objects.get_for_model(instance, for_concrete_model=True)
    entries = list(
        AuditLog.objects.filter(content_type=ct, object_id=str(instance.pk))
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )
    labels = field_labels(type(instance))
    for entry in entries:
        entry.labelled_changes = [
            (labels.get(name, name), change[0], change[1]) for name, change in entry.changes.items()
        ]
    return entries


def field_labels(model):
    """{field name: verbose name} so the history reads 体育场地面积, not sports_ground_area."""
    return {f.name: f.verbose_name for f in model._meta.get_fields() if hasattr(f, "verbose_name")}


def home_summary(*, user):
    """Counts for the home page, each one query, all scoped to the user."""
    from inspections.models import InspectorZone
    from schools.models import School, SchoolClass, Teacher
    from schools.selectors import current_school_year, current_term

    school_year = current_school_year()
    term = current_term()
    schools = School.objects.visible_to(user).filter(status=School.Status.OPEN)
    return {
        "school_year": school_year,
        "term": term,
        "schools": schools.count(),
        "teachers": Teacher.objects.visible_to(user).filter(status=Teacher.Status.ACTIVE).count(),
        "classes": SchoolClass.objects.visible_to(user).filter(term=term).count() if term else 0,
        "below_standard": schools.filter(
            year_stats__school_year=school_year, year_stats__meets_resource_standard=False
        ).count() if school_year else 0,
        "class_size_chart": _class_size_chart(user=user, term=term),
        "zones": InspectorZone.objects.visible_to(user).prefetch_related("school_links__school")
        if user.role == "inspector" else [],
    }


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


def _class_size_chart(*, user, term):
    from django.utils.translation import gettext as _

    from bureau.charts import Bar, bar_chart
    from bureau.rules import BIG_CLASS, SUPER_BIG_CLASS
    from schools.selectors import CLASS_SIZE_BUCKETS, class_size_distribution

    rows = class_size_distribution(user=user, term=term)
    if not any(count for _label, count in rows):
        return None
    bars = []
    for (label, count), (_l, low, _high) in zip(rows, CLASS_SIZE_BUCKETS, strict=True):
        tone = "bad" if low >= SUPER_BIG_CLASS else "warn" if low >= BIG_CLASS else "neutral"
        bars.append(Bar(label=label, value=count, tone=tone))
    return bar_chart(bars, title=_("Classes by size this term (big ≥ 56, super-big ≥ 66)"), label_width=60)
