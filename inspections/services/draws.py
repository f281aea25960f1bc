"""The unannounced draw (双随机): a seeded random sample of schools, and inspectors for each.

The draw is a pure function of its inputs (`draw_compute`): the candidate schools and
inspectors in a fixed order, the sample size and the seed. `draw_make` reads the inputs,
draws, and stores inputs, seed and result together (with an audit row), so `draw_rerun`
gives the same result from what is stored: anyone may check that nobody chose the schools.
"""

import random
import secrets
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from bureau.errors import DomainError
from bureau.models import AuditLog, Role, User
from bureau.notices import notice_send
from bureau.services import audit_record
from inspections.models import DrawAssignment, UnannouncedDraw
from inspections.permissions import can_plan_inspections
from schools.models import School

MAX_SEED = 2**63 - 1



def draw_compute(*, candidates, pool, sample_size, per_school, seed):
    """[(school id, [inspector ids])]: `sample_size` schools of `candidates` and, for each,
    `per_school` inspectors of `pool`, drawn with Python's Mersenne Twister seeded with `seed`."""
    rng = random.Random(seed)
    schools = rng.sample(list(candidates), sample_size)
    per_school = min(per_school, len(pool))
    return [(school, rng.sample(list(pool), per_school)) for school in schools]


def _sample_size(*, share, count, n):
    if (share is None) == (count is None):
        raise ValidationError({"share": _("Give either a share of the schools or a number of schools.")})
    if count is not None:
        size = count
    else:
        size = int((Decimal(share) * n).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if not 1 <= size <= n:
        raise ValidationError({"count": _("The draw can take 1 to %(n)s schools (the schools that fit the choices).")
                               % {"n": n}})
    return size


@transaction.atomic
def draw_make(*, district, title, by, share=None, count=None, stage="", zone=None, inspectors_per_school=2,
              seed=None):
    if not can_plan_inspections(by, district.pk):
        raise DomainError(_("Only the inspection office (督导室) and administrators draw unannounced inspections."))
    if zone is not None and zone.district_id != district.pk:
        raise ValidationError({"zone": _("The zone is not in this district.")})
    schools = School.objects.filter(district=district, status=School.Status.OPEN)
    if stage:
        schools = schools.filter(stage=stage)
    if zone is not None:
        schools = schools.filter(zone_link__zone=zone)
    candidates = list(schools.order_by("code").values_list("pk", flat=True))
    if not candidates:
        raise ValidationError({"stage": _("No open school fits these choices.")})
    # The district's active inspectors who look after a zone (its own, or its city's).
    pool = list(
        User.objects.filter(role=Role.INSPECTOR, is_active=True, inspector_zones__district=district)
        .distinct().order_by("pk").values_list("pk", flat=True)
    )
    if not pool:
        raise ValidationError({"inspectors_per_school": _("The district has no inspector in a zone to draw from.")})
    size = _sample_size(share=share, count=count, n=len(candidates))
    seed = secrets.randbelow(MAX_SEED) if seed is None else seed
    draw = UnannouncedDraw(
        district=district, title=title, stage=stage or "", zone=zone, share=share, count=count,
        inspectors_per_school=inspectors_per_school, seed=seed, candidates=candidates, pool=pool,
        sample_size=size, created_by=by,
    )
    draw.full_clean()
    draw.save()
    result = draw_compute(candidates=candidates, pool=pool, sample_size=size, per_school=inspectors_per_school,
                          seed=seed)
    DrawAssignment.objects.bulk_create([
        DrawAssignment(draw=draw, school_id=school, inspector_id=inspector, position=n)
        for n, (school, inspectors) in enumerate(result) for inspector in inspectors
    ])
    audit_record(actor=by, action=AuditLog.Action.CREATE, instance=draw, changes={
        "seed": [None, str(seed)], "candidates": [None, len(candidates)], "pool": [None, len(pool)],
        "result": [None, [[school, inspectors] for school, inspectors in result]],
    })
    _tell_inspectors(draw, result)
    return draw


def _tell_inspectors(draw, result):
    """Each drawn inspector hears of its schools: a portal notice and a mail (bureau/notices.py),
    once per draw. The notice is written in the draw's transaction (a draw rolled back tells
    nobody) and its mail rung on commit; the school is never told."""
    schools = dict(School.objects.filter(pk__in=[school for school, _i in result]).values_list("pk", "name"))
    assigned = {}
    for school, inspectors in result:
        for inspector in inspectors:
            assigned.setdefault(inspector, []).append(schools[school])
    url = reverse("inspections:my_month")
    for inspector in User.objects.filter(pk__in=assigned, is_active=True).order_by("pk"):
        with override(settings.LANGUAGE_CODE):
            title = _("Unannounced inspection assigned to you: %(title)s") % {"title": draw.title}
            body = _("Schools: %(schools)s. Start the visit from your month's page; the school is not told "
                     "beforehand.") % {"schools": "、".join(assigned[inspector.pk])}
        notice_send(recipient=inspector, key=f"draw-assigned:{draw.pk}", title=title, body=body, url=url)


def draw_rerun(draw):
    """The draw computed again from what it stored: the same as its assignments, or not."""
    again = draw_compute(candidates=draw.candidates, pool=draw.pool, sample_size=draw.sample_size,
                         per_school=draw.inspectors_per_school, seed=draw.seed)
    stored = {}
    for row in draw.assignments.all():
        stored.setdefault((row.position, row.school_id), []).append(row.inspector_id)
    return [(school, sorted(inspectors)) for school, inspectors in again] == [
        (school, sorted(inspectors)) for (_position, school), inspectors in sorted(stored.items())
    ]
