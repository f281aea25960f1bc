"""Reads of the inspections app. Every selector starts from `visible_to(user)`."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from bureau.natural import natural_key
from bureau.permissions import get_visible_or_404
from inspections.models import (
    ChecklistItem,
    DrawAssignment,
    InspectorCard,
    InspectorZone,
    MonthlyTheme,
    RectificationNotice,
    UnannouncedDraw,
    Visit,
    VisitItem,
    VisitKind,
    ZoneSchool,
)
from inspections.permissions import can_plan_inspections
from schools.models import District, School


def zone_order(zone):
    """Zones by district, then in counting order (第一, 第二 … 第十, 第十一), not by code point."""
    return (zone.district.code, natural_key(zone.name))


def zone_list(*, user):
    """Zones with their schools and inspectors: three queries for any number of zones.

    A list, not a queryset: the database cannot sort by counting order. A district has a
    few dozen zones at most.
    """
    zones = (
        InspectorZone.objects.visible_to(user)
        .select_related("district")
        .annotate(school_count=Count("school_links", distinct=True))
        .prefetch_related(
            Prefetch("school_links", queryset=ZoneSchool.objects.select_related("school").order_by("school__code")),
            "inspectors",
        )
    )
    return sorted(zones, key=zone_order)


def my_zones(*, user):
    """The zones an inspector looks after, each with its schools, in counting order (two queries)."""
    zones = (
        InspectorZone.objects.visible_to(user)
        .select_related("district")
        .prefetch_related(
            Prefetch("school_links", queryset=ZoneSchool.objects.select_related("school").order_by("school__code")),
        )
    )
    return sorted(zones, key=zone_order)


def planner_districts(user):
    """The districts (not cities) whose inspections `user` plans: themes and draws (督导室, admins)."""
    if not can_plan_inspections(user):
        return []
    districts = District.objects.visible_to(user).filter(level=District.Level.DISTRICT).order_by("code")
    return [d for d in districts if can_plan_inspections(user, d.pk)]


# ---- the themed calendar -----------------------------------------------------------------


def theme_years(*, user):
    """The years that have themes in the user's districts, newest first (one query)."""
    return list(MonthlyTheme.objects.visible_to(user).order_by("-year").values_list("year", flat=True).distinct())


def theme_calendar(*, user, year):
    """The year's themes of every district the user reaches, each with its checklist, by
    district then month: two queries for any number of themes."""
    return list(
        MonthlyTheme.objects.visible_to(user).filter(year=year)
        .select_related("district")
        .prefetch_related(Prefetch("items", queryset=ChecklistItem.objects.order_by("ordering", "code")))
        .order_by("district__code", "month")
    )


def theme_for_month(*, district_id, year, month):
    return MonthlyTheme.objects.filter(district_id=district_id, year=year, month=month).first()


# ---- visits ------------------------------------------------------------------------------


def visit_list(*, user, filters=None):
    """Visits the user may see, newest first, with school, inspector and theme: one query
    (the school's filed visits only, for its principal: the scope engine says so)."""
    filters = filters or {}
    visits = Visit.objects.visible_to(user).select_related("school", "inspector", "theme").order_by("-date", "-pk")
    if filters.get("status"):
        visits = visits.filter(status=filters["status"])
    if filters.get("kind"):
        visits = visits.filter(kind=filters["kind"])
    if filters.get("school"):
        visits = visits.filter(school=filters["school"])
    return visits


def visitable_schools(*, user):
    """The schools an inspector may visit: those of its zones, and those a draw assigned it to
    (for the unannounced visit)."""
    drawn = DrawAssignment.objects.filter(inspector=user).values("school_id")
    visible = School.objects.visible_to(user).values("pk")
    return School.objects.filter(Q(pk__in=visible) | Q(pk__in=drawn)).order_by("code")


def visit_detail(*, user, pk):
    """One visit the user may see, with its items and their evidence (three queries), or Http404."""
    items = Prefetch("items", queryset=VisitItem.objects.order_by("ordering", "pk").select_related("notice")
                     .prefetch_related("evidence"))
    return get_visible_or_404(
        Visit.objects.select_related("school", "school__district", "inspector", "theme").prefetch_related(items),
        user, pk=pk,
    )


# ---- rectification notices ---------------------------------------------------------------


def overdue_q(today=None):
    """Notices waiting for the school past their deadline."""
    today = today or timezone.localdate()
    return Q(status__in=RectificationNotice.AWAITING_SCHOOL, deadline__lt=today)


def notice_list(*, user, filters=None):
    """Notices the user may see, soonest deadline first, with school, inspector and item: one query."""
    filters = filters or {}
    notices = (
        RectificationNotice.objects.visible_to(user)
        .select_related("school", "inspector", "item", "item__visit")
        .order_by("deadline", "pk")
    )
    if filters.get("status"):
        notices = notices.filter(status=filters["status"])
    if filters.get("open"):
        notices = notices.filter(status__in=RectificationNotice.OPEN)
    if filters.get("overdue"):
        notices = notices.filter(overdue_q())
    if filters.get("school"):
        notices = notices.filter(school=filters["school"])
    return notices


def notice_detail(*, user, pk):
    return get_visible_or_404(
        RectificationNotice.objects.select_related("school", "school__district", "inspector", "item", "item__visit")
        .prefetch_related("evidence", "item__evidence"),
        user, pk=pk,
    )


def notice_counts(*, user, school=None):
    """{open, overdue} counts of the notices the user may see (of one school): one query."""
    notices = RectificationNotice.objects.visible_to(user)
    if school is not None:
        notices = notices.filter(school=school)
    return notices.aggregate(
        open=Count("pk", filter=Q(status__in=RectificationNotice.OPEN)),
        overdue=Count("pk", filter=overdue_q()),
    )


# ---- the inspector's month, and the load per inspector -------------------------------------


@dataclass
class SchoolMonth:
    """One school of an inspector's zones this month: its visits, its draft, its notices."""

    school: object
    filed: int = 0  # visits of any kind filed this month
    routine_filed: int = 0
    draft: object = None  # the pk of the inspector's own draft of this month, if any
    open_notices: int = 0
    overdue: int = 0

    @property
    def due(self):
        # Seed 004: every school of the zone has its themed routine visit (随访) every month;
        # a special inspection or a teaching review does not stand in for it.
        return self.routine_filed == 0


def inspector_month(*, user, today=None):
    """(zones, [(zone, [SchoolMonth])]) of an inspector this month: four queries whatever the
    number of schools (zones, their schools, the month's visits, the open notices by school)."""
    today = today or timezone.localdate()
    zones = my_zones(user=user)
    visits = (
        Visit.objects.visible_to(user).filter(date__year=today.year, date__month=today.month)
        .values_list("school_id", "status", "inspector_id", "pk", "kind")
    )
    notices = (
        RectificationNotice.objects.visible_to(user).filter(status__in=RectificationNotice.OPEN)
        .values("school_id").annotate(open=Count("pk"), overdue=Count("pk", filter=overdue_q(today)))
    )
    rows = {}
    for zone in zones:
        for link in zone.school_links.all():
            rows.setdefault(link.school_id, SchoolMonth(school=link.school))
    for school_id, status, inspector_id, pk, kind in visits:
        row = rows.get(school_id)
        if row is None:
            continue
        if status == Visit.Status.FILED:
            row.filed += 1
            row.routine_filed += kind == VisitKind.ROUTINE
        elif inspector_id == user.pk and kind == VisitKind.ROUTINE:
            row.draft = pk
    for count in notices:
        row = rows.get(count["school_id"])
        if row is not None:
            row.open_notices, row.overdue = count["open"], count["overdue"]
    return [(zone, [rows[link.school_id] for link in zone.school_links.all()]) for zone in zones]


@dataclass
class InspectorLoad:
    inspector: object
    zones: list = field(default_factory=list)
    schools: int = 0
    filed: int = 0
    drafts: int = 0
    open_notices: int = 0
    overdue: int = 0


def inspector_load(*, user, today=None):
    """The load of every inspector of the user's zones: schools, visits this month, open and
    overdue notices. Five queries for any number of inspectors."""
    today = today or timezone.localdate()
    zones = zone_list(user=user)
    loads = {}
    for zone in zones:
        for inspector in zone.inspectors.all():
            load = loads.setdefault(inspector.pk, InspectorLoad(inspector=inspector))
            load.zones.append(zone)
            load.schools += zone.school_count
    visits = (
        Visit.objects.visible_to(user).filter(date__year=today.year, date__month=today.month, inspector__in=list(loads))
        .values("inspector_id").annotate(
            filed=Count("pk", filter=Q(status=Visit.Status.FILED)),
            drafts=Count("pk", filter=Q(status=Visit.Status.DRAFT)),
        )
    )
    for row in visits:
        loads[row["inspector_id"]].filed, loads[row["inspector_id"]].drafts = row["filed"], row["drafts"]
    notices = (
        RectificationNotice.objects.visible_to(user).filter(status__in=RectificationNotice.OPEN, inspector__in=list(loads))
        .values("inspector_id").annotate(open=Count("pk"), overdue=Count("pk", filter=overdue_q(today)))
    )
    for row in notices:
        loads[row["inspector_id"]].open_notices, loads[row["inspector_id"]].overdue = row["open"], row["overdue"]
    return sorted(loads.values(), key=lambda load: (load.inspector.name or load.inspector.username))


# ---- the gate sign (public) --------------------------------------------------------------
# The sign is public by design (the 2013 rules: every school shows its inspectors and the
# line to call): these reads take no user. They return only what the sign prints, of open
# schools: the school's name and code, its zone's active inspectors' names, kinds, photos
# and sign telephones, and the zone's complaint line. Nothing else of a school or a person.

SIGN_SEARCH_LIMIT = 20


def sign_search(*, q):
    q = (q or "").strip()
    if not q:
        return []
    return list(
        School.objects.filter(status=School.Status.OPEN).filter(Q(name__icontains=q) | Q(code=q))
        .select_related("district").order_by("code")[:SIGN_SEARCH_LIMIT]
    )


def sign_for(*, pk):
    """(school, zone or None, [inspectors with their cards]) of an open school, or Http404."""
    school = (
        School.objects.filter(status=School.Status.OPEN, pk=pk)
        .select_related("district", "zone_link__zone").first()
    )
    if school is None:
        raise Http404
    link = getattr(school, "zone_link", None)
    zone = link.zone if link is not None else None
    inspectors = []
    if zone is not None:
        inspectors = list(zone.inspectors.filter(is_active=True).select_related("inspector_card").order_by("pk"))
    return school, zone, inspectors


def sign_photo(*, card_pk):
    """The card of an active inspector who is on some school's sign (its photo is public), or Http404."""
    card = (
        InspectorCard.objects.filter(pk=card_pk, user__is_active=True, user__inspector_zones__isnull=False)
        .exclude(photo="").first()
    )
    if card is None:
        raise Http404
    return card


# ---- the unannounced draw ----------------------------------------------------------------


def draw_list(*, user):
    return UnannouncedDraw.objects.visible_to(user).select_related("district", "zone", "created_by").order_by(
        "-created_at", "-pk")


def draw_detail(*, user, pk):
    assignments = Prefetch("assignments", queryset=DrawAssignment.objects.select_related("school", "inspector")
                           .order_by("position", "pk"))
    return get_visible_or_404(
        UnannouncedDraw.objects.select_related("district", "zone", "created_by").prefetch_related(assignments),
        user, pk=pk,
    )


def my_draw_assignments(*, user):
    """The drawn schools an inspector is to visit unannounced, with the draw's title (one query)."""
    return list(
        DrawAssignment.objects.visible_to(user).filter(inspector=user, school__status=School.Status.OPEN)
        .select_related("school", "draw").order_by("-draw__created_at", "position")[:50]
    )
