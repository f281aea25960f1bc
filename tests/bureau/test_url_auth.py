"""Every URL, every role: deny by default, and scope answers 404.

The walker reads the whole URLconf, so a new URL is checked the moment it is added:
- it must declare who may use it (`bureau.permissions.roles_required` / `public` set
  `allowed_roles`; a DRF view declares `allowed_roles`, or `read_roles` for
  `bureau.api.RolePermission`, or is open with `permission_classes = [AllowAny]`);
- anonymous → the login page (401/403 under /api/);
- a role it does not declare → 403;
- a declared role → 200 (or a redirect) for a record in its scope, 404 for a record of
  another district.

Records for the URL's arguments are made generically: every scoped record hangs off a
school, so a record "in scope" is one made at the `school` fixture (the principal's
school, in the inspector's zone, in the bureau users' district) and one "out of scope"
is made at `other_school` (another district). Which roles must see the in-scope record
is asked of the model's own `visible_to(user)`. When a URL needs more than that (an
extra argument, a record that must exist), add an entry to URL_KWARGS or KWARG_VALUES.
"""

import re
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.permissions import AllowAny

from tests import factories

ROLES = ("anonymous", "admin", "staff", "leader", "inspector", "principal", "parent")

# Checked elsewhere, or not ours: Django's admin, the language switch, files, API docs.
SKIP_PREFIXES = ("django-admin/", "i18n/", "static/", "media/", "api/schema/", "api/docs/", "api/redoc/")

# Plain (non-object) URL arguments: a value that exists whatever the scope.
KWARG_VALUES = {
    "year": 2025,
    "kind": "teachers",  # spreadsheet kinds (import templates, exports)
    "fmt": "xlsx",
}


def _school_with_stats(school):
    stat = factories.SchoolYearStatFactory(school=school)
    return {"pk": school.pk, "year": stat.school_year.start_year}


def _import_job_at(school):
    """A job uploaded by a staff member of the school's district (jobs are their uploader's)."""
    from bureau.models import Role, User

    uploader = User.objects.filter(role=Role.STAFF, district=school.district).order_by("pk").first()
    if uploader is None:
        uploader = factories.UserFactory(role=Role.STAFF, district=school.district)
    return apps.get_model("bureau", "ImportJob").objects.create(
        kind="teachers", file="imports/walk.csv", original_name="教师.csv", file_format="csv",
        created_by=uploader, district=school.district, status="validated",
    )


def _deputy_at(school):
    """A deputy named by the school's principal (the `principal` user at the `school` fixture)."""
    from bureau.models import Role, User

    principal = User.objects.filter(role=Role.PRINCIPAL, school=school, named_by=None).order_by("pk").first()
    if principal is None:
        principal = factories.UserFactory(role=Role.PRINCIPAL, school=school, district=school.district)
    deputy = factories.UserFactory(role=Role.PRINCIPAL, school=school, district=school.district, named_by=principal)
    return {"pk": deputy.pk}


# "app.Model" → function(school) → a record of that model belonging to the school's scope,
# for models that do not hang off a school or district in the usual way.
MODEL_MAKERS = {
    "bureau.ImportJob": _import_job_at,
}

# URL name → function(school) → kwargs, for URLs whose arguments the generic rules cannot make.
URL_KWARGS = {
    "api:school-stats": _school_with_stats,
    "api:school-indicators": lambda school: {"pk": _school_with_stats(school)["pk"]},
    "schools:stat_edit": _school_with_stats,
    "schools:stat_save": _school_with_stats,
    "accounts:deputy_set_active": _deputy_at,
}

# The first words of a URL name that do not spell their model's name.
MODEL_ALIASES = {
    "class": "schools.SchoolClass",
    "stat": "schools.SchoolYearStat",
    "stats": "schools.SchoolYearStat",
    "training": "schools.TrainingRecord",
    "group": "schools.EducationGroup",
    "zone": "inspections.InspectorZone",
    "user": "bureau.User",
    "deputy": "bureau.User",
}


@dataclass
class Route:
    name: str  # namespaced, e.g. "schools:school_detail"
    route: str  # the pattern text, for messages
    callback: object
    kwargs: tuple

    def __str__(self):
        return self.name or self.route


def _walk(resolver, prefix="", namespace=""):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from _walk(entry, route, ns)
        elif isinstance(entry, URLPattern):
            yield route, entry, namespace


def collect_routes():
    routes = {}
    for route, entry, namespace in _walk(get_resolver()):
        clean = route.replace("^", "")
        if clean.startswith(SKIP_PREFIXES):
            continue
        kwargs = tuple(entry.pattern.regex.groupindex)
        if "format" in kwargs:  # DRF's format-suffix twin of a route already walked
            continue
        name = f"{namespace}{entry.name}" if entry.name else ""
        key = name or route
        routes.setdefault(key, Route(name=name, route=route, callback=entry.callback, kwargs=kwargs))
    return list(routes.values())


ROUTES = collect_routes()


# ---- reading a view's declaration --------------------------------------------------


def view_class(callback):
    return getattr(callback, "cls", None) or getattr(callback, "view_class", None)


def is_api(callback):
    return getattr(callback, "cls", None) is not None  # DRF's as_view / ViewSet.as_view set .cls


def declared_roles(callback):
    """frozenset of role values, "public", or None when the view declares nothing."""
    declared = getattr(callback, "allowed_roles", None)
    cls = view_class(callback)
    if declared is None and cls is not None:
        declared = getattr(cls, "allowed_roles", None)
        if declared is None and is_api(callback):
            declared = getattr(cls, "read_roles", None)
            if declared is None and list(getattr(cls, "permission_classes", ())) == [AllowAny]:
                declared = "public"
    if declared is None or declared == "public":
        return declared
    return frozenset(str(role) for role in declared)


def get_allowed(callback):
    """Whether a GET reaches the view (DRF viewsets map methods to actions)."""
    actions = getattr(callback, "actions", None)
    return actions is None or "get" in actions


# ---- making records for a URL's arguments ------------------------------------------


def model_for(route, kwarg):
    """The model a `pk` / `<model>_pk` / `<model>_id` argument points at, or None.

    Asked in turn: the name of the argument, the view class's queryset or model, the path
    segment before the argument ("teachers/<int:pk>/" → Teacher), the URL name.
    """
    if kwarg != "pk":
        return _model_by_words([kwarg.rsplit("_", 1)[0]]) if kwarg.endswith(("_pk", "_id")) else None
    cls = view_class(route.callback)
    for source in (getattr(cls, "queryset", None), getattr(cls, "model", None)):
        if source is not None:
            return getattr(source, "model", source)
    before = re.split(r"[<(]", route.route.replace("^", ""), maxsplit=1)[0].rstrip("/").rsplit("/", 1)[-1]
    model = _model_by_segment(before)
    if model is None:
        model = _model_by_words(route.name.rsplit(":", 1)[-1].replace("-", "_").split("_"))
    return model


def _model_named(word):
    word = word.replace("-", "").replace("_", "").lower()
    if word in MODEL_ALIASES:
        return apps.get_model(MODEL_ALIASES[word])
    return {m._meta.model_name: m for m in apps.get_models()}.get(word)


def _model_by_segment(segment):
    """A plural path segment: "schools", "classes", "training-records"."""
    for candidate in (segment, segment[:-1], segment[:-2]):
        if candidate and (model := _model_named(candidate)) is not None:
            return model
    return None


def _model_by_words(words):
    for size in range(len(words), 0, -1):
        model = _model_named("".join(words[:size]))
        if model is not None:
            return model
    return None


def record_at(model, school):
    """A record of `model` belonging to `school` (and so to its district)."""
    from schools.models import District, School

    if model is School:
        return school
    if model is District:
        return school.district
    if model._meta.label in MODEL_MAKERS:
        return MODEL_MAKERS[model._meta.label](school)
    factory = getattr(factories, f"{model.__name__}Factory", None)
    if factory is None:
        pytest.fail(f"no factory for {model.__name__}: add {model.__name__}Factory to tests/factories.py")
    queryset = model._default_manager.all()
    path = getattr(queryset, "school_path", None)
    if path is None:
        fields = {f.name for f in model._meta.fields}
        if "district" in fields:  # district-wide records (users, zones), even when they may name a school
            return factory(district=school.district)
        if "school" in fields:
            path = "school"
        else:
            return factory()  # not scoped by school: the same record for everyone
    target = school.district if getattr(queryset, "district_only", False) else school
    return factory(**{path: target})


def build_kwargs(route, school):
    """(kwargs, records) for the route with every record made at `school`."""
    if route.name in URL_KWARGS:
        kwargs = URL_KWARGS[route.name](school)
        records = []
        model = model_for(route, "pk") if "pk" in kwargs else None
        if model is not None:
            records.append(model.objects.get(pk=kwargs["pk"]))
        return kwargs, records
    kwargs, records = {}, []
    for name in route.kwargs:
        model = model_for(route, name)
        if model is not None:
            record = record_at(model, school)
            kwargs[name] = record.pk
            records.append(record)
        elif name in KWARG_VALUES:
            kwargs[name] = KWARG_VALUES[name]
        else:
            pytest.fail(
                f"{route}: cannot make a value for the URL argument {name!r}; "
                "add it to KWARG_VALUES or URL_KWARGS in tests/bureau/test_url_auth.py"
            )
    return kwargs, records


def is_scoped(record):
    return hasattr(type(record)._default_manager.all(), "visible_to")


def visible(user, records):
    for record in records:
        if is_scoped(record) and not type(record)._default_manager.visible_to(user).filter(pk=record.pk).exists():
            return False
    return True


# ---- the tests ---------------------------------------------------------------------


def test_the_walker_sees_the_portal():
    names = {route.name for route in ROUTES}
    assert {"home", "login", "schools:school_list", "schools:school_detail"} <= names, names
    assert not any(route.route.startswith("django-admin/") for route in ROUTES)


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_every_url_declares_who_may_use_it(route):
    declared = declared_roles(route.callback)
    assert declared is not None, (
        f"{route} ({route.route}) declares no roles: decorate it with bureau.permissions.roles_required(...) "
        "or public (DRF: allowed_roles / read_roles on the view class)"
    )
    if declared != "public":
        unknown = declared - set(ROLES)
        assert declared and not unknown, f"{route}: bad role declaration {sorted(declared)}"


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_every_url_as_every_role(route, client, users, school, other_school, zone):
    declared = declared_roles(route.callback)
    if declared is None:
        pytest.skip("undeclared: reported by test_every_url_declares_who_may_use_it")
    api = is_api(route.callback) or route.route.startswith("api/")
    login_url = reverse("login")

    in_kwargs, in_records = build_kwargs(route, school)
    out_kwargs, out_records = build_kwargs(route, other_school)
    in_url = reverse(route.name, kwargs=in_kwargs)
    out_url = reverse(route.name, kwargs=out_kwargs)
    has_object = bool(in_records)
    # Records that everyone shares (school years, terms) have no "other district" to refuse.
    has_scoped_object = any(is_scoped(record) for record in out_records)
    # The other district's records must be invisible to every test user, or a 404 means nothing.
    if has_scoped_object:
        for role, user in users.items():
            assert not visible(user, out_records), f"{route}: {role} sees another district's record"

    problems = []
    reached = []
    post_only = not get_allowed(route.callback)

    def check(role, url, expected, method="get"):
        response = getattr(client, method)(url, HTTP_ACCEPT_LANGUAGE="en")
        status = response.status_code
        ok = status in expected if isinstance(expected, set | tuple) else expected(response)
        if not ok:
            where = response.get("Location", "")
            problems.append(f"{role:<9} {method.upper()} {url} → {status} {where}".rstrip())
        return response

    for role in ROLES:
        client.logout()
        user = users.get(role)
        if user is not None:
            client.force_login(user)

        if declared == "public":
            check(role, in_url, lambda r: r.status_code < 500 and r.status_code not in (401, 403, 404))
            continue

        if user is None:
            if api:
                check(role, in_url, {401, 403})
            else:
                check(role, in_url, lambda r: r.status_code == 302 and r["Location"].startswith(login_url))
            continue

        if role not in declared:
            check(role, in_url, {403})
            if has_scoped_object:
                check(role, out_url, {403, 404})
            continue

        expect_in = visible(user, in_records)
        response = check(role, in_url, {200, 302, 405} if expect_in else {404, 405})
        if response.status_code == 405 or post_only:
            post_only = True
            # A POST-only view: an out-of-scope record must still be refused (nothing is
            # posted to an in-scope one: an empty form could still change it).
            if has_scoped_object:
                check(role, out_url, {404}, method="post")
            continue
        if expect_in and response.status_code in (200, 302):
            reached.append(role)
        if has_scoped_object:
            check(role, out_url, {404})

    assert not problems, f"{route} ({route.route}), declared {sorted(declared)}:\n" + "\n".join(problems)
    if has_object and declared != "public" and not post_only:
        # At least one declared role must reach an in-scope record, or the 404s prove nothing.
        assert reached or not any(visible(u, in_records) for r, u in users.items() if r in declared), (
            f"{route}: no declared role reached an in-scope record"
        )


def test_anonymous_user_sees_no_scoped_records(school):
    from schools.models import School

    assert not School.objects.visible_to(AnonymousUser()).exists()
