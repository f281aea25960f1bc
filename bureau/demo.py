"""Demo data: the orchestrator, and the accounts that are bureau's own.

`manage.py demo_data --seed N --scale district|city|province` calls `demo_data_load`.

Each app that has demo data keeps its generator in `<app>/demo.py` (a module or a package)
as a module-level `generator`, an instance of a `DemoGenerator` subclass. This module finds
them by looking for that submodule in every installed app, so bureau, the base every app
builds on, imports none of them, and a new app adds its demo data without touching another
app's file. They run in INSTALLED_APPS order (an app builds on the apps before it: schools
makes the districts and schools the inspector zones then cover), and delete in reverse.

- Everything comes from the seed: each district draws from its own random stream (seeded
  with the seed and the district code), which the generators share in app order. 天宁区 is
  therefore the same district at every scale, two loads with one seed give the same rows,
  and a generator added after the others leaves their rows as they were.
- Rows are written with `bulk_create` in batches (`DemoContext.write`), one district at a
  time in its own transaction, so memory stays flat whatever the scale (a province is ~100
  districts). No per-row `.save()`, no per-row audit: the load writes one audit row per model
  kind saying how many rows the demo load created (that row is also the marker that tells a
  second run that demo data is there).

This module writes demo data only; real data goes through the services.
"""

import random
import resource
import time
import unicodedata
from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, reset_queries, transaction
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext as _

from bureau import refcache
from bureau.errors import DomainError
from bureau.models import AuditLog, Department, Role, User

# Printed at the end of a load. A demo database only: never a real deployment's.
DEMO_PASSWORD = "Demo-2026!"

# The marker audit rows: object_id and the start of the note.
DEMO_OBJECT_ID = "demo"
DEMO_NOTE = "demo data"

# The scales a load can take; each generator sizes its own data for them. The value is the
# bulk_create batch: larger for a province, where the round trips dominate.
SCALES = {"district": 2000, "city": 2000, "province": 5000}


# ---- the protocol between the orchestrator and the apps' generators ----------------------


@dataclass
class DemoArea:
    """One district of the load, handed to every generator in turn.

    Made by the generator that owns the geography (schools) in its `begin`.
    """

    district: object  # the schools.District row: pk, code, name
    label: str  # the district with its city, "常州市天宁区", for progress and names
    is_demo: bool  # the district the fixed accounts work in
    # What the generator that made the area knows of it (the city, its telephone area code).
    facts: dict = field(default_factory=dict)
    # Seeded by the orchestrator from the seed and the district code. Each generator draws
    # from it in app order, so one app's rows never depend on an app loaded after it.
    rng: random.Random | None = None
    # Left by the schools generator for the ones after it: the School rows made here, by code.
    schools: list = field(default_factory=list)


@dataclass
class DemoContext:
    """What travels between the orchestrator and the generators during one load."""

    seed: int
    scale: str
    write: "Writer"
    password: str  # the demo password, hashed once for every account any generator makes
    log: object  # log(message): progress for the command's stderr
    started: float  # time.monotonic() at the start of the load
    # Made by the generator that owns the geography, in `begin`:
    areas: list = field(default_factory=list)  # every district of the load, in load order
    district: object = None  # the demo district: the fixed accounts work here
    city: object = None  # its city: the city-wide accounts work here
    # Left by one generator for the ones after it and for the printed logins:
    demo_school: object = None  # the School of the fixed principal (schools)
    inspector: object = None  # the fixed inspector's User (inspections)
    # Each generator's own notes between its calls, under its app label.
    state: dict = field(default_factory=dict)


@dataclass
class DemoAccount:
    """A login to print: `user` unsaved (the orchestrator writes it) or made with its district."""

    user: User
    sees: str  # what the account sees, for the printed table


class DemoGenerator:
    """The demo data of one app. Subclass it in `<app>/demo.py` and set `generator = ...()`.

    Every method has a do-nothing default. Loading, the orchestrator calls `begin` on every
    generator (one transaction), then for each district `load_district` on every generator
    (one transaction per district), then `fixed_accounts` and `after_accounts` (one transaction
    with the markers).
    Deleting, it deletes each district's accounts, then calls `delete_district` in reverse
    app order, and at the end `delete_rest` in reverse app order. Keep the generator itself
    stateless: what its calls share goes in `ctx.state[<app label>]`.
    """

    # The usernames of the fixed accounts it makes, checked free before anything is written.
    fixed_usernames = ()

    def demo_district_ids(self):
        """The pks of the demo districts an earlier load left (only the geography's owner knows)."""
        return []

    def begin(self, ctx):
        """Once, before the districts: shared rows; the geography's owner fills ctx.areas."""

    def load_district(self, ctx, area):
        """The app's rows in one district, drawing from area.rng and writing with ctx.write."""

    def fixed_accounts(self, ctx):
        """[DemoAccount, ...]: the app's logins for the printed table, made now or earlier."""
        return []

    def notes(self, ctx):
        """[str, ...]: what else a demo user needs to try the app (a survey's access code)."""
        return []

    def after_accounts(self, ctx):
        """Once the fixed accounts are written (same transaction): work done by them, through
        the services (a principal's class draw, a transfer approved by staff)."""

    def delete_before_accounts(self, district_id):
        """Delete the app's rows of one demo district that point at its accounts (an
        inspector's visits: an account is protected by its work) before the accounts go."""
        return 0

    def delete_district(self, district_id):
        """Delete the app's rows in one demo district (its accounts are gone); return the count."""
        return 0

    def delete_rest(self, district_ids):
        """After every district: delete what belongs to none (the districts themselves)."""
        return 0


def demo_generators():
    """The installed apps' generators, in INSTALLED_APPS order.

    Found by module name rather than imported by name, so that bureau imports no domain
    app; an app's demo module may import the apps before it, never the ones after.
    """
    found = []
    for config in apps.get_app_configs():
        if not module_has_submodule(config.module, "demo"):
            continue
        generator = getattr(import_module(f"{config.name}.demo"), "generator", None)
        if isinstance(generator, DemoGenerator):
            found.append(generator)
    return found


# ---- the writer ------------------------------------------------------------------------


class Writer:
    """bulk_create in batches; forgets the debug query log so a long load stays flat in memory."""

    def __init__(self, batch_size):
        # SQLite caps the variables of one statement; Django splits batches further itself.
        self.batch_size = batch_size
        self.counts = {}
        self.labels = {}

    def __call__(self, model, rows, *, label=None):
        """Write rows; `label` names the kind in the printed counts (default: its verbose name)."""
        if not rows:
            return rows
        created = model.objects.bulk_create(rows, batch_size=self.batch_size)
        self.counts[model] = self.counts.get(model, 0) + len(rows)
        if label is not None:
            self.labels[model] = label
        reset_queries()
        return created

    def label(self, model):
        return str(self.labels.get(model, model._meta.verbose_name_plural))


def raw_delete(queryset):
    """Delete with one DELETE … WHERE; returns the count.

    Django's collector would load every row (800,000 teachers at province scale) to cascade
    in Python; generators delete children first, in order, so no cascade is needed.
    """
    return queryset._raw_delete(queryset.db)


# ---- text helpers ---------------------------------------------------------------------

SURNAMES = (
    "王王王王李李李李张张张张刘刘刘陈陈陈杨杨黄黄赵赵吴吴周周徐徐孙孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
    "于蒋蔡余杜叶程苏魏吕丁任沈沈姚卢姜崔钟谭陆陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾顾毛郝龚邵万钱"
    "钱严武戴莫孔向汤恽瞿庄"
)
MALE_CHARS = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林阳建国志文东海峰振晨昊睿博轩哲骏毅锋亮雷彬德荣忠诚"
FEMALE_CHARS = "芳娜敏静丽艳娟霞燕玲婷雪慧颖琳倩洁萍红梅莉兰凤琴璐晶悦欣怡佳雯蕾楠月丹妍薇瑶岚菁茜蓉秀娅婕媛琪晓"


def person_name(rng, gender):
    chars = MALE_CHARS if gender == "M" else FEMALE_CHARS
    if rng.random() < 0.3:
        given = rng.choice(chars)
    else:
        given = "".join(rng.sample(chars, 2))
    return rng.choice(SURNAMES) + given


CN_DIGITS = "零一二三四五六七八九"


def cn_number(n):
    """1 → 一, 12 → 十二, 40 → 四十, 105 → 一百零五 (enough for school and zone numbers)."""
    if n < 10:
        return CN_DIGITS[n]
    if n < 20:
        return "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return CN_DIGITS[n // 10] + "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    rest = n % 100
    head = CN_DIGITS[n // 100] + "百"
    if not rest:
        return head
    return head + ("零" + CN_DIGITS[rest] if rest < 10 else cn_number(rest) if rest >= 20 else "一" + cn_number(rest))


def text_width(text):
    """Terminal cells of a string: Chinese characters take two (for printed tables)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def text_pad(text, width):
    return text + " " * max(0, width - text_width(text))


# ---- bureau's own accounts ---------------------------------------------------------------

DEMO_PARENT = ("王丽", "13912345678")

# (username, role, department code or None, where: "district" / "city" / None). The
# principal and the inspectors come from the schools and inspections generators.
FIXED_ACCOUNTS = (
    ("admin", Role.ADMIN, None, "district"),
    ("staff_basic", Role.STAFF, "basic", "district"),
    ("staff_inspection", Role.STAFF, "inspection", "district"),
    ("staff_audit", Role.STAFF, "audit", "district"),
    ("staff_personnel", Role.STAFF, "personnel", "district"),
    ("staff_finance", Role.STAFF, "finance", "district"),
    ("staff_pe_health_arts", Role.STAFF, "pe_health_arts", "district"),
    ("leader", Role.LEADER, None, "district"),
    ("parent", Role.PARENT, None, None),
    ("city_staff", Role.STAFF, "basic", "city"),
    ("city_leader", Role.LEADER, None, "city"),
)


def _bureau_accounts(ctx):
    """One account per bureau role in the demo district (and city-wide ones above district scale)."""
    departments = {d.code: d for d in Department.objects.all()}
    rng = random.Random("accounts")
    d, c = ctx.district.name, ctx.city.name
    sees = {
        "admin": _("users, roles, departments and inspector zones of %(d)s") % {"d": d},
        "leader": _("everything in %(d)s, read-only") % {"d": d},
        "parent": _("own account only"),
        "city_staff": _("all districts of %(c)s") % {"c": c},
        "city_leader": _("everything in all districts of %(c)s") % {"c": c},
    }
    accounts = []
    for username, role, department, where in FIXED_ACCOUNTS:
        if where == "city" and ctx.scale == "district":
            continue
        user = User(username=username, password=ctx.password, role=role)
        if department:
            user.department = departments[department]
        if where == "district":
            user.district = ctx.district
        elif where == "city":
            user.district = ctx.city
        if role == Role.ADMIN:
            user.is_staff = True
        if role == Role.PARENT:
            user.name, user.mobile = DEMO_PARENT
        if not user.name:
            user.name = person_name(rng, "M" if rng.random() < 0.5 else "F")
        what = sees.get(username) or _("the schools and records of %(d)s") % {"d": d}
        accounts.append(DemoAccount(user=user, sees=str(what)))
    return accounts


def _fixed_accounts(ctx, generators):
    """Bureau's accounts and the generators', written once; [(username, role, name, sees), ...].

    Listed the way DESIGN.md's role table lists the roles, the demo district's first and
    the city-wide ones last.
    """
    accounts = _bureau_accounts(ctx)
    for generator in generators:
        accounts.extend(generator.fixed_accounts(ctx))
    roles = list(Role)
    accounts.sort(key=lambda a: (ctx.city is not None and a.user.district_id == ctx.city.pk, roles.index(a.user.role)))
    ctx.write(User, [a.user for a in accounts if a.user.pk is None])
    rows = []
    for account in accounts:
        user = account.user
        label = str(Role(user.role).label)
        if user.department:
            label = f"{label} · {user.department.name}"
        rows.append((user.username, label, user.name, account.sees))
    return rows


# ---- markers -------------------------------------------------------------------------------


def _write_markers(counts, *, seed, scale):
    """One audit row per model kind: what the demo load wrote (no per-row audit)."""
    rows = []
    for model, n in counts.items():
        if model._meta.auto_created:
            continue
        rows.append(AuditLog(
            action=AuditLog.Action.IMPORT,
            content_type=ContentType.objects.get_for_model(model),
            object_id=DEMO_OBJECT_ID,
            object_repr=f"{model._meta.verbose_name_plural}: {n:,}"[:200],
            changes={"seed": seed, "scale": scale, "rows": n},
            note=f"{DEMO_NOTE} (seed {seed}, {scale} scale)",
        ))
    AuditLog.objects.bulk_create(rows)


def demo_data_marker():
    """{"seed", "scale"} of the loaded demo data, or None when there is none."""
    row = (AuditLog.objects.filter(object_id=DEMO_OBJECT_ID, note__startswith=DEMO_NOTE)
           .order_by("-id").values("changes").first())
    if row is None:
        return None
    return {"seed": row["changes"].get("seed"), "scale": row["changes"].get("scale")}


def demo_data_exists(generators=None):
    generators = demo_generators() if generators is None else generators
    return demo_data_marker() is not None or any(g.demo_district_ids() for g in generators)


# ---- delete and load ---------------------------------------------------------------------


def demo_data_delete(generators=None):
    """Delete the demo districts and everything in them, the demo accounts and the markers.

    Returns the number of rows deleted. What generators share across loads (school years
    and terms) stays.
    """
    generators = demo_generators() if generators is None else generators
    backwards = generators[::-1]
    district_ids = [pk for generator in generators for pk in generator.demo_district_ids()]
    deleted = 0
    for district_id in district_ids:
        with transaction.atomic():
            for generator in backwards:
                deleted += generator.delete_before_accounts(district_id)
            # The accounts next: they point at the district's schools and zones. The ORM
            # delete, so that what other apps attach to an account follows it.
            deleted += User.objects.filter(district_id=district_id).delete()[0]
            deleted += User.objects.filter(school__district_id=district_id).delete()[0]
            for generator in backwards:
                deleted += generator.delete_district(district_id)
            reset_queries()
    with transaction.atomic():
        # Every demo account but the parent works in a demo district and went above.
        deleted += User.objects.filter(username="parent", role=Role.PARENT, mobile=DEMO_PARENT[1]).delete()[0]
        for generator in backwards:
            deleted += generator.delete_rest(district_ids)
        deleted += AuditLog.objects.filter(object_id=DEMO_OBJECT_ID, note__startswith=DEMO_NOTE).delete()[0]
    refcache.forget_all()  # raw and bulk deletes send no signals
    return deleted


@dataclass
class DemoReport:
    seed: int
    scale: str
    counts: dict
    accounts: list
    seconds: float
    peak_memory_mb: float
    password: str = DEMO_PASSWORD
    notes: list = field(default_factory=list)  # lines the generators print after the logins


def _peak_memory_mb():
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def demo_data_load(*, seed, scale, reset=False, log=None, generators=None):
    """Build the demo data; refuse when demo data is there already, unless `reset`."""
    if scale not in SCALES:
        raise DomainError(_("Unknown scale %(scale)s: use district, city or province.") % {"scale": scale})
    log = log or (lambda message: None)
    generators = demo_generators() if generators is None else generators
    started = time.monotonic()
    if demo_data_exists(generators):
        if not reset:
            marker = demo_data_marker()
            raise DomainError(
                _("Demo data is already loaded (%(what)s). Run again with --reset to delete it and load it afresh.")
                % {"what": _("seed %(seed)s, %(scale)s scale") % marker if marker else _("the demo districts exist")}
            )
        log(_("Deleting the demo data loaded before…"))
        deleted = demo_data_delete(generators)
        log(_("Deleted %(n)s rows.") % {"n": f"{deleted:,}"})

    usernames = [u for u, *_rest in FIXED_ACCOUNTS] + [u for g in generators for u in g.fixed_usernames]
    taken = list(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    if taken:
        raise DomainError(
            _("These accounts exist already and are not demo accounts: %(names)s. Rename them before loading demo data.")
            % {"names": ", ".join(sorted(taken))}
        )

    ctx = DemoContext(
        seed=seed, scale=scale, write=Writer(SCALES[scale]), log=log, started=started,
        password=make_password(DEMO_PASSWORD),  # hashed once, shared by every demo account
    )
    with transaction.atomic():
        for generator in generators:
            generator.begin(ctx)
    for area in ctx.areas:
        area.rng = random.Random(f"{seed}:{area.district.code}")
        with transaction.atomic():
            for generator in generators:
                generator.load_district(ctx, area)
        area.schools = []  # a province has ~100 districts: keep memory flat

    with transaction.atomic():
        accounts = _fixed_accounts(ctx, generators)
        for generator in generators:
            generator.after_accounts(ctx)
        counts = {ctx.write.label(model): n for model, n in ctx.write.counts.items()}
        _write_markers(ctx.write.counts, seed=seed, scale=scale)
    refcache.forget_all()  # bulk inserts send no signals

    if connection.vendor == "postgresql":
        # Fresh statistics so the planner sees the real table sizes at once.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    return DemoReport(seed=seed, scale=scale, counts=counts, accounts=accounts,
                      seconds=time.monotonic() - started, peak_memory_mb=_peak_memory_mb(),
                      notes=[note for generator in generators for note in generator.notes(ctx)])
