"""Every page each role reaches, for the walks that check them all (written by hand).

`build_world(...)` makes one record of every kind the pages show, around the fixed users of
tests/conftest.py; `pages_for(persona, world)` lists the pages that persona reaches: home,
lists, details with each tab, forms, import and export pages, account pages, the calendar.
Two walks use it: tests/test_page_walk.py (every page answers 200 with the
Content-Security-Policy and without inline script, on* attribute or style attribute) and
tests/browser/test_phone_walk.py (no page wider than a 390 px phone or a 1366 px screen,
no CSP violation in the browser).

A new page: add it to the persona lists below, with the records it needs in World.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from bureau.models import CalendarDay
from schools.services import school_stats_evaluate
from tests import factories

TABS = ("profile", "classes", "teachers", "statistics", "history")


@dataclass
class World:
    school: object
    district: object
    teacher: object
    school_class: object
    year: int  # a school year the school has statistics for
    zone: object
    calendar_day: object
    department: object
    account: object  # an account the administrator manages (the school's principal)
    job: object  # an import job of the staff member
    theme: object  # this year's theme of a month, with its checklist
    visit: object  # a filed visit at the school, one item not met
    draft: object  # the inspector's draft visit at the school
    notice: object  # a rectification notice on the filed visit's item not met, overdue
    draw: object  # an unannounced draw that took the school
    complaint: object = None  # a complaint of the parent, handed to the school, replied to
    report: object = None  # last month's inspection summary of the district, built and published
    selfreport: object = None  # the school's term self-report, returned with comments, two rules broken
    campaign: object = None  # a closed survey campaign at the school, its figures built
    survey_code: str = ""  # the access code of an open campaign at the school
    class_draw: object = None  # the school's drawn grade 1, one transfer awaiting approval


def build_world(*, users, school, zone, district):
    """One record of each kind the pages show, at `school` (in `zone`, in `district`)."""
    term = factories.TermFactory()
    year = term.school_year
    teacher = factories.TeacherFactory(school=school, name="王老师")
    factories.TeacherFactory(school=school, name="李老师", backbone_level="county", is_head_teacher=True)
    factories.TrainingRecordFactory(teacher=teacher, date=datetime.date(2025, 3, 1))
    factories.RotationFactory(teacher=teacher, to_school=factories.SchoolFactory(district=district))
    school_class = factories.SchoolClassFactory(school=school, term=term, grade=3, number=1, boys=30, girls=29,
                                                head_teacher=teacher, equipment_value=Decimal("61234"))
    factories.SchoolClassFactory(school=school, term=term, grade=3, number=2, boys=20, girls=21,
                                 equipment_value=Decimal("43000"))
    # Statistics that just miss the standard: an indicator beneath the badge, numbers with units.
    factories.SchoolYearStatFactory(school=school, school_year=year, equipment_value=Decimal("1496512.50"),
                                    teaching_area=Decimal("6500"))
    school_stats_evaluate(school_ids=[school.pk])
    day = CalendarDay.objects.create(date=datetime.date(2026, 10, 9), kind=CalendarDay.Kind.HOLIDAY,
                                     name="校庆日", district=district)
    department = users["staff"].department
    job_model = next(model for model in apps.get_models() if model.__name__ == "ImportJob")
    job = job_model.objects.create(
        kind="teachers", file="imports/walk.csv", original_name="教师名单2026.csv", file_format="csv",
        created_by=users["staff"], district=district, status="validated",
    )
    from tests.complaints.factories import handler_for, to_state

    complaint = to_state("replied", school=school, complainant=users["parent"], handler=handler_for(district))
    _complaint_files(complaint, users)
    theme, visit, draft, notice = _inspection_records(users["inspector"], school, district)
    draw = _draw(users["staff"], users["inspector"], school, district)
    _reports_records(users, district, term)
    report = _report(users, district)
    return World(
        school=school, district=district, teacher=teacher, school_class=school_class, year=year.start_year,
        zone=zone, calendar_day=day, department=department, account=users["principal"], job=job,
        theme=theme, visit=visit, draft=draft, notice=notice, draw=draw, complaint=complaint,
        report=report, selfreport=_selfreport(users, school, term), **_surveys(school, district),
        class_draw=_class_draw(users["principal"], school, term),
    )


def _reports_records(users, district, term):
    """The snapshots of the district's area for the term, and a target on its board."""
    from reports.models import Target
    from reports.snapshots import snapshots_compute

    snapshots_compute(area_id=district.parent_id or district.pk, term=term)
    Target.objects.create(indicator="standardized_share", district=district, value=85, baseline=60,
                          deadline=datetime.date(2027, 7, 31), department=users["staff"].department,
                          source="《实施方案》：到2016年，全区85%以上的学校实现教学设备设施标准化")


def _report_pages(persona, world):
    school = [("school figures", reverse("reports:school", args=[world.school.pk])),
              ("class figures", reverse("reports:class", args=[world.school_class.pk]))]
    if persona in ("principal", "deputy"):
        return school
    zone = [("zone figures", reverse("reports:zone", args=[world.zone.pk]))]
    if persona == "inspector":
        return zone + school
    if persona in ("staff", "leader"):
        return [("district dashboard", reverse("reports:district", args=[world.district.pk])),
                ("districts side by side", reverse("reports:city")), ("targets", reverse("reports:targets")),
                *zone, *school]
    return []
def _report(users, district):
    """Last month's inspection summary, gathered, rendered and published (the real services)."""
    from reports import services

    month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    report = services.report_request(kind="monthly_inspection", district=district, start=month.replace(day=1),
                                     by=users["staff"])
    services.report_gather(report_id=report.pk)
    report = services.report_render(report_id=report.pk)
    return services.report_publish(report=report, by=users["leader"])


def _complaint_files(complaint, users):
    """A photo from the complainant and a document with the school's answer: the detail page
    shows each reader its share."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from complaints.models import Attachment

    for side, by, label, content in (
        ("complainant", users["parent"], "孩子的作业本.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 32),
        ("school", users["principal"], "整改情况说明.pdf", b"%PDF-1.7\n"),
    ):
        name = default_storage.save(f"complaints/walk-{side}", ContentFile(content))
        Attachment.objects.create(complaint=complaint, side=side, file=name, kind="png" if side == "complainant"
                                  else "pdf", label=label, size=len(content), uploaded_by=by)


def _selfreport(users, school, term):
    """A report submitted with a homework and an activity breach, and returned by staff."""
    from inspections.services import selfreports as services
    from tests.inspections.selfreport_factories import GOOD_PRIMARY, SelfReportFactory

    report = SelfReportFactory(school=school, round__district=school.district, round__term=term)
    report = services.selfreport_save(report=report, by=users["principal"], data={
        **GOOD_PRIMARY, "homework_grade_4": 75, "activity_minutes": 45, "narrative": "本学期严格落实“双减”要求。"},
        curriculum={"pe": {"plan": 4, "actual": 3}, "chinese": {"plan": 7, "actual": 7}})
    report = services.selfreport_submit(report=report, by=users["principal"])
    return services.selfreport_return(report=report, comments="四年级作业时间超标，请核实。", by=users["staff"])


def _surveys(school, district):
    from inspections.surveys import services
    from inspections.surveys.aggregates import aggregates_build
    from tests.inspections.survey_factories import answer, make_campaign

    closed = make_campaign(district, [school])
    answer(closed.participants.get(), times=12)
    answer(closed.participants.get(), times=3, sleep=8, satisfaction="no")
    closed = services.campaign_close(campaign=closed, by=closed.created_by)
    aggregates_build(campaign_id=closed.pk)
    opened = make_campaign(district, [school], audience="students")
    return {"campaign": closed, "survey_code": opened.participants.get().access_code}


def _class_draw(principal, school, term):
    from schools.draw import services

    draw = services.draw_create(school=school, term=term, grade=1, by=principal)
    services.roster_import(draw=draw, upload=factories.roster_csv(factories.roster_rows(60)), by=principal)
    services.draw_set_classes(draw=draw, class_count=2, by=principal)
    draw = services.draw_run(draw=services.draw_publish_seed(draw=draw, seed="3 14 15 92", by=principal), by=principal)
    student = draw.students.order_by("number").first()
    other = next(c for c in services.SchoolClass.objects.filter(school=school, term=term, grade=1)
                 if c.pk != student.school_class_id)
    services.transfer_request(student=student, to_class=other, reason="家庭住址变更，就近照顾", by=principal)
    return draw


def _draw(staff, inspector, school, district):
    from inspections.models import DrawAssignment, UnannouncedDraw

    draw = UnannouncedDraw.objects.create(
        district=district, title="教师有偿家教突击专项督查", share=Decimal("0.5"), seed=20120601,
        candidates=[school.pk], pool=[inspector.pk], sample_size=1, inspectors_per_school=1, created_by=staff,
    )
    DrawAssignment.objects.create(draw=draw, school=school, inspector=inspector, position=0)
    return draw


def _inspection_records(inspector, school, district):
    from tests.inspections.factories import (
        ChecklistItemFactory,
        FiledVisitFactory,
        MonthlyThemeFactory,
        VisitFactory,
        VisitItemFactory,
    )

    today = timezone.localdate()
    theme = MonthlyThemeFactory(district=district, year=today.year, month=today.month, title="教学管理与德育工作（专项督查）")
    ChecklistItemFactory(theme=theme, code="06-1", text="教学管理情况",
                         source="平湖市教育局《“轻负高质”工作汇报》（减负工作总结）二、（三）：“6月份组织责任区督学对义务教育阶段"
                                "学校进行了教学管理和德育工作开展情况的专项督查。”")
    visit = FiledVisitFactory(school=school, inspector=inspector, theme=theme)
    failed = VisitItemFactory(visit=visit, code="06-1", text="教学管理情况", result="not_met",
                              note="备课本检查不到位，多名教师无教案。")
    VisitItemFactory(visit=visit, code="06-2", text="德育工作开展情况", result="met")
    draft = VisitFactory(school=school, inspector=inspector, theme=theme, kind="unannounced")
    VisitItemFactory(visit=draft, code="06-1", text="教学管理情况", result="met", note="")
    VisitItemFactory(visit=draft, code="06-2", text="德育工作开展情况")
    from inspections.models import RectificationNotice

    notice = RectificationNotice.objects.create(
        item=failed, school=school, inspector=inspector, requirement="两周内完成全体教师教案检查并整改到位，报送检查记录。",
        working_days=10, issued_on=today - datetime.timedelta(days=30), deadline=today - datetime.timedelta(days=10),
    )
    return theme, visit, draft, notice


def _school_pages(world):
    pk = world.school.pk
    detail = reverse("schools:school_detail", args=[pk])
    return [
        ("school list", reverse("schools:school_list")),
        ("school list, below standard", reverse("schools:school_list") + "?below_standard=on"),
        *[(f"school {tab} tab", f"{detail}?tab={tab}") for tab in TABS],
        ("teacher list", reverse("schools:teacher_list")),
        ("teacher", reverse("schools:teacher_detail", args=[world.teacher.pk])),
        ("export", reverse("sheets:export_index")),
        ("API token", reverse("accounts:api_token")),
        ("API documentation", reverse("api_docs")),
    ]


def _editor_pages(world):
    pk = world.school.pk
    return [
        ("school profile form", reverse("schools:school_edit", args=[pk])),
        ("statistics form", reverse("schools:stat_edit", args=[pk, world.year])),
        ("new class form", reverse("schools:class_create", args=[pk])),
        ("class form", reverse("schools:class_edit", args=[world.school_class.pk])),
        ("new teacher form", reverse("schools:teacher_create", args=[pk])),
        ("teacher form", reverse("schools:teacher_edit", args=[world.teacher.pk])),
    ]


def _keeper_pages(world):
    return [
        ("import / export", reverse("sheets:import_start")),
        ("import job", reverse("sheets:import_job", args=[world.job.pk])),
        ("new school form", reverse("schools:school_create")),
        ("close or merge a school", reverse("schools:school_status", args=[world.school.pk])),
    ]


def _admin_pages(world):
    return [
        ("users", reverse("accounts:user_list")),
        ("new account form", reverse("accounts:user_create")),
        ("account form", reverse("accounts:user_edit", args=[world.account.pk])),
        ("password reset form", reverse("accounts:user_password", args=[world.account.pk])),
        ("departments", reverse("accounts:department_list")),
        ("department form", reverse("accounts:department_edit", args=[world.department.pk])),
        ("inspector zones", reverse("inspections:zone_list")),
        ("zone form", reverse("inspections:zone_edit", args=[world.zone.pk])),
        ("working-day calendar", reverse("accounts:calendar") + "?year=2026"),
        ("calendar day form", reverse("accounts:calendar_day_edit", args=[world.calendar_day.pk])),
    ]


def _complaint_pages(persona, world):
    detail = ("complaint", reverse("complaints:detail", args=[world.complaint.pk]))
    if persona == "parent":
        lodge = reverse("complaints:lodge")
        return [
            ("my complaints", reverse("complaints:mine")),
            ("lodge: find the school", lodge + "?q=" + world.school.name[:3]),
            ("lodge: the complaint", f"{lodge}?school={world.school.pk}"),
            detail,
        ]
    if persona in ("staff", "leader", "principal", "deputy"):
        listing = reverse("complaints:list")
        pages = [("complaints", listing), ("complaints overdue", listing + "?due=overdue"), detail]
        if persona in ("staff", "leader"):
            pages.append(("complaint figures", reverse("complaints:figures")))
        return pages
    return []
def _theme_pages(world):
    return [
        ("themed calendar", reverse("inspections:theme_list")),
        ("monthly theme", reverse("inspections:theme_detail", args=[world.theme.pk])),
    ]


def _visit_pages(world):
    return [
        ("visits", reverse("inspections:visit_list")),
        ("visits filtered", reverse("inspections:visit_list") + f"?kind=routine&status=filed&month="
                            f"{world.visit.date:%Y-%m}&school={world.school.pk}&inspector={world.visit.inspector_id}"),
        ("visits, a bad filter", reverse("inspections:visit_list") + "?month=2026-13&zone=x"),
        ("filed visit", reverse("inspections:visit_detail", args=[world.visit.pk])),
        ("rectification notices", reverse("inspections:notice_list")),
        ("overdue notices", reverse("inspections:notice_list") + "?overdue=on"),
        ("rectification notice", reverse("inspections:notice_detail", args=[world.notice.pk])),
    ]


def _own_pages():
    return [("home", reverse("home")), ("password change", reverse("accounts:password_change")),
            ("notices", reverse("accounts:notices"))]


def _public_pages(world):
    # A school's gate sign: what a parent looks up (no login needed; logged in, the same page).
    return [
        ("gate sign search", reverse("sign:search") + "?q=天宁"),
        ("gate sign", reverse("sign:page", args=[world.school.pk])),
        ("public bulletins", reverse("bulletins:list")),
        ("public bulletin", reverse("bulletins:detail", args=[world.report.pk])),
        ("survey code entry", reverse("survey:enter")),
        ("survey answer form", reverse("survey:answer", args=[world.survey_code])),
        ("class draw verification", reverse("schools:draw_verify", args=[world.class_draw.pk]) + "?rerun=1"),
    ]


def _selfreport_pages(persona, world):
    report = world.selfreport
    pages = [
        ("self-report rounds", reverse("inspections:selfreport_rounds")),
        ("self-report round", reverse("inspections:selfreport_round", args=[report.round_id])),
        ("self-report round, flagged", reverse("inspections:selfreport_round", args=[report.round_id]) + "?show=flagged"),
        ("self-report", reverse("inspections:selfreport_detail", args=[report.pk])),
    ]
    if persona == "staff":
        pages.append(("open a self-report round", reverse("inspections:selfreport_round_create")))
    if persona in ("principal", "deputy"):
        pages.append(("self-report form", reverse("inspections:selfreport_edit", args=[report.pk])))
    return pages


def _survey_pages(persona, world):
    if persona == "parent":
        return []
    pages = [("surveys", reverse("surveys:campaign_list")),
             ("survey figures", reverse("surveys:campaign_detail", args=[world.campaign.pk]))]
    if persona in ("admin", "staff", "leader"):
        pages += [("questionnaires", reverse("surveys:questionnaire_list")),
                  ("questionnaire", reverse("surveys:questionnaire_detail", args=[world.campaign.questionnaire_id]))]
    if persona == "admin":
        pages.append(("new survey campaign", reverse("surveys:campaign_create")))
    return pages


def pages_for(persona, world):
    """[(page name, url)] of every page `persona` (a key of PERSONAS) reaches."""
    pages = _own_pages() + _complaint_pages(persona, world) + _public_pages(world)
    if persona == "parent":
        return pages
    pages += _school_pages(world)
    pages += [("class draws", reverse("schools:draw_list")),
              ("class draw", reverse("schools:draw_detail", args=[world.class_draw.pk])),
              ("class draw teachers", reverse("schools:draw_teachers", args=[world.class_draw.pk]))]
    if persona in ("admin", "staff", "principal", "deputy"):
        pages += _editor_pages(world)
    if persona in ("admin", "staff"):
        pages += _keeper_pages(world)
    pages += _visit_pages(world)
    pages += _report_pages(persona, world)
    pages += _visit_pages(world) + _selfreport_pages(persona, world) + _survey_pages(persona, world)
    if persona in ("admin", "staff", "leader", "inspector"):
        pages += _theme_pages(world)
    if persona in ("admin", "staff", "leader", "inspector"):
        pages.append(("reports", reverse("reports:list")))
    if persona in ("admin", "staff", "leader"):
        pages.append(("report", reverse("reports:detail", args=[world.report.pk])))
        pages.append(("inspectors' load", reverse("inspections:inspector_load")))
        pages.append(("unannounced draws", reverse("inspections:draw_list")))
        pages.append(("unannounced draw", reverse("inspections:draw_detail", args=[world.draw.pk])))
    if persona == "inspector":
        pages.append(("visit form", reverse("inspections:visit_edit", args=[world.draft.pk])))
        pages.append(("my month", reverse("inspections:my_month")))
        pages.append(("my card on the gate sign", reverse("inspections:my_card")))
    if persona == "admin":
        pages += _admin_pages(world)
        pages.append(("report schedules", reverse("reports:schedules")))
        pages.append(("assessment weights", reverse("reports:criteria")))
        district, year = world.district.pk, world.theme.year
        pages.append(("new theme form", reverse("inspections:theme_create") + f"?district={district}&year={year}"))
    if persona in ("principal", "deputy"):
        pages.append(("our school in the reports", reverse("reports:my_school")))
    if persona == "principal":
        pages.append(("deputies", reverse("accounts:deputy_list")))
    return pages


# The personas of the walks: the fixed users of tests/conftest.py.
PERSONAS = ("admin", "staff", "leader", "inspector", "principal", "deputy", "parent")
