"""Visits: an inspector starts the month's visit, records the checklist, files it; the school reads it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from bureau.errors import DomainError
from bureau.models import Role, StatusChange
from bureau.workflow import WorkflowError, transition
from inspections.models import Visit, VisitKind
from inspections.services import visit_file, visit_save, visit_start
from tests.factories import UserFactory
from tests.inspections.factories import (
    ChecklistItemFactory,
    FiledVisitFactory,
    MonthlyThemeFactory,
    VisitFactory,
    VisitItemFactory,
)

pytestmark = pytest.mark.django_db
MARCH = datetime.date(2026, 3, 10)


@pytest.fixture
def march_theme(district):
    theme = MonthlyThemeFactory(district=district, year=2026, month=3, title="每天1小时体育活动")
    ChecklistItemFactory(theme=theme, code="03-1", text="常规“减负”督查", ordering=0)
    ChecklistItemFactory(theme=theme, code="03-2", text="学校每天1小时体育活动的实施情况", ordering=1)
    return theme


def _record(visit, by, **results):
    items = {row.pk: {"result": results.get(row.code, "met"), "note": ""} for row in visit.items.all()}
    return visit_save(visit=visit, data={"feedback": "请保证每天1小时体育活动。"}, items=items, by=by)


def test_a_visit_starts_with_the_months_checklist_copied(school, inspector_user, march_theme):
    visit = visit_start(school=school, kind=VisitKind.ROUTINE, date=MARCH, by=inspector_user)
    assert visit.theme == march_theme and visit.status == Visit.Status.DRAFT
    assert [(i.code, i.text) for i in visit.items.all()] == [("03-1", "常规“减负”督查"), ("03-2", "学校每天1小时体育活动的实施情况")]
    # Opening "this month's visit" again is the same draft; the calendar's later edits leave it alone.
    assert visit_start(school=school, kind=VisitKind.ROUTINE, date=MARCH.replace(day=20), by=inspector_user) == visit
    march_theme.items.filter(code="03-1").update(text="改过的")
    assert visit.items.get(code="03-1").text == "常规“减负”督查"


def test_a_month_without_a_theme_gives_a_visit_without_a_checklist(school, inspector_user):
    visit = visit_start(school=school, kind=VisitKind.TEACHING, date=MARCH, by=inspector_user)
    assert visit.theme is None and not visit.items.exists()


def test_only_an_inspector_of_the_schools_zone_visits_it(school, school_outside_zone, inspector_user, staff_user):
    with pytest.raises(DomainError):
        visit_start(school=school_outside_zone, kind=VisitKind.ROUTINE, by=inspector_user)
    with pytest.raises(DomainError):
        visit_start(school=school, kind=VisitKind.ROUTINE, by=staff_user)


def test_filing_needs_every_result_and_the_feedback(school, inspector_user, march_theme):
    visit = visit_start(school=school, kind=VisitKind.ROUTINE, date=MARCH, by=inspector_user)
    with pytest.raises(ValidationError) as error:
        visit_file(visit=visit, by=inspector_user)
    assert set(error.value.message_dict) == {"items", "feedback"}
    assert "03-1" in error.value.message_dict["items"][0]
    _record(visit, inspector_user, **{"03-2": "not_met"})
    filed = visit_file(visit=visit, by=inspector_user)
    assert filed.status == Visit.Status.FILED and filed.filed_at is not None
    change = StatusChange.objects.get(object_id=str(visit.pk))
    assert (change.from_status, change.to_status, change.actor) == ("draft", "filed", inspector_user)


def test_a_filed_visit_is_locked_and_filing_it_again_says_so(school, inspector_user, march_theme, english):
    visit = visit_start(school=school, kind=VisitKind.ROUTINE, date=MARCH, by=inspector_user)
    _record(visit, inspector_user)
    visit_file(visit=visit, by=inspector_user)
    with pytest.raises(DomainError, match="filed on .*can no longer be changed"):
        visit_file(visit=visit, by=inspector_user)
    with pytest.raises(DomainError, match="can no longer be changed"):
        visit_save(visit=visit, data={"summary": "改"}, by=inspector_user)
    assert StatusChange.objects.filter(object_id=str(visit.pk)).count() == 1
    # The workflow itself refuses filed → anything, with its own message.
    with pytest.raises(WorkflowError):
        transition(Visit.objects.get(pk=visit.pk), to=Visit.Status.DRAFT, by=inspector_user)


def test_only_the_visits_inspector_writes_or_files_it(school, zone, district, inspector_user, march_theme):
    colleague = UserFactory(role=Role.INSPECTOR, district=district)
    zone.inspectors.add(colleague)
    visit = visit_start(school=school, kind=VisitKind.ROUTINE, date=MARCH, by=inspector_user)
    with pytest.raises(DomainError):
        visit_save(visit=visit, data={"summary": "x"}, by=colleague)
    with pytest.raises(DomainError):
        visit_file(visit=visit, by=colleague)


def test_saving_refuses_bad_input_and_writes_nothing(school, inspector_user, march_theme):
    visit = visit_start(school=school, kind=VisitKind.ROUTINE, date=MARCH, by=inspector_user)
    row = visit.items.first()
    with pytest.raises(ValidationError):
        visit_save(visit=visit, data={"summary": "好"}, items={row.pk: {"result": "maybe", "note": ""}}, by=inspector_user)
    with pytest.raises(ValidationError):
        visit_save(visit=visit, data={"feedback": "长" * 4001}, by=inspector_user)
    other = VisitItemFactory()
    with pytest.raises(ValidationError):
        visit_save(visit=visit, data={}, items={other.pk: {"result": "met", "note": ""}}, by=inspector_user)
    with pytest.raises(DomainError):
        visit_save(visit=visit, data={"status": "filed"}, by=inspector_user)
    visit.refresh_from_db()
    assert visit.summary == "" and visit.status == Visit.Status.DRAFT


# ---- the pages ---------------------------------------------------------------------------


def _form_data(visit, **overrides):
    data = {
        "kind": visit.kind, "date": visit.date.isoformat(), "lessons_observed": "2", "notebooks_checked": "30",
        "meetings_held": "1", "summary": "听课两节。", "feedback": "体育活动不足一小时，请整改。", "private_notes": "私下了解到加课。",
    }
    for row in visit.items.all():
        data[f"item-{row.pk}-result"] = "met"
        data[f"item-{row.pk}-note"] = ""
    data.update(overrides)
    return data


def test_the_inspector_starts_saves_and_files_on_the_pages(client, district, school, inspector_user, english):
    today = timezone.localdate()
    theme = MonthlyThemeFactory(district=district, year=today.year, month=today.month)
    ChecklistItemFactory(theme=theme, code="03-2", text="学校每天1小时体育活动的实施情况")
    client.force_login(inspector_user)
    response = client.post(reverse("inspections:visit_start"), {"school": school.pk, "kind": "routine"})
    visit = Visit.objects.get()
    assert response["Location"] == reverse("inspections:visit_edit", args=[visit.pk])
    page = client.get(response["Location"]).content.decode()
    assert "data-autosave" in page and "学校每天1小时体育活动的实施情况" in page
    # The script's save: JSON back, the draft stored.
    saved = client.post(response["Location"], _form_data(visit, summary="一半"), HTTP_X_REQUESTED_WITH="fetch")
    assert saved.status_code == 200 and saved.json()["saved"] is True
    assert Visit.objects.get().summary == "一半"
    bad = client.post(response["Location"], _form_data(visit, lessons_observed="-1"), HTTP_X_REQUESTED_WITH="fetch")
    assert bad.status_code == 400 and "lessons_observed" in bad.json()["errors"]
    filed = client.post(reverse("inspections:visit_file", args=[visit.pk]), _form_data(visit))
    assert filed["Location"] == reverse("inspections:visit_detail", args=[visit.pk])
    assert Visit.objects.get().status == Visit.Status.FILED
    # A double click: the second post files nothing and says why.
    again = client.post(reverse("inspections:visit_file", args=[visit.pk]), _form_data(visit), follow=True)
    assert "can no longer be changed" in again.content.decode()
    assert StatusChange.objects.filter(object_id=str(visit.pk)).count() == 1
    # The filed visit's form sends the inspector to the record.
    assert client.get(reverse("inspections:visit_edit", args=[visit.pk]))["Location"].endswith(f"/visits/{visit.pk}/")


def test_filing_an_incomplete_visit_saves_the_draft_and_shows_what_is_missing(client, school, inspector_user, march_theme, english):
    client.force_login(inspector_user)
    visit = visit_start(school=school, kind=VisitKind.ROUTINE, date=MARCH, by=inspector_user)
    row = visit.items.first()
    response = client.post(reverse("inspections:visit_file", args=[visit.pk]),
                           _form_data(visit, feedback="", **{f"item-{row.pk}-result": ""}))
    assert response.status_code == 400
    text = response.content.decode()
    assert "Record a result for every checklist item first: 03-1" in text and "Write the feedback" in text
    # Not filed, but nothing typed is lost: the draft was saved first, and the page shows it.
    visit.refresh_from_db()
    assert visit.status == Visit.Status.DRAFT and visit.summary == "听课两节。"
    assert "听课两节。" in text


def test_the_principal_reads_the_filed_visit_and_never_the_private_notes(client, school, principal_user, inspector_user):
    visit = FiledVisitFactory(school=school, inspector=inspector_user)
    VisitItemFactory(visit=visit, code="03-2", text="体育活动", result="not_met", note="每天仅40分钟")
    client.force_login(principal_user)
    page = client.get(reverse("inspections:visit_detail", args=[visit.pk])).content.decode()
    assert "体育活动时间需保证。" in page and "每天仅40分钟" in page
    assert visit.private_notes not in page
    assert client.get(reverse("inspections:visit_edit", args=[visit.pk])).status_code == 403
    client.force_login(inspector_user)
    assert visit.private_notes in client.get(reverse("inspections:visit_detail", args=[visit.pk])).content.decode()


@pytest.mark.parametrize("kind", [VisitKind.UNANNOUNCED, VisitKind.ROUTINE])
def test_a_visit_is_invisible_to_the_school_until_filed(client, school, principal_user, deputy_user, inspector_user,
                                                        march_theme, kind):
    visit = visit_start(school=school, kind=kind, date=MARCH, by=inspector_user)
    _record(visit, inspector_user)
    for user in (principal_user, deputy_user):
        client.force_login(user)
        assert client.get(reverse("inspections:visit_detail", args=[visit.pk])).status_code == 404
        listing = client.get(reverse("inspections:visit_list")).content.decode()
        # (The school's name is in the filter's choices: its own school, not a row.)
        assert f"/visits/{visit.pk}/" not in listing and f"<td>{school.name}</td>" not in listing
        assert not Visit.objects.visible_to(user).exists()  # no count either
    visit_file(visit=visit, by=inspector_user)
    for user in (principal_user, deputy_user):
        client.force_login(user)
        assert client.get(reverse("inspections:visit_detail", args=[visit.pk])).status_code == 200
        assert f"/visits/{visit.pk}/" in client.get(reverse("inspections:visit_list")).content.decode()


def test_the_visit_list_costs_the_same_for_2_or_20_visits(client, school, staff_user, inspector_user,
                                                           django_assert_num_queries):
    client.force_login(staff_user)
    url = reverse("inspections:visit_list")
    FiledVisitFactory.create_batch(2, school=school, inspector=inspector_user)
    client.get(url)
    # session, user with its department, scope districts, the count for the pages, the page
    # of visits with school, inspector and theme, and the filter form's zones, schools and
    # inspectors
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200
    FiledVisitFactory.create_batch(18, school=school, inspector=inspector_user)
    with django_assert_num_queries(8):
        response = client.get(url)
    assert response.content.decode().count("/inspections/visits/") >= 20


def test_the_visit_page_costs_the_same_for_2_or_20_items(client, school, inspector_user, django_assert_num_queries):
    client.force_login(inspector_user)
    visit = VisitFactory(school=school, inspector=inspector_user)
    VisitItemFactory.create_batch(2, visit=visit)
    url = reverse("inspections:visit_edit", args=[visit.pk])
    client.get(url)
    # session, user, the visit with school, district, inspector and theme, its items, their
    # evidence files
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200
    VisitItemFactory.create_batch(18, visit=visit)
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200


# ---- evidence files ----------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_evidence_goes_with_the_draft_and_reaches_the_school_once_filed(client, school, inspector_user,
                                                                        principal_user, other_staff_user, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    visit = VisitFactory(school=school, inspector=inspector_user)
    row = VisitItemFactory(visit=visit, code="03-2")
    client.force_login(inspector_user)
    data = _form_data(visit, **{f"item-{row.pk}-result": "not_met"})
    data[f"item-{row.pk}-files"] = [SimpleUploadedFile("操场.png", PNG, content_type="image/png")]
    assert client.post(reverse("inspections:visit_edit", args=[visit.pk]), data).status_code == 302
    evidence = row.evidence.get()
    assert evidence.label == "操场.png" and evidence.kind == "png" and "操场" not in evidence.file.name
    url = reverse("inspections:evidence_file", args=[evidence.pk])
    response = client.get(url)
    assert response["Content-Type"] == "image/png" and b"".join(response.streaming_content) == PNG
    client.force_login(principal_user)
    assert client.get(url).status_code == 404  # a draft's evidence is not the school's yet
    client.force_login(inspector_user)
    visit_file(visit=visit, by=inspector_user)
    client.force_login(principal_user)
    assert client.get(url).status_code == 200
    assert url in client.get(reverse("inspections:visit_detail", args=[visit.pk])).content.decode()
    client.force_login(other_staff_user)
    assert client.get(url).status_code == 404


def test_a_file_that_is_not_evidence_is_refused_and_nothing_is_saved(client, school, inspector_user, media, english):
    from django.core.files.uploadedfile import SimpleUploadedFile

    visit = VisitFactory(school=school, inspector=inspector_user)
    row = VisitItemFactory(visit=visit)
    client.force_login(inspector_user)
    data = _form_data(visit, summary="新的小结")
    data[f"item-{row.pk}-files"] = [SimpleUploadedFile("photo.jpg", b"MZ\x90\x00evil", content_type="image/jpeg")]
    response = client.post(reverse("inspections:visit_edit", args=[visit.pk]), data)
    assert response.status_code == 400 and "photo.jpg is not a file the portal takes" in response.content.decode()
    visit.refresh_from_db()
    assert visit.summary == "课堂教学有序。" and not row.evidence.exists()  # unchanged


def test_evidence_comes_off_a_draft_only(client, school, inspector_user, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    visit = VisitFactory(school=school, inspector=inspector_user)
    row = VisitItemFactory(visit=visit)
    visit_save(visit=visit, data={}, files={row.pk: [SimpleUploadedFile("a.png", PNG)]}, by=inspector_user)
    evidence = row.evidence.get()
    client.force_login(inspector_user)
    client.post(reverse("inspections:evidence_delete", args=[evidence.pk]))
    assert not row.evidence.exists() and not (media / evidence.file.name).exists()
    visit_save(visit=visit, data={"feedback": "好"}, items={row.pk: {"result": "met", "note": ""}},
               files={row.pk: [SimpleUploadedFile("b.png", PNG)]}, by=inspector_user)
    visit_file(visit=visit, by=inspector_user)
    client.post(reverse("inspections:evidence_delete", args=[row.evidence.get().pk]))
    assert row.evidence.count() == 1
