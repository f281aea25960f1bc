"""Scoped querysets of the schools models: every read starts from `visible_to(user)`.

How each model belongs is declared in schools/permissions.py; bureau/scope.py applies it.
`for_path` and its attributes remain only while the old URL walk still reads them.
"""

from bureau.scope import ScopedQuerySet as _EngineQuerySet


class ScopedQuerySet(_EngineQuerySet):
    school_path = "school"
    district_only = False

    @classmethod
    def for_path(cls, path, *, via_district=False):
        return type(f"ScopedQuerySet_{path}", (cls,), {"school_path": path, "district_only": via_district})


DistrictQuerySet = _EngineQuerySet
SchoolQuerySet = _EngineQuerySet
