"""Writes of visits: an inspector starts one at a school, records it as it goes, and files it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau import uploads, workflow
from bureau.errors import DomainError
from bureau.models import AuditLog
from bureau.services import audit_record, model_create, model_update
from inspections.models import MonthlyTheme, Visit, VisitEvidence, VisitItem
from inspections.permissions import can_edit_visit, can_visit

# What the inspector writes on a draft (the rest is set by the portal).
VISIT_FIELDS = ("kind", "date", "lessons_observed", "notebooks_checked", "meetings_held", "summary", "feedback",
                "private_notes")


@transaction.atomic
def visit_start(*, school, kind, by, date=None):
    """Start a visit of `school` with the checklist of its month's theme.

    An inspector's draft of the same kind at the same school in the same month is that
    visit, not a second one: opening "this month's visit" twice gives the same draft.
    """
    if not can_visit(by, school, kind):
        raise DomainError(_("Only an inspector of the school's zone visits it (or one a draw assigned to it)."))
    date = date or timezone.localdate()
    existing = Visit.objects.filter(
        school=school, inspector=by, kind=kind, status=Visit.Status.DRAFT, date__year=date.year, date__month=date.month,
    ).first()
    if existing is not None:
        return existing
    theme = (
        MonthlyTheme.objects.filter(district_id=school.district_id, year=date.year, month=date.month)
        .prefetch_related("items").first()
    )
    visit = model_create(model=Visit, data={
        "school": school, "inspector": by, "kind": kind, "date": date, "theme": theme,
    }, by=by)
    if theme is not None:
        VisitItem.objects.bulk_create([
            VisitItem(visit=visit, code=i.code, text=i.text, source=i.source, ordering=i.ordering)
            for i in theme.items.all()
        ])
    return visit


def _locked_draft(visit, by):
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.status == Visit.Status.FILED:
        raise DomainError(_("This visit was filed on %(at)s: a filed visit can no longer be changed.")
                          % {"at": timezone.localtime(visit.filed_at).strftime("%Y-%m-%d %H:%M")})
    if not can_edit_visit(by, visit):
        raise DomainError(_("Only the visit's inspector may change it."))
    return visit


# Evidence files an item may hold: enough for a finding, bounded against a runaway upload.
MAX_EVIDENCE_PER_ITEM = 10


def _evidence_add(*, visit, row, files, by):
    if row.evidence.count() + len(files) > MAX_EVIDENCE_PER_ITEM:
        raise ValidationError({"items": _("An item holds at most %(n)s files (%(code)s).") % {
            "n": MAX_EVIDENCE_PER_ITEM, "code": row.code}})
    made = uploads.upload_rows(model=VisitEvidence, files=files, folder="evidence/visits", by=by, item=row)
    audit_record(actor=by, action=AuditLog.Action.UPDATE, instance=visit,
                 changes={"evidence": [None, [f"{row.code}: {e.label}" for e in made]]})
    return made


@transaction.atomic
def visit_evidence_delete(*, evidence, by):
    """Take a file off a draft's item (a filed visit keeps its evidence)."""
    visit = _locked_draft(evidence.item.visit, by)
    uploads.upload_delete(evidence.file.name)
    evidence.delete()
    audit_record(actor=by, action=AuditLog.Action.UPDATE, instance=visit,
                 changes={"evidence": [[f"{evidence.item.code}: {evidence.label}"], None]})


@transaction.atomic
def visit_save(*, visit, data, items=None, files=None, by):
    """Save a draft: the fields of VISIT_FIELDS in `data`, the results and notes of its
    checklist items (`items`: {item id: {"result", "note"}}) and new evidence files for
    them (`files`: {item id: [uploaded files]}). Saved as the inspector goes."""
    visit = _locked_draft(visit, by)
    unknown = set(data) - set(VISIT_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be set on a visit: %(fields)s.") % {"fields": "、".join(sorted(unknown))})
    visit, _changed = model_update(instance=visit, data=data, by=by)
    if items:
        rows = {row.pk: row for row in visit.items.all()}
        changes = {}
        for pk, values in items.items():
            row = rows.get(int(pk))
            if row is None:
                raise ValidationError({"items": _("An item of another visit was sent.")})
            before = {"result": row.result, "note": row.note}
            row.result, row.note = values.get("result", row.result), values.get("note", row.note)
            row.full_clean(exclude=["visit"], validate_unique=False)
            after = {"result": row.result, "note": row.note}
            if after != before:
                changes[row.code] = [before["result"] or None, after["result"] or None]
                row.save(update_fields=["result", "note"])
        if changes:
            audit_record(actor=by, action=AuditLog.Action.UPDATE, instance=visit, changes={"items": [
                [f"{code}: {old or '—'}" for code, (old, _new) in sorted(changes.items())],
                [f"{code}: {new or '—'}" for code, (_old, new) in sorted(changes.items())],
            ]})
    for pk, sent in (files or {}).items():
        row = visit.items.filter(pk=pk).first()
        if row is None:
            raise ValidationError({"items": _("An item of another visit was sent.")})
        if sent:
            _evidence_add(visit=visit, row=row, files=sent, by=by)
    return visit


@transaction.atomic
def visit_file(*, visit, by):
    """File the visit: the school gets its feedback, and the visit is locked.

    Filing twice (a double click, two tabs) files once: the second finds it filed and says so.
    """
    visit = _locked_draft(visit, by)
    missing = [row.code for row in visit.items.all() if not row.result]
    problems = {}
    if missing:
        problems["items"] = _("Record a result for every checklist item first: %(codes)s.") % {"codes": "、".join(missing)}
    if not visit.feedback.strip():
        problems["feedback"] = _("Write the feedback for the school before filing.")
    if problems:
        raise ValidationError(problems)
    try:
        return workflow.transition(visit, to=Visit.Status.FILED, by=by, expected=Visit.Status.DRAFT,
                                   fields={"filed_at": timezone.now()})
    except workflow.ConcurrentMove:
        raise DomainError(_("This visit was filed meanwhile: a filed visit can no longer be changed.")) from None

