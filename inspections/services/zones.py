"""Writes of the inspections app: inspector zones (督学责任区) and their schools and inspectors."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bureau.errors import DomainError
from bureau.models import AuditLog, Role
from bureau.permissions import can_manage_users, scope_district_ids
from bureau.services import audit_record, model_create, model_update
from inspections.models import InspectorZone, ZoneSchool


def _require_zone_admin(by, district_id):
    # Zones are set up by the bureau administrator, like the accounts of the inspectors.
    if not can_manage_users(by):
        raise DomainError(_("Only an administrator may manage inspector zones."))
    if not by.is_superuser and district_id not in scope_district_ids(by):
        raise DomainError(_("This district is outside the districts you manage."))


def _names(rows):
    return sorted(str(row) for row in rows)


@transaction.atomic
def zone_create(*, district, name, by):
    _require_zone_admin(by, district.pk)
    return model_create(model=InspectorZone, data={"district": district, "name": name}, by=by)


@transaction.atomic
def zone_update(*, zone, data, by):
    _require_zone_admin(by, zone.district_id)
    zone = InspectorZone.objects.select_for_update().get(pk=zone.pk)
    if "district" in data and data["district"].pk != zone.district_id:
        raise DomainError(_("A zone stays in its district; create a new zone instead."))
    zone, _changed = model_update(instance=zone, data=data, by=by)
    return zone


@transaction.atomic
def zone_set_schools(*, zone, schools, by):
    """Make `schools` the zone's schools. Each school has one zone: a school taken from
    another zone leaves it (and that zone's history says so)."""
    _require_zone_admin(by, zone.district_id)
    zone = InspectorZone.objects.select_for_update().get(pk=zone.pk)
    schools = list(schools)
    wrong = [s.name for s in schools if s.district_id != zone.district_id]
    if wrong:
        raise ValidationError({
            "schools": _("These schools are not in the zone's district: %(schools)s.") % {"schools": "、".join(wrong)}
        })
    old_links = list(zone.school_links.select_related("school"))
    old = {link.school_id: link.school for link in old_links}
    new = {s.pk: s for s in schools}
    if set(old) == set(new):
        return zone
    ZoneSchool.objects.filter(zone=zone).exclude(school_id__in=new).delete()
    moved = ZoneSchool.objects.filter(school_id__in=set(new) - set(old)).select_related("zone", "school")
    for link in moved:
        audit_record(
            actor=by, action=AuditLog.Action.UPDATE, instance=link.zone,
            changes={"schools": [[link.school.name], []]},
            note=_("%(school)s moved to zone %(zone)s") % {"school": link.school.name, "zone": zone.name},
        )
    moved.delete()
    ZoneSchool.objects.bulk_create([ZoneSchool(zone=zone, school_id=pk) for pk in set(new) - set(old)])
    audit_record(
        actor=by, action=AuditLog.Action.UPDATE, instance=zone,
        changes={"schools": [_names(old.values()), _names(new.values())]},
    )
    return zone


@transaction.atomic
def zone_set_inspectors(*, zone, inspectors, by):
    """Make `inspectors` the zone's inspectors: active inspector accounts of its district (or city)."""
    _require_zone_admin(by, zone.district_id)
    zone = InspectorZone.objects.select_for_update().get(pk=zone.pk)
    inspectors = list(inspectors)
    district = zone.district
    allowed = {district.pk, district.parent_id} - {None}
    wrong = [u.display_name for u in inspectors if u.role != Role.INSPECTOR or u.district_id not in allowed]
    if wrong:
        raise ValidationError({
            "inspectors": _("These accounts are not inspectors of the zone's district: %(users)s.")
            % {"users": "、".join(wrong)}
        })
    old = list(zone.inspectors.all())
    if {u.pk for u in old} == {u.pk for u in inspectors}:
        return zone
    zone.inspectors.set(inspectors)
    audit_record(
        actor=by, action=AuditLog.Action.UPDATE, instance=zone,
        changes={"inspectors": [_names(u.display_name for u in old), _names(u.display_name for u in inspectors)]},
    )
    return zone
