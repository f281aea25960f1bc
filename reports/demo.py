"""The demo district's reports: March's inspection summary, built and published as a
bulletin; this quarter's complaint analysis so far, this year's school assessment (its
principals read their own line) and the latest physical-health bulletin, built and waiting
for a leader.

Built through the real services (gathered from the demo's visits and complaints, rendered
to PDF), in the demo district only: a city or province load makes no more reports than that.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db.models import Max
from django.utils import timezone

from bureau.demo import DemoGenerator, raw_delete
from bureau.models import StatusChange
from reports import services
from reports.models import Report
from reports.periodic import periods
from schools.models import SchoolYearStat


class ReportsDemo(DemoGenerator):
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
                 ("school_assessment", datetime.date(today.year, 1, 1))]
        # The bulletin of the year the demo's latest school year with statistics ends in.
        latest = SchoolYearStat.objects.filter(school__district=area.district).aggregate(
            y=Max("school_year__start_year"))["y"]
        if latest is not None and latest + 1 <= today.year:
            plans.append(("health_bulletin", datetime.date(latest + 1, 1, 1)))
        for kind, start in plans:
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
        return deleted + (raw_delete(reports) or 0)


generator = ReportsDemo()
