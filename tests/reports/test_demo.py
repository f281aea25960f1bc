"""The demo opens with figures: snapshots of the demo area for several terms (so trends
show), and the targets of seeds 000 and 001 on the district's board, each citing its source."""

import pytest
from django.urls import reverse
from django.utils import timezone

from bureau.demo import demo_data_delete
from bureau.models import User
from reports.models import Snapshot, Target
from reports.targets import AT_RISK, ON_TRACK, target_board
from tests.demo_support import demo_loaded


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    yield from demo_loaded(django_db_blocker)


@pytest.mark.django_db
def test_the_leader_finds_figures_trends_and_the_seed_targets(demo, client):
    leader = User.objects.get(username="leader")
    assert Snapshot.objects.filter(level="district", scope_id=leader.district_id).values("term").distinct().count() >= 3
    targets = Target.objects.filter(district=leader.district)
    today = timezone.localdate()
    seeds, this_year = [t for t in targets if t.deadline < today], [t for t in targets if t.deadline >= today]
    assert len(seeds) == 8 and all("》" in t.source for t in seeds)
    # The bureau's own for this school year, each saying it is the demo's: the board has a
    # target still running, so a status from its trend (on track or at risk), not only met or missed.
    assert len(this_year) == 4 and all("演示数据" in t.source for t in this_year)
    statuses = {row.status for row in target_board(targets=targets.filter(deadline__gte=today), today=today)}
    assert statuses & {ON_TRACK, AT_RISK}, statuses
    client.force_login(leader)
    page = client.get(reverse("reports:district", args=[leader.district_id])).content.decode()
    assert "校际差异系数" in page and "到2016年" in page and "polyline" in page  # a trend line
    assert client.get(reverse("reports:targets")).status_code == 200


@pytest.mark.django_db
def test_deleting_the_demo_leaves_no_snapshot(demo):
    demo_data_delete()
    assert not Snapshot.objects.exists() and not Target.objects.exists()


@pytest.mark.django_db
def test_the_demo_has_this_year_s_balance_monitoring_report(demo, client):
    from reports.models import Report

    report = Report.objects.get(kind="balance_monitoring")
    assert report.status == Report.Status.READY and report.pdf
    assert report.data["stages"] and all(stage["schools"] for stage in report.data["stages"])
    client.force_login(User.objects.get(username="leader"))
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "校际差异系数" in page and report.data["stages"][0]["schools"][0]["name"] in page
