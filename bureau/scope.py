"""The one scope engine: which rows of a model a user may see, and which fields of them.

Every model that holds district data declares how it belongs, once, in its app's
`permissions.py`:

    scope.declare(Teacher, Belongs(district="district", school="school",
                                   withheld=(Withheld(("birth_date", "certificate_number"),
                                                      seen_by={Role.ADMIN, Role.STAFF, Role.PRINCIPAL}),)))

and its manager is `ScopedQuerySet.as_manager()`. Pages, the API, imports, exports and the
change history all ask this module (through `Model.objects.visible_to(user)`,
`hidden_fields(user, Model)` and the predicates built on them); no other code reads a
user's role to filter rows.

How far a user reaches follows from its role (DESIGN.md "Who uses it"):

- bureau roles (admin, staff, leader) reach their district, or a city's child districts;
- an inspector reaches the zones it is assigned to, the schools of those zones, and its
  district for records that belong to a district only (education groups, districts);
- a principal (and a deputy) reaches its school, and its school's district for records
  that belong to a district only;
- anyone reaches the records it owns (a parent's complaints);
- a superuser reaches everything.

An app that knows more about a role registers it here instead of being imported by
bureau: the inspections app tells which zones and schools an inspector looks after
(`provide_zones`), so that bureau, the base of every app, imports no domain app.
"""

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from django.db.models import Q

from bureau import refcache

# How a role reaches records. Kept as strings so that this module needs no model at import.
DISTRICT_LEVEL = "district"
ZONE_LEVEL = "zone"
SCHOOL_LEVEL = "school"
ROLE_LEVELS = {
    "admin": DISTRICT_LEVEL,
    "staff": DISTRICT_LEVEL,
    "leader": DISTRICT_LEVEL,
    "inspector": ZONE_LEVEL,
    "principal": SCHOOL_LEVEL,
    # A parent reaches only what it owns.
}


@dataclass(frozen=True)
class Withheld:
    """Fields only some users may read: the roles in `seen_by` (and superusers), or the
    users for whom `allowed(user)` is true when the rule depends on more than the role."""

    fields: tuple
    seen_by: frozenset = frozenset()
    allowed: object = None  # callable(user) -> bool, instead of seen_by

    def permits(self, user):
        if user.is_superuser:
            return True
        if self.allowed is not None:
            return bool(self.allowed(user))
        return user.role in self.seen_by


@dataclass(frozen=True)
class Belongs:
    """How the rows of one model belong: lookups from the model to what scopes it.

    district   lookup of the District the row belongs to (a tuple: any of several)
    school     lookup of the School
    zone       lookup of the inspector zone
    owner      lookup of the account that owns the row (it always sees its own rows)
    roles      the roles that reach rows through district, zone or school; None: all.
               Others see only the rows they own.
    school_sees_when   a school-level user (principal, deputy) sees a row only when this
               holds: an unannounced visit stays hidden from its school until it is filed
    owner_when callable(user) -> Q narrowing the rows a user owns (None: no narrowing)
    shared     rows every active user sees (national calendar days)
    never      rows nobody but a superuser sees (superuser accounts)
    withheld   fields some users may not read, on every surface (pages, API, exports,
               change history)
    """

    district: object = None
    school: str = None
    zone: str = None
    owner: str = None
    roles: frozenset = None
    school_sees_when: Q = None
    owner_when: object = None
    shared: Q = None
    never: Q = None
    withheld: tuple = field(default_factory=tuple)

    @property
    def district_paths(self):
        if self.district is None:
            return ()
        return self.district if isinstance(self.district, tuple) else (self.district,)


_POLICIES = {}
_zone_provider = None


def declare(model, policy):
    """Declare how the rows of `model` belong (once, in the app's permissions.py). The
    lookups are checked by the system check `bureau.S001` once every model is loaded."""
    _POLICIES[model._meta.concrete_model] = policy
    return policy


def policy_for(model):
    try:
        return _POLICIES[model._meta.concrete_model]
    except KeyError:
        raise ImproperlyConfigured(
            f"{model.__name__} has a scoped manager but no scope declaration: "
            "declare it with bureau.scope.declare() in its app's permissions.py."
        ) from None


def provide_zones(provider):
    """Register `provider(user) -> (zone ids, school ids)`, as querysets of one column, for
    an inspector's zones and the schools in them. The inspections app registers it."""
    global _zone_provider
    _zone_provider = provider
    return provider


# ---- a user's reach --------------------------------------------------------------------


def is_active(user):
    return bool(user and user.is_authenticated and user.is_active)


def district_model():
    from django.contrib.auth import get_user_model

    return get_user_model()._meta.get_field("district").related_model


def district_children():
    """{city id: (ids of its districts)} of every city: a few hundred rows at province scale,
    read by every request of a bureau account, changed a few times in years (bureau.refcache)."""

    def load():
        children = {}
        for parent_id, pk in district_model().objects.exclude(parent=None).values_list("parent_id", "pk"):
            children.setdefault(parent_id, []).append(pk)
        return children

    return refcache.cached("district-children", load)


def district_ids(user):
    """Ids of the districts a bureau user or inspector works on: its own and, for a city
    account, the city's child districts. Cached on the user: several querysets of one
    request ask for it."""
    if not is_active(user) or not user.district_id:
        return frozenset()
    cached = getattr(user, "_scope_district_ids", None)
    if cached is None:
        cached = frozenset({user.district_id, *district_children().get(user.district_id, ())})
        user._scope_district_ids = cached
    return cached


def reach_key(user, *models):
    """A name of the rows of `models` that `user` reaches, the same for every user who reaches
    the same rows (its role and districts, or its school), so that figures worked out for one
    serve the others (bureau.refcache.cached_for). Where a model has rows a user owns, the
    name is the user's own. None when the rows depend on more (an inspector's zones): work
    them out for the user."""
    if not is_active(user):
        return None
    if user.is_superuser:
        return "all"
    level = ROLE_LEVELS.get(user.role)
    if level == DISTRICT_LEVEL:
        key = f"{user.role}:d" + ",".join(str(pk) for pk in sorted(district_ids(user)))
    elif level == SCHOOL_LEVEL:
        key = f"{user.role}:s{user.school_id}"
    elif level is None:
        key = f"{user.role}:"
    else:
        return None
    if any(policy_for(model).owner for model in models):
        key += f":u{user.pk}"
    return key


def _principal_district(user):
    """The district of a principal's school, as a subquery (no query of its own)."""
    school_model = user._meta.get_field("school").related_model
    return school_model.objects.filter(pk=user.school_id).values("district_id")


def _zones(user):
    if _zone_provider is None:
        return None, None
    return _zone_provider(user)


def _any_path(paths, value, lookup="in"):
    return reduce(or_, (Q(**{f"{path}__{lookup}": value}) for path in paths))


def _level_grant(policy, user):
    """The rows a user reaches through its district, zones or school (None: none)."""
    level = ROLE_LEVELS.get(user.role)
    if level is None or (policy.roles is not None and user.role not in policy.roles):
        return None
    if level == DISTRICT_LEVEL:
        if not policy.district_paths:
            return None
        return _any_path(policy.district_paths, district_ids(user))
    if level == ZONE_LEVEL:
        zones, schools = _zones(user)
        if policy.zone and zones is not None:
            return Q(**{f"{policy.zone}__in": zones})
        if policy.school and schools is not None:
            return Q(**{f"{policy.school}__in": schools})
        if policy.district_paths and not (policy.zone or policy.school):
            return _any_path(policy.district_paths, district_ids(user))
        return None
    if level == SCHOOL_LEVEL:
        if not user.school_id:
            return None
        if policy.school:
            grant = Q(**{policy.school: user.school_id})
            if policy.school_sees_when is not None:
                grant &= policy.school_sees_when
            return grant
        if policy.district_paths and not policy.zone:
            # Only records that belong to a district and nothing finer (education groups):
            # a zone's records are not the schools' to read unless they name the school.
            return _any_path(policy.district_paths, _principal_district(user))
    return None


def visibility(model, user):
    """The Q of the rows of `model` that `user` may see; None when it may see none."""
    if not is_active(user):
        return None
    if user.is_superuser:
        return Q()
    policy = policy_for(model)
    grants = []
    level = _level_grant(policy, user)
    if level is not None:
        grants.append(level)
    if policy.owner:
        owned = Q(**{policy.owner: user.pk})
        if policy.owner_when is not None:
            narrowed = policy.owner_when(user)
            owned = None if narrowed is None else owned & narrowed
        if owned is not None:
            grants.append(owned)
    if policy.shared is not None:
        grants.append(policy.shared)
    if not grants:
        return None
    condition = reduce(or_, grants)
    if policy.never is not None:
        condition &= ~policy.never
    return condition


def filter_visible(queryset, user):
    condition = visibility(queryset.model, user)
    if condition is None:
        return queryset.none()
    if not condition:
        return queryset
    if _crosses_many(queryset.model, condition):
        # A lookup through a one-to-many or many-to-many relation (a zone's schools) would
        # repeat a row once per match: filter by a subquery of primary keys instead.
        return queryset.filter(pk__in=queryset.model._base_manager.filter(condition).values("pk"))
    return queryset.filter(condition)


def _value(instance, path):
    """The id a lookup path ends at, read from a loaded instance ("school__district" →
    instance.school.district_id). Related rows are read as loaded (select_related them)."""
    parts = path.split("__")
    current = instance
    for part in parts[:-1]:
        current = getattr(current, part)
        if current is None:
            return None
    last = parts[-1]
    if last == "pk":
        return current.pk
    field_ = current._meta.get_field(last)
    return getattr(current, field_.attname) if field_.concrete else None


def reaches(user, instance):
    """Whether `user` may see this one record. Answered from the loaded record where the
    rule is a plain district or school match (no query: predicates ask it for records a
    page has already loaded), else with one query."""
    if not is_active(user):
        return False
    if user.is_superuser:
        return True
    model = type(instance)
    policy = policy_for(model)
    level = ROLE_LEVELS.get(user.role)
    simple = policy.owner is None and policy.shared is None and policy.never is None
    if simple and (policy.roles is None or user.role in policy.roles):
        if level == DISTRICT_LEVEL and policy.district_paths:
            ids = district_ids(user)
            return any(_value(instance, path) in ids for path in policy.district_paths)
        if level == SCHOOL_LEVEL and policy.school and policy.school_sees_when is None:
            return user.school_id is not None and _value(instance, policy.school) == user.school_id
    elif simple and level is not None:
        return False
    condition = visibility(model, user)
    if condition is None:
        return False
    return model._base_manager.filter(pk=instance.pk).filter(condition).exists()


class ScopedQuerySet(models.QuerySet):
    """The queryset of every scoped model: `visible_to(user)` asks the engine."""

    def visible_to(self, user):
        return filter_visible(self, user)


# ---- fields --------------------------------------------------------------------------


def hidden_fields(user, model):
    """Names of the fields of `model` that `user` may not read (empty for most)."""
    policy = _POLICIES.get(model._meta.concrete_model)
    if policy is None or not policy.withheld:
        return frozenset()
    if not is_active(user):
        return frozenset(name for rule in policy.withheld for name in rule.fields)
    return frozenset(name for rule in policy.withheld if not rule.permits(user) for name in rule.fields)


def may_read(user, model, field_name):
    return field_name not in hidden_fields(user, model)


# ---- checking declarations --------------------------------------------------------------


def _path_fields(model, path):
    """The fields a lookup path walks through, from `model` (FieldDoesNotExist if wrong)."""
    fields = []
    current = model
    for part in path.split("__"):
        if part == "pk":
            fields.append(current._meta.pk)
            continue
        field_ = current._meta.get_field(part)
        fields.append(field_)
        current = field_.related_model if field_.is_relation else current
    return fields


def declaration_problems():
    """[(model, message)] for lookups or withheld fields that do not exist, and for scoped
    managers without a declaration (run by the system check in bureau/checks.py)."""
    from django.apps import apps

    problems = []
    for model, policy in _POLICIES.items():
        paths = [*policy.district_paths, policy.school, policy.zone, policy.owner]
        for path in filter(None, paths):
            try:
                _path_fields(model, path)
            except FieldDoesNotExist as exc:
                problems.append((model, f"bad scope path {path!r}: {exc}"))
        names = {f.name for f in model._meta.get_fields()}
        for rule in policy.withheld:
            unknown = set(rule.fields) - names
            if unknown:
                problems.append((model, f"withheld fields {sorted(unknown)} do not exist"))
    for model in apps.get_models():
        scoped = isinstance(model._default_manager.all(), ScopedQuerySet)
        if scoped and model._meta.concrete_model not in _POLICIES:
            problems.append((model, "scoped manager but no bureau.scope.declare() in its app's permissions.py"))
    return problems


def _crosses_many(model, condition):
    for child in condition.children:
        if isinstance(child, Q):
            if _crosses_many(model, child):
                return True
            continue
        lookup = child[0]
        parts = lookup.split("__")
        current = model
        for part in parts:
            try:
                field_ = current._meta.get_field(part) if part != "pk" else current._meta.pk
            except FieldDoesNotExist:
                break  # a lookup such as __in
            if field_.many_to_many or field_.one_to_many:
                return True
            if not field_.is_relation:
                break
            current = field_.related_model
    return False
