"""Writes shared by every app: the audit trail and the one generic model writer.

Every service that changes a domain record goes through `model_create` / `model_update`
(or calls `audit_record` itself for bulk work), so each change leaves a row saying who
changed what from which value to which, in the same transaction as the change.
"""

import datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from bureau.models import AuditLog


def _plain(value):
    """A JSON-safe, human-readable form of a field value for the audit trail."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    return value


def audit_record(*, actor, action, instance, changes=None, note=""):
    return AuditLog.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        changes=changes or {},
        note=note[:500],
    )


def audit_bulk(*, actor, action, instances_changes, note=""):
    """Audit many changes with one INSERT (imports write thousands of rows)."""
    rows = []
    ct_cache = {}
    for instance, changes in instances_changes:
        model = type(instance)
        if model not in ct_cache:
            ct_cache[model] = ContentType.objects.get_for_model(model, for_concrete_model=True)
        rows.append(
            AuditLog(
                actor=actor if actor is not None and actor.is_authenticated else None,
                action=action,
                content_type=ct_cache[model],
                object_id=str(instance.pk),
                object_repr=str(instance)[:200],
                changes=changes,
                note=note[:500],
            )
        )
    AuditLog.objects.bulk_create(rows, batch_size=1000)


def field_changes(instance, data):
    """{field: [old, new]} for the fields in `data` whose value differs on `instance`."""
    changes = {}
    for name, new in data.items():
        old = getattr(instance, name)
        if old != new:
            changes[name] = [_plain(old), _plain(new)]
    return changes


@transaction.atomic
def model_create(*, model, data, by, note=""):
    instance = model(**data)
    instance.full_clean()
    instance.save()
    audit_record(
        actor=by, action=AuditLog.Action.CREATE, instance=instance,
        changes={k: [None, _plain(v)] for k, v in data.items() if v not in (None, "")}, note=note,
    )
    return instance


@transaction.atomic
def model_update(*, instance, data, by, note=""):
    """Apply `data` to `instance`, validate, save only changed fields and audit old → new."""
    changes = field_changes(instance, data)
    if not changes:
        return instance, False
    for name, value in data.items():
        setattr(instance, name, value)
    instance.full_clean()
    update_fields = list(changes)
    if any(f.name == "updated_at" for f in instance._meta.concrete_fields):
        update_fields.append("updated_at")
    instance.save(update_fields=update_fields)
    audit_record(actor=by, action=AuditLog.Action.UPDATE, instance=instance, changes=changes, note=note)
    return instance, True
