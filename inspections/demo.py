"""The inspections' demo generator: inspector zones, their schools and their inspectors; the
themed calendar of seed 004 for this year; in the demo district, the first zone's visits.

bureau.demo runs it after the schools' generator (see the protocol there): it covers the
schools that one left in `area.schools` and draws from the district's stream after it.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from bureau import calendar
from bureau.demo import DemoAccount, DemoGenerator, cn_number, person_name, raw_delete
from bureau.models import InspectorKind, Role, User
from inspections import selfreport_demo
from inspections.models import (
    ChecklistItem,
    InspectorCard,
    InspectorZone,
    ItemResult,
    MonthlyTheme,
    NoticeEvidence,
    RectificationNotice,
    Visit,
    VisitEvidence,
    VisitItem,
    ZoneSchool,
)
from inspections.surveys.demo import delete_surveys, load_surveys
from inspections.theme_defaults import DEFAULT_THEMES

# Urban schools first, so that a zone holds neighbouring schools.
LOCATION_ORDER = {"urban": 0, "town": 1, "rural": 2}

# What the routine visits' records say (the demo's own Chinese, as an inspector writes it).
ROUTINE_SUMMARIES = (
    "听课两节，查阅学生作业本，与学生座谈，了解课业负担与在校时间。",
    "随堂听课，检查课程表与作息时间表的执行，查看大课间活动。",
    "查阅教案与作业布置记录，与部分教师、学生座谈。",
    "巡视课堂与课后服务，抽查作业量，了解学生睡眠与体育活动情况。",
)
ROUTINE_FEEDBACK = (
    "各项要求落实到位，请继续保持。",
    "作业总量总体可控，个别班级偏多，请年级组统筹。",
    "请保证学生每天1小时校园体育活动，大课间不得挪作他用。",
    "课程计划执行规范，请进一步丰富课后服务内容。",
)
NOT_MET_NOTES = (
    "抽查班级作业量超出规定时长。",
    "课程表与实际授课安排不一致。",
    "大课间活动时间不足。",
)


class InspectionsDemo(DemoGenerator):
    def load_district(self, ctx, area):
        """About ten neighbouring schools and two inspectors a zone, so about five schools per
        inspector (DESIGN.md); every school in exactly one zone."""
        rng, write, district = area.rng, ctx.write, area.district
        ordered = sorted(area.schools, key=lambda s: (LOCATION_ORDER[s.location], s.code))
        n_zones = max(1, round(len(area.schools) / 10))
        # The bureau's complaint line on every sign of the district (a made-up local number).
        line = f"{area.facts.get('area_code', '0519')}-{rng.randint(8100, 8999)}0000"
        zones = write(InspectorZone, [
            InspectorZone(district_id=district.pk, name=f"第{cn_number(i + 1)}责任区", complaint_phone=line)
            for i in range(n_zones)
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
        # The sign shows each inspector's work telephone (no photo in the demo).
        write(InspectorCard, [InspectorCard(user_id=user.pk, phone=user.mobile) for user in inspectors])
        write(InspectorZone.inspectors.through, [
            InspectorZone.inspectors.through(inspectorzone_id=zones[i // 2].pk, user_id=user.pk)
            for i, user in enumerate(inspectors)
        ], label=_("inspectors in zones"))

        themes = self._themes(write, district)
        selfreport_demo.load_district(ctx, area, ctx.state["schools"]["calendar"].today)
        if area.is_demo:
            self._visits(ctx, area, themes, inspectors[0], [s for i, s in enumerate(ordered) if i * n_zones // len(ordered) == 0])
            self._routine_visits(ctx, area, themes, zone_schools=[
                (inspectors[2 * z:2 * z + 2], [s for i, s in enumerate(ordered) if i * n_zones // len(ordered) == z])
                for z in range(n_zones)
            ])
            ctx.inspector = inspectors[0]
            ctx.state["inspections"] = {
                "zone": zones[0].name,
                "schools": [s.name for i, s in enumerate(ordered) if i * n_zones // len(ordered) == 0],
                "survey": load_surveys(ctx, area, area.schools),
            }

    def _themes(self, write, district):
        """Seed 004's themes (February to June) for this year: what the 督导室 loads by default."""
        year = timezone.localdate().year
        themes = write(MonthlyTheme, [
            MonthlyTheme(district_id=district.pk, year=year, month=month, title=title, description=description)
            for month, title, description, _items in DEFAULT_THEMES
        ])
        write(ChecklistItem, [
            ChecklistItem(theme_id=theme.pk, code=code, text=text, source=source, ordering=n)
            for theme, (_m, _t, _d, items) in zip(themes, DEFAULT_THEMES, strict=True)
            for n, (code, text, source) in enumerate(items)
        ])
        return themes

    def _visits(self, ctx, area, themes, inspector, schools):
        """The fixed inspector's March visits to its zone's schools, filed, one item not met
        at every other school; and a draft of June's special inspection at the first school."""
        rng, write = area.rng, ctx.write
        march, june = (next(t for t in themes if t.month == m) for m in (3, 6))
        items = {t.pk: list(ChecklistItem.objects.filter(theme=t).order_by("ordering")) for t in (march, june)}
        filed_at = timezone.make_aware(datetime.datetime(march.year, 3, 20, 16, 30))
        visits = write(Visit, [
            Visit(school_id=school.pk, inspector_id=inspector.pk, kind="routine", theme_id=march.pk,
                  date=datetime.date(march.year, 3, 10 + n), status=Visit.Status.FILED, filed_at=filed_at,
                  lessons_observed=rng.randint(1, 4), notebooks_checked=rng.randint(10, 40), meetings_held=1,
                  summary="常规“减负”督查与每天1小时体育活动检查：听课、查阅作业本、与学生座谈。",
                  feedback="请保证学生每天1小时体育活动，大课间不得挪作他用。" if n % 2 == 0 else "各项要求落实到位，请继续保持。",
                  private_notes="学生反映体育课偶被主科占用，下次随访重点了解。" if n % 2 == 0 else "")
            for n, school in enumerate(schools)
        ])
        draft = write(Visit, [Visit(school_id=schools[0].pk, inspector_id=inspector.pk, kind="special",
                                    theme_id=june.pk, date=datetime.date(june.year, 6, 12))])[0]
        rows = []
        for n, visit in enumerate(visits):
            for item in items[march.pk]:
                failed = n % 2 == 0 and item.code == "03-2"
                rows.append(VisitItem(
                    visit_id=visit.pk, code=item.code, text=item.text, source=item.source, ordering=item.ordering,
                    result=ItemResult.NOT_MET if failed else ItemResult.MET,
                    note="大课间仅20分钟，体育活动每天不足1小时。" if failed else "",
                ))
        rows += [VisitItem(visit_id=draft.pk, code=i.code, text=i.text, source=i.source, ordering=i.ordering)
                 for i in items[june.pk]]
        rows = write(VisitItem, rows)
        # The first school's failed item got a notice of 10 working days from the visit: long
        # overdue now, so the lists show what overdue looks like; the other failures await one.
        failed = next(row for row in rows if row.result == ItemResult.NOT_MET)
        issued = visits[0].date
        write(RectificationNotice, [RectificationNotice(
            item_id=failed.pk, school_id=schools[0].pk, inspector_id=inspector.pk, working_days=10, issued_on=issued,
            deadline=calendar.add_working_days(issued, 10, district=area.district.pk),
            requirement="调整作息时间，保证学生每天校园体育活动不少于1小时，并报送新的作息时间表。",
        )])

    def _routine_visits(self, ctx, area, themes, *, zone_schools):
        """Seed 004's routine: every school visited once a month by one of its zone's two
        inspectors, from the start of last school year to the month before the load (not in
        January, July or August, the holidays), about one visit in twelve missed, so the
        dashboards, the monthly summaries and the term report have a record to read. A month
        with a theme gets the theme's checklist, now and then an item not met; the fixed
        inspector's March round is _visits' and this month is left for the demo's journeys."""
        rng, write, district = area.rng, ctx.write, area.district
        today = ctx.state["schools"]["calendar"].today
        by_month = {(t.year, t.month): t for t in themes}
        items = {t.pk: list(ChecklistItem.objects.filter(theme=t).order_by("ordering")) for t in themes}
        start_year = today.year if today.month >= 9 else today.year - 1
        months = [(y, m) for y in range(start_year - 1, today.year + 1) for m in range(1, 13)
                  if datetime.date(start_year - 1, 9, 1) <= datetime.date(y, m, 1) < today.replace(day=1)
                  and m not in (1, 7, 8)]
        march = next((t for t in themes if t.month == 3), None)
        visits, themed = [], []
        for z, (pair, schools) in enumerate(zone_schools):
            for year, month in months:
                theme = by_month.get((year, month))
                if z == 0 and theme is not None and theme == march:
                    continue  # the fixed inspector's March round (_visits)
                for n, school in enumerate(schools):
                    if rng.random() < 1 / 12:
                        continue
                    day = calendar.add_working_days(datetime.date(year, month, 1), rng.randint(2, 14),
                                                    district=district.pk)
                    visits.append(Visit(
                        school_id=school.pk, inspector_id=pair[n % len(pair)].pk, kind="routine",
                        theme_id=theme.pk if theme else None, date=day, status=Visit.Status.FILED,
                        filed_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(17, 30))),
                        lessons_observed=rng.randint(1, 4), notebooks_checked=rng.randint(10, 40), meetings_held=1,
                        summary=rng.choice(ROUTINE_SUMMARIES), feedback=rng.choice(ROUTINE_FEEDBACK),
                    ))
                    themed.append(theme)
        visits = write(Visit, visits)
        write(VisitItem, [
            VisitItem(visit_id=visit.pk, code=item.code, text=item.text, source=item.source, ordering=item.ordering,
                      result=ItemResult.NOT_MET if failed else ItemResult.MET,
                      note=rng.choice(NOT_MET_NOTES) if failed else "")
            for visit, theme in zip(visits, themed, strict=True) if theme is not None
            for item in items[theme.pk] for failed in (rng.random() < 0.06,)
        ])

    def fixed_accounts(self, ctx):
        # inspector01 was made with its district; listed here for the printed logins.
        zone = ctx.state["inspections"]
        sees = _("%(zone)s: %(schools)s") % {"zone": zone["zone"], "schools": "、".join(zone["schools"])}
        return [DemoAccount(user=ctx.inspector, sees=str(sees))]

    def notes(self, ctx):
        survey = ctx.state["inspections"]["survey"]
        return [_("Survey open for answers without an account: %(campaign)s, %(school)s, access code %(code)s "
                  "(at /survey/).") % survey]

    def delete_before_accounts(self, district_id):
        # Survey campaigns protect the accounts of the staff who made them; self-reports who
        # submitted them; visits and notices their inspectors'.
        deleted = delete_surveys(district_id, raw_delete)
        deleted += selfreport_demo.delete_district(district_id)
        deleted += raw_delete(NoticeEvidence.objects.filter(notice__school__district_id=district_id))
        deleted += raw_delete(RectificationNotice.objects.filter(school__district_id=district_id))
        deleted += raw_delete(VisitEvidence.objects.filter(item__visit__school__district_id=district_id))
        deleted += raw_delete(VisitItem.objects.filter(visit__school__district_id=district_id))
        return deleted + raw_delete(Visit.objects.filter(school__district_id=district_id))

    def delete_district(self, district_id):
        # The district's inspectors went with its accounts; their zone links may remain
        # for an inspector from elsewhere.
        deleted = raw_delete(ChecklistItem.objects.filter(theme__district_id=district_id))
        deleted += raw_delete(MonthlyTheme.objects.filter(district_id=district_id))
        deleted += raw_delete(ZoneSchool.objects.filter(school__district_id=district_id))
        deleted += raw_delete(InspectorZone.inspectors.through.objects.filter(inspectorzone__district_id=district_id))
        deleted += raw_delete(InspectorZone.objects.filter(district_id=district_id))
        return deleted


generator = InspectionsDemo()
