from django.contrib.contenttypes.models import ContentType

from bureau.models import AuditLog


def audit_for_object(*, instance, limit=50):
    """The change history of one record, newest first, with the actor loaded."""
    ct = ContentType.objects.get_for_model(instance, for_concrete_model=True)
    return (
        AuditLog.objects.filter(content_type=ct, object_id=str(instance.pk))
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )


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
        "zones": InspectorZone.objects.visible_to(user).prefetch_related("school_links__school")
        if user.role == "inspector" else [],
    }
