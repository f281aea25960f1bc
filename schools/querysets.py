"""Scoped querysets: every read of school data starts from `visible_to(user)`."""

from django.db import models

from bureau.models import Role
from bureau.permissions import BUREAU, is_active, scope_district_ids


class DistrictQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not is_active(user):
            return self.none()
        if user.is_superuser:
            return self
        if user.role in BUREAU or user.role == Role.INSPECTOR:
            return self.filter(pk__in=scope_district_ids(user))
        if user.role == Role.PRINCIPAL and user.school_id:
            return self.filter(schools__pk=user.school_id)
        return self.none()


class SchoolQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not is_active(user):
            return self.none()
        if user.is_superuser:
            return self
        if user.role in BUREAU:
            return self.filter(district_id__in=scope_district_ids(user))
        if user.role == Role.INSPECTOR:
            # The zone link is defined by the inspections app (one zone per school).
            return self.filter(zone_link__zone__inspectors=user)
        if user.role == Role.PRINCIPAL and user.school_id:
            return self.filter(pk=user.school_id)
        return self.none()


class ScopedQuerySet(models.QuerySet):
    """A queryset of records that belong to a school (or district) through `school_path`."""

    school_path = "school"
    district_only = False

    def visible_to(self, user):
        from schools.models import School

        if not is_active(user):
            return self.none()
        if user.is_superuser:
            return self
        if self.district_only:
            if user.role in BUREAU or user.role == Role.INSPECTOR:
                return self.filter(**{f"{self.school_path}_id__in": scope_district_ids(user)})
            if user.role == Role.PRINCIPAL and user.school_id:
                return self.filter(**{f"{self.school_path}__schools__pk": user.school_id})
            return self.none()
        if user.role in BUREAU:
            return self.filter(**{f"{self.school_path}__district_id__in": scope_district_ids(user)})
        if user.role == Role.PRINCIPAL and user.school_id:
            return self.filter(**{f"{self.school_path}_id": user.school_id})
        return self.filter(**{f"{self.school_path}__in": School.objects.visible_to(user).values("pk")})

    @classmethod
    def for_path(cls, path, *, via_district=False):
        return type(f"ScopedQuerySet_{path}", (cls,), {"school_path": path, "district_only": via_district})
