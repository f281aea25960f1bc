"""The reports' demo generator.

The indicators: the targets of seeds 000 and 001 for the demo district, each citing its
sentence, and four of the bureau's own for this school year (citing their rules' sources),
and the snapshots of the demo area (its city) for the current term and the terms
before it, so the dashboards open with figures and their trends.

The periodic reports: March's inspection summary, built and published as a bulletin; this
quarter's complaint analysis so far, this year's school assessment (its principals read
their own line), this year's balance monitoring (the school year ending in it, from the
snapshots made above), the latest physical-health bulletin and the last term's inspection and
survey report, built and waiting for a leader.
Built through the real services (gathered from the demo's visits and complaints, rendered
to PDF), in the demo district only: a city or province load makes no more reports than that.

It runs last (reports is the last app): every other app's rows are in by then.
"""

import datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau import rules
from bureau.demo import DemoGenerator, raw_delete
from bureau.errors import DomainError
from bureau.models import Department, StatusChange
from reports import periodic, services
from reports.models import AreaState, Report, Snapshot, Target
from reports.periodic import periods
from reports.snapshots import area_id_of, snapshots_compute
from schools.models import SchoolYearStat, Term

SEED_000 = "《义务教育阶段学校“减负提质”实施方案》"
SEED_001 = "《同心县教育局推进基础教育质量提升行动2021年工作计划》（同教发〔2021〕102号）"
# (indicator, comparator, value, baseline, deadline, department code, source)
SEED_TARGETS = (
    ("standardized_share", ">=", "85", "60", datetime.date(2016, 12, 31), "basic",
     SEED_000 + "：“到2016年，全区85%以上的学校实现教学设备设施标准化”"),
    ("digital_share", ">=", "85", "50", datetime.date(2016, 12, 31), "basic",
     SEED_000 + "：“到2016年，将85%的义务教育阶段学校建成‘数字校园’”"),
    ("computers", ">=", "8.5", "6", datetime.date(2016, 12, 31), "finance",
     SEED_000 + "：“中小学每百名学生配备计算机8.5台”"),
    ("feature_share", ">=", "80", "40", datetime.date(2016, 12, 31), "basic",
     SEED_000 + "：“到2016年，全区中小学特色学校覆盖率达80%”"),
    ("retention", ">=", "95", "93", datetime.date(2021, 12, 31), "basic",
     SEED_001 + "：“九年义务教育巩固率达到95%”"),
    ("certified_teachers", ">=", "100", "96", datetime.date(2021, 12, 31), "personnel",
     SEED_001 + "：“中小学、幼儿园专业教师持证上岗率分别达到100%、95%”"),
    ("health_good", ">=", "40", "35", datetime.date(2021, 12, 31), "pe_health_arts",
     SEED_001 + "：“学生体质健康标准达标优良率达到40%以上”"),
    ("big_classes", "<=", "0", "12", datetime.date(2021, 12, 31), "basic",
     SEED_001 + "：“通过集团化办学等方式全面化解55人以上大班额”"),
)
# The bureau's own targets for the current school year (the seeds' deadlines have passed), so
# that the board also shows a target on track and one at risk: (rule, value, baseline,
# department code). Each cites its rule's source, and says it is the demo's.
YEAR_TARGETS = (
    (rules.VISITS_MONTHLY, "1", "0.5", "inspection"),
    (rules.TRAINING_DONE, "100", "60", "personnel"),
    (rules.ROTATION_SHARE, "15", "5", "personnel"),
    (rules.BIG_CLASS_SHARE, rules.BIG_CLASS_SHARE_AIM, "8", "basic"),
)
# The current term and this many before it get snapshots: two school years of trend.
PAST_TERMS = 3


class ReportsDemo(DemoGenerator):
    def fixed_accounts(self, ctx):
        district = ctx.district
        if district is None:
            return []
        departments = {d.code: d for d in Department.objects.all()}
        office = departments.get("office")
        Target.objects.bulk_create([
            Target(indicator=code, district=district, comparator=comparator, value=Decimal(value),
                   baseline=Decimal(baseline), deadline=deadline, department=departments.get(dept, office),
                   source=source)
            for code, comparator, value, baseline, deadline, dept, source in SEED_TARGETS
        ])
        today = timezone.localdate()  # as after_accounts: this generator reads no other's state
        year_end = datetime.date(today.year + (today.month >= 9), 8, 31)  # the school year's last day
        Target.objects.bulk_create([
            Target(indicator=rule.code, district=district, comparator=rule.comparator, value=Decimal(str(value)),
                   baseline=Decimal(baseline), deadline=year_end, department=departments.get(dept, office),
                   source=_("This school year's target (demo data), after: %(source)s") % {"source": rule.source})
            for rule, value, baseline, dept in YEAR_TARGETS
        ])
        return []

    def after_accounts(self, ctx):
        # After every other app's accounts made their rows (the demo principal's class draws).
        district = ctx.district
        if district is None:
            return
        today = timezone.localdate()
        terms = list(Term.objects.filter(start_date__lte=today).order_by("-start_date")[:PAST_TERMS + 1])
        area_id = area_id_of(district.pk)
        for term in reversed(terms):
            snapshots_compute(area_id=area_id, term=term, today=today)
        ctx.log(f"reports: snapshots of {len(terms)} terms")

    def load_district(self, ctx, area):
        if not area.is_demo:
            return
        today = timezone.localdate()
        made = []
        # The months the demo's visits were made in (inspections/demo.py: March), and the
        # quarter its complaints came in (recent ones: this quarter, so far).
        march = datetime.date(today.year, 3, 1)
        quarter = periods.period_containing(periods.QUARTER, today).start
        plans = [("monthly_inspection", march), ("complaint_quarterly", quarter),
                 ("school_assessment", datetime.date(today.year, 1, 1)),
                 ("balance_monitoring", datetime.date(today.year, 1, 1))]
        # The bulletin of the year the demo's latest school year with statistics ends in.
        latest = SchoolYearStat.objects.filter(school__district=area.district).aggregate(
            y=Max("school_year__start_year"))["y"]
        if latest is not None and latest + 1 <= today.year:
            plans.append(("health_bulletin", datetime.date(latest + 1, 1, 1)))
        try:  # the term just ended: its self-report round, its parents' survey, its visits
            plans.append(("term_survey", periods.period_before(periods.TERM, today).start))
        except ValueError:
            pass
        for kind, start in plans:
            spec = periodic.kind_for(kind)
            if spec.check is not None:  # a period the calendar cannot give this report (no term yet)
                try:
                    spec.check(period=periods.period_starting(spec.unit, start))
                except DomainError:
                    continue
            report = services.report_request(kind=kind, district=area.district, start=start, by=None, scheduled=True)
            if report is not None:
                services.report_gather(report_id=report.pk)
                made.append(services.report_render(report_id=report.pk))
        if made:
            # The demo's leader account is written after the districts: the bulletin is
            # published here as the migration of an earlier approval would be.
            bulletin = made[0]
            Report.objects.filter(pk=bulletin.pk).update(status=Report.Status.PUBLISHED,
                                                         published_at=timezone.now() - datetime.timedelta(days=1))
            ctx.write(StatusChange, [StatusChange(
                content_type=ContentType.objects.get_for_model(Report), object_id=str(bulletin.pk),
                from_status=Report.Status.READY, to_status=Report.Status.PUBLISHED, note="演示数据：局长已批准发布",
            )])

    def delete_district(self, district_id):
        reports = Report.objects.filter(district_id=district_id)
        for name in reports.exclude(pdf="").values_list("pdf", flat=True):
            default_storage.delete(name)
        ids = [str(pk) for pk in reports.values_list("pk", flat=True)]
        deleted = 0
        if ids:
            deleted += raw_delete(StatusChange.objects.filter(content_type=ContentType.objects.get_for_model(Report),
                                                              object_id__in=ids)) or 0
        deleted += raw_delete(reports) or 0
        deleted += raw_delete(Snapshot.objects.filter(district_id=district_id))
        deleted += raw_delete(Target.objects.filter(district_id=district_id))
        return deleted + raw_delete(AreaState.objects.filter(area_id=district_id))

    def delete_rest(self, district_ids):
        # The city's own rows (a city is no demo district of its own to the loop above).
        from schools.models import District

        cities = list(District.objects.filter(children__in=district_ids).values_list("pk", flat=True).distinct())
        deleted = raw_delete(Snapshot.objects.filter(district_id__in=cities))
        return deleted + raw_delete(AreaState.objects.filter(area_id__in=cities))


generator = ReportsDemo()
