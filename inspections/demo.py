"""The inspections' demo generator: inspector zones, their schools and their inspectors.

bureau.demo runs it after the schools' generator (see the protocol there): it covers the
schools that one left in `area.schools` and draws from the district's stream after it.
"""

from django.utils.translation import gettext as _

from bureau.demo import DemoAccount, DemoGenerator, cn_number, person_name, raw_delete
from bureau.models import InspectorKind, Role, User
from inspections.models import InspectorZone, ZoneSchool

# Urban schools first, so that a zone holds neighbouring schools.
LOCATION_ORDER = {"urban": 0, "town": 1, "rural": 2}


class InspectionsDemo(DemoGenerator):
    def load_district(self, ctx, area):
        """About ten neighbouring schools and two inspectors a zone, so about five schools per
        inspector (DESIGN.md); every school in exactly one zone."""
        rng, write, district = area.rng, ctx.write, area.district
        ordered = sorted(area.schools, key=lambda s: (LOCATION_ORDER[s.location], s.code))
        n_zones = max(1, round(len(area.schools) / 10))
        zones = write(InspectorZone, [
            InspectorZone(district_id=district.pk, name=f"第{cn_number(i + 1)}责任区") for i in range(n_zones)
        ])
        write(ZoneSchool, [
            ZoneSchool(zone_id=zones[i * n_zones // len(ordered)].pk, school_id=s.pk) for i, s in enumerate(ordered)
        ])
        inspectors = []
        for _zone in range(n_zones):
            for kind in (InspectorKind.FULL_TIME, InspectorKind.PART_TIME):
                n = len(inspectors) + 1
                username = f"inspector{n:02d}" if area.is_demo else f"inspector_{district.code}_{n:02d}"
                gender = "M" if rng.random() < 0.6 else "F"
                inspectors.append(User(
                    username=username, password=ctx.password, role=Role.INSPECTOR, inspector_kind=kind,
                    name=person_name(rng, gender), mobile=f"139{rng.randint(10000000, 99999999)}",
                    district_id=district.pk,
                ))
        inspectors = write(User, inspectors)
        write(InspectorZone.inspectors.through, [
            InspectorZone.inspectors.through(inspectorzone_id=zones[i // 2].pk, user_id=user.pk)
            for i, user in enumerate(inspectors)
        ], label=_("inspectors in zones"))

        if area.is_demo:
            ctx.inspector = inspectors[0]
            ctx.state["inspections"] = {
                "zone": zones[0].name,
                "schools": [s.name for i, s in enumerate(ordered) if i * n_zones // len(ordered) == 0],
            }

    def fixed_accounts(self, ctx):
        # inspector01 was made with its district; listed here for the printed logins.
        zone = ctx.state["inspections"]
        sees = _("%(zone)s: %(schools)s") % {"zone": zone["zone"], "schools": "、".join(zone["schools"])}
        return [DemoAccount(user=ctx.inspector, sees=str(sees))]

    def delete_district(self, district_id):
        # The district's inspectors went with its accounts; their zone links may remain
        # for an inspector from elsewhere.
        deleted = raw_delete(ZoneSchool.objects.filter(school__district_id=district_id))
        deleted += raw_delete(InspectorZone.inspectors.through.objects.filter(inspectorzone__district_id=district_id))
        deleted += raw_delete(InspectorZone.objects.filter(district_id=district_id))
        return deleted


generator = InspectionsDemo()
