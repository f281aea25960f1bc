"""The class draw's pages: a principal's way through it, exports, the public verification page,
the bureau's list, and their query counts."""

import io

import openpyxl
import pytest
from django.urls import reverse

from bureau.models import Role
from schools.draw import services
from schools.models import ClassDraw, ClassTransfer, SchoolClass
from tests.factories import DepartmentFactory, SchoolFactory, TermFactory, UserFactory, roster_csv, roster_rows
from tests.pdfs import pdf_text

FRAME = 2  # the session and the user


@pytest.fixture
def term(db):
    return TermFactory()


@pytest.fixture
def drawn(school, term, principal_user):
    draw = services.draw_create(school=school, term=term, grade=1, by=principal_user)
    services.roster_import(draw=draw, upload=roster_csv(roster_rows(90)), by=principal_user)
    services.draw_set_classes(draw=draw, class_count=2, by=principal_user)
    draw = services.draw_publish_seed(draw=draw, seed="4711", by=principal_user)
    return services.draw_run(draw=draw, by=principal_user)


def test_a_principal_imports_fixes_publishes_and_draws(client, school, term, principal_user):
    client.force_login(principal_user)
    response = client.post(reverse("schools:draw_create"), {"term": term.pk, "grade": 1})
    draw = ClassDraw.objects.get()
    assert response.url == reverse("schools:draw_detail", args=[draw.pk])
    rows = roster_rows(50)
    rows[7] = (rows[7][0], "错行", "男", "2020-02-30", ())
    response = client.post(reverse("schools:draw_roster_upload", args=[draw.pk]), {"file": roster_csv(rows)})
    assert response.status_code == 400
    assert "出生日期" in response.content.decode() and not draw.students.exists()
    rows[7] = (rows[7][0], "对行", "男", "2020-02-28", ())
    response = client.post(reverse("schools:draw_roster_upload", args=[draw.pk]), {"file": roster_csv(rows)})
    assert response.status_code == 302 and draw.students.count() == 50
    client.post(reverse("schools:draw_classes", args=[draw.pk]), {"class_count": 1})
    response = client.get(reverse("schools:draw_detail", args=[draw.pk]))
    assert "请至少分 2 个班" in response.content.decode()
    draw.refresh_from_db()
    assert draw.class_count == 0
    client.post(reverse("schools:draw_classes", args=[draw.pk]), {"class_count": 2})
    client.post(reverse("schools:draw_seed", args=[draw.pk]), {"seed": "2026 0901"})
    client.post(reverse("schools:draw_run", args=[draw.pk]))
    draw.refresh_from_db()
    assert draw.status == ClassDraw.Status.DRAWN and [len(c) for c in draw.result] == [25, 25]
    page = client.get(reverse("schools:draw_detail", args=[draw.pk])).content.decode()
    assert "<svg" in page and draw.roster_hash in page


def test_the_template_has_the_chinese_headers(client, drawn, principal_user):
    client.force_login(principal_user)
    response = client.get(reverse("schools:draw_roster_template", args=[drawn.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in next(sheet.iter_rows())] == ["报名号", "姓名", "性别", "出生日期", "随班就读", "留守儿童", "随迁子女"]


def test_exports(client, drawn, principal_user):
    client.force_login(principal_user)
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("schools:draw_export", args=[drawn.pk])).content))
    assert book.worksheets[0].max_row == 91 and book.worksheets[1].max_row == 3
    response = client.get(reverse("schools:draw_pdf", args=[drawn.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    first = drawn.students.order_by("pk").first()
    assert drawn.school.name in text and first.name in text


def test_the_public_page_reproduces_the_draw_without_names(client, drawn):
    response = client.get(reverse("schools:draw_verify", args=[drawn.pk]), {"rerun": 1})
    page = response.content.decode()
    assert response.status_code == 200
    assert drawn.roster_hash in page and "4711" in page and 'id="rerun-result"' in page and "badge ok" in page
    assert all(number in page for number in drawn.result[0][:5])
    assert not any(name in page for name in drawn.students.values_list("name", flat=True))


def test_a_tampered_result_does_not_reproduce(client, drawn):
    result = [list(c) for c in drawn.result]
    result[0][0], result[1][0] = result[1][0], result[0][0]
    ClassDraw.objects.filter(pk=drawn.pk).update(result=result)
    page = client.get(reverse("schools:draw_verify", args=[drawn.pk]), {"rerun": 1}).content.decode()
    assert "badge bad" in page


def test_a_draft_is_not_public(client, school, term, principal_user):
    draw = services.draw_create(school=school, term=term, grade=1, by=principal_user)
    assert client.get(reverse("schools:draw_verify", args=[draw.pk])).status_code == 404


def test_the_public_page_is_rate_limited(client, drawn, settings):
    settings.PUBLIC_PAGE_RATE_PER_MINUTE = 2
    codes = [client.get(reverse("schools:draw_verify", args=[drawn.pk])).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_a_leader_sees_no_names(client, drawn, leader_user):
    client.force_login(leader_user)
    page = client.get(reverse("schools:draw_detail", args=[drawn.pk])).content.decode()
    assert "学生1<" not in page and drawn.students.first().number in page
    assert client.get(reverse("schools:draw_export", args=[drawn.pk])).status_code == 403


def test_transfer_through_the_pages(client, drawn, principal_user, district):
    client.force_login(principal_user)
    student = drawn.students.order_by("number").first()
    target = next(c for c in SchoolClass.objects.filter(school=drawn.school) if c != student.school_class)
    url = reverse("schools:draw_transfer_request", args=[drawn.pk])
    assert client.post(url, {"student": student.number, "to_class": target.pk, "reason": ""}).status_code == 400
    client.post(url, {"student": student.number, "to_class": target.pk, "reason": "家庭住址变更"})
    transfer = ClassTransfer.objects.get()
    client.post(reverse("schools:draw_transfer_approve", args=[transfer.pk]))
    transfer.refresh_from_db()
    assert transfer.status == ClassTransfer.Status.REQUESTED  # a principal cannot approve (403)
    staff = UserFactory(role=Role.STAFF, district=district, department=DepartmentFactory(code="basic"))
    client.force_login(staff)
    client.post(reverse("schools:draw_transfer_approve", args=[transfer.pk]))
    transfer.refresh_from_db()
    student.refresh_from_db()
    assert transfer.status == ClassTransfer.Status.APPROVED and student.school_class == target
    page = client.get(reverse("schools:draw_list")).content.decode()
    assert "1 次已批准转班" in page


@pytest.mark.parametrize("n", [1, 4])
def test_the_list_query_count_is_flat(client, staff_user, district, term, n, django_assert_num_queries):
    for _ in range(n):
        school = SchoolFactory(district=district)
        principal = UserFactory(role=Role.PRINCIPAL, school=school, district=district)
        services.draw_create(school=school, term=term, grade=1, by=principal)
    client.force_login(staff_user)
    # FRAME + 1 the user's districts (scope), 2 the draws with their transfer counts
    with django_assert_num_queries(FRAME + 2):
        assert client.get(reverse("schools:draw_list")).status_code == 200


@pytest.mark.parametrize("n", [40, 90])
def test_the_detail_query_count_is_flat(client, school, term, principal_user, n, django_assert_num_queries):
    draw = services.draw_create(school=school, term=term, grade=1, by=principal_user)
    services.roster_import(draw=draw, upload=roster_csv(roster_rows(n)), by=principal_user)
    services.draw_set_classes(draw=draw, class_count=2, by=principal_user)
    services.draw_run(draw=services.draw_publish_seed(draw=draw, seed="1", by=principal_user), by=principal_user)
    client.force_login(principal_user)
    # FRAME + 1 the draw (school, term, drawn by), 2 the roster with its classes, 3 the
    # classes, 4 the transfers, 5 the steps (status moves), 6 the audit history, 7 its moves
    with django_assert_num_queries(FRAME + 7):
        assert client.get(reverse("schools:draw_detail", args=[draw.pk])).status_code == 200
