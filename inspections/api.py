"""The inspections API (/api/v1/): themes, visits and rectification notices, read-only, scoped
like the pages (a school never finds a visit before it is filed, an unannounced one included,
nor any visit's private notes). Changes go through the pages for now."""

from django.db.models import Prefetch
from rest_framework import mixins, viewsets

from bureau.api import RolePermission
from inspections import serializers
from inspections.models import ChecklistItem, MonthlyTheme, RectificationNotice, Visit, VisitItem
from inspections.permissions import THEME_READERS, VISIT_READERS
from inspections.selectors import notice_list, visit_list


class ReadOnlyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [RolePermission]
    write_roles = frozenset()


class MonthlyThemeViewSet(ReadOnlyViewSet):
    """The themed calendar: each month's theme with its checklist (code, text, policy source)."""

    read_roles = THEME_READERS
    queryset = MonthlyTheme.objects.none()
    serializer_class = serializers.MonthlyThemeSerializer

    def get_queryset(self):
        items = Prefetch("items", queryset=ChecklistItem.objects.order_by("ordering", "code"))
        return MonthlyTheme.objects.visible_to(self.request.user).prefetch_related(items).order_by("-year", "month", "pk")


class VisitViewSet(ReadOnlyViewSet):
    """Visits with their checklist results. A school sees its filed visits only."""

    read_roles = VISIT_READERS
    queryset = Visit.objects.none()
    serializer_class = serializers.VisitSerializer

    def get_queryset(self):
        items = Prefetch("items", queryset=VisitItem.objects.order_by("ordering", "pk"))
        return visit_list(user=self.request.user).prefetch_related(items)


class RectificationNoticeViewSet(ReadOnlyViewSet):
    """Rectification notices, soonest deadline first, each saying whether it is overdue."""

    read_roles = VISIT_READERS
    queryset = RectificationNotice.objects.none()
    serializer_class = serializers.RectificationNoticeSerializer

    def get_queryset(self):
        return notice_list(user=self.request.user)


def register(router):
    """Add the inspections endpoints to the API router (bureau/api_urls.py)."""
    router.register("themes", MonthlyThemeViewSet, basename="theme")
    router.register("visits", VisitViewSet, basename="visit")
    router.register("rectification-notices", RectificationNoticeViewSet, basename="rectification-notice")
