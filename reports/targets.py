"""Targets: set by the office (办公室) and leaders, shown on a board with the current value,
the trend over past snapshots and a status.

Status: *met* when the latest snapshot satisfies the target; *missed* when the deadline has
passed and it does not; otherwise *on track* when the straight line through the last
snapshots (least squares over up to four periods) reaches the target by the deadline, and
*at risk* when it does not, or when there is one figure only (no trend to go by).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bureau.errors import DomainError
from bureau.models import AuditLog
from bureau.services import audit_record
from reports.indicators import DISTRICT, REGISTRY, ZONE
from reports.models import Target
from reports.permissions import can_set_targets
from reports.selectors import display, trends

MET, ON_TRACK, AT_RISK, MISSED, NO_DATA = "met", "on_track", "at_risk", "missed", "no_data"
STATUS_LABELS = {MET: pgettext_lazy("target status", "Met"), ON_TRACK: _("On track"), AT_RISK: _("At risk"),
                 MISSED: _("Missed"),
                 NO_DATA: _("No figure yet")}
STATUS_TONES = {MET: "ok", ON_TRACK: "ok", AT_RISK: "warn", MISSED: "bad", NO_DATA: "neutral"}
TREND_POINTS = 4


@transaction.atomic
def target_create(*, data, by):
    """Set a target; the office and leaders only, in the district they work in."""
    if not can_set_targets(by):
        raise DomainError(_("Only the office and the leaders set targets."))
    target = Target(**data, created_by=by)
    target.full_clean()
    target.save()
    audit_record(actor=by, action=AuditLog.Action.CREATE, instance=target,
                 changes={k: [None, str(v)] for k, v in data.items() if v not in (None, "")})
    return target


def _satisfies(value, target):
    return value >= target.value if target.comparator == ">=" else value <= target.value


def _slope_per_day(points):
    """Least-squares slope (value per day) of [(date, value)]."""
    n = len(points)
    xs = [Decimal((day - points[0][0]).days) for day, _v in points]
    ys = [Decimal(v) for _d, v in points]
    mx, my = sum(xs) / n, sum(ys) / n
    var = sum((x - mx) ** 2 for x in xs)
    if not var:
        return None
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var


def target_status(target, history, today):
    """(status, projected value at the deadline or None) from [(term, value)], oldest first."""
    points = [(term.end_date if term.end_date < today else today, v) for term, v in history if v is not None]
    if not points:
        return NO_DATA, None
    current = points[-1][1]
    if _satisfies(current, target):
        return MET, None
    if target.deadline < today:
        return MISSED, None
    recent = points[-TREND_POINTS:]
    slope = _slope_per_day(recent) if len(recent) > 1 else None
    if slope is None:
        return AT_RISK, None
    projected = current + slope * (target.deadline - recent[-1][0]).days
    return (ON_TRACK if _satisfies(projected, target) else AT_RISK), projected


@dataclass
class BoardRow:
    target: object
    indicator: object
    current: object
    current_shown: str
    history: list
    status: str
    projected_shown: str

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    @property
    def tone(self):
        return STATUS_TONES[self.status]

    @property
    def baseline_shown(self):
        return "—" if self.target.baseline is None else f"{self.target.baseline.normalize():f}"

    @property
    def goal(self):
        sign = "≥" if self.target.comparator == ">=" else "≤"
        return f"{sign} {self.target.value.normalize():f}"


def target_board(*, targets, today=None):
    """[BoardRow] of the targets, with their history: two queries (targets, snapshots)."""
    today = today or datetime.date.today()
    targets = list(targets.select_related("department", "zone", "district"))
    scope_of = {t.pk: ((ZONE, t.zone_id) if t.zone_id else (DISTRICT, t.district_id)) for t in targets}
    codes = {t.indicator for t in targets}
    history = {}
    for level in (DISTRICT, ZONE):
        ids = {sid for lv, sid in scope_of.values() if lv == level}
        if ids:
            history.update({(level, *key): rows for key, rows in
                            trends(level=level, scope_ids=ids, indicators=codes).items()})
    rows = []
    for target in targets:
        indicator = REGISTRY.get(target.indicator)
        if indicator is None:
            continue
        level, scope_id = scope_of[target.pk]
        points = history.get((level, scope_id, target.indicator, target.stage), [])
        status, projected = target_status(target, points, today)
        current = next((v for _t, v in reversed(points) if v is not None), None)
        rows.append(BoardRow(target, indicator, current, display(current, indicator.places), points, status,
                             display(projected, indicator.places) if projected is not None else ""))
    return rows
