"""Every URL, as every role, on records of every place: the answers come from a table.

The walker reads the whole URLconf, so a new URL is checked the moment it is added. The
expected answers are written by hand in TABLE below, from DESIGN.md ("Who uses it" and the
scope rules) and from what the views do; nothing is asked of the code under test (no
`visible_to`, no role sets imported from bureau.permissions), so a scope bug cannot
confirm itself.

For every route the table says:
- who may use it: the roles the view declares (`bureau.permissions.roles_required` or
  `public`; a DRF view `allowed_roles`, or `read_roles` for `bureau.api.RolePermission`, or
  `permission_classes = [AllowAny]`). The walk checks that the view declares exactly these;
- for a route about a record, or a list of records: the kind of record (RECORDS) and its
  scope, a pattern saying which persona reaches a record made at which place (SCHOOL,
  DISTRICT, BUREAU, …);
- whether it is POST-only (a GET answers 405), which personas the view itself refuses,
  and for an API route that takes writes (PATCH, PUT…) the roles its view lets write.

From that the walk expects, for each persona (PERSONAS) and place (PLACES):
- anonymous → the login page (401 or 403 under /api/);
- a persona whose role the route does not declare, or that the view refuses → 403;
- a record outside the persona's scope → 404 (missing and forbidden look the same);
- otherwise → reached: 200, or a redirect that is not to the login page (for a POST
  also 400, a form that refused the empty post);
- a list shows the records of exactly the places in the persona's scope (the API by id,
  a page by its link to each record's own page).
POST-only routes are posted to, and API routes written to (an empty body), inside a
savepoint that is rolled back: what a write changes is not seen by the next persona.
Every GET is watched for database writes.

To add a route: add a row to TABLE under the route's name, with the roles its view
declares. If it is about a record (or lists them), name the record's kind (a maker in
RECORDS: add one for a new kind) and a scope pattern (add one, written from the design,
when none says who reaches that record); a page that lists records names the route each
listed record links to (`link=`). A URL argument that is not a record (a kind, a format,
a year) takes its value from PLAIN_ARGS. A route missing from the table, or a row whose
route is gone, fails the walk.
"""

from dataclasses import dataclass
from functools import cached_property
from importlib import import_module

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.permissions import AllowAny

from bureau.models import Role
from tests import factories

# ---- who: the roles a route declares ------------------------------------------------------
# Written out here, never imported from bureau.permissions: the walk checks the views against
# these sets, so a declaration that drifts fails instead of moving the expectation with it.


def roles(names):
    return frozenset(names.split())


ANYONE = "public"
EVERY_ROLE = roles("admin staff leader inspector principal parent")
READERS = roles("admin staff leader inspector principal")  # read school data (a parent reads none)
EDITORS = roles("admin staff principal")  # keep school data
KEEPERS = roles("admin staff")  # import spreadsheets
ADMIN = roles("admin")
PRINCIPAL = roles("principal")
STAFF = roles("staff")
PARENT = roles("parent")
COMPLAINT_READERS = roles("staff leader principal")  # complaints: no administrator, no inspector
COMPLAINT_PEOPLE = roles("staff leader principal parent")
STAFF_LEADER = roles("staff leader")
INSPECTOR = roles("inspector")
NOTICE_MOVERS = roles("inspector principal")  # a notice's inspector and its school
THEME_READERS = roles("admin staff leader inspector")  # the bureau's plan of work: no school
REPORT_READERS = roles("admin staff leader inspector")  # periodic reports: no school
REPORT_WRITERS = roles("admin staff leader")  # staff make reports, a leader publishes them
SELFREPORT_MOVERS = roles("staff principal")  # self-reports: reviewing staff and the school
SURVEY_READERS = roles("admin staff leader inspector principal")  # campaigns and their figures

# ---- personas: the users the walk logs in as (tests/conftest.py), and their role -----------

PERSONAS = {
    "anonymous": None,
    "admin": "admin",  # of `district`, as are staff, leader and inspector
    "staff": "staff",
    "leader": "leader",
    "inspector": "inspector",  # assigned to `zone`, which holds `school` only
    "principal": "principal",  # of `school`
    "deputy": "principal",  # of `school`, named by its principal
    "parent": "parent",
    "city_staff": "staff",  # of `city`, the parent of `district` and `sibling_district`
    "other_staff": "staff",  # of `other_district`, outside the city
}

# ---- places: where the records of a route are made ---------------------------------------

OWN = "own"  # at `school`, in `district`: the principal's school, in the inspector's zone
NEAR = "near"  # at `school_outside_zone`: the same district, outside the inspector's zone
OTHER = "other"  # at `other_school`, in `other_district`: outside the city
CHILD = "child"  # at `sibling_school`, in `sibling_district`: the city's other district
PLACES = (OWN, NEAR, OTHER, CHILD)

# ---- scope patterns: which persona reaches a record at which place ------------------------
# A persona not named reaches no place (404 when its role is declared). DESIGN.md: staff and
# leaders their district (a city-level bureau: all its districts), an inspector the zones it
# is assigned to, a principal (and its deputy) one school. A pattern extends another with
# `|`, and a row with an exception says so in place: `SCHOOL | reach(leader="own")`.


def reach(**personas):
    return {
        persona: places if isinstance(places, frozenset) else frozenset(places.split())
        for persona, places in personas.items()
    }


# The bureau of a district reaches the district's records; the city's staff those of every
# district of the city; the other district's staff its own.
BUREAU = reach(
    admin="own near", staff="own near", leader="own near",
    city_staff="own near child", other_staff="other",
)
# A school's records (the school, its classes, statistics, teachers and their training and
# rotations): the bureau, the inspectors of the school's zone, the school's principal and deputy.
SCHOOL = BUREAU | reach(inspector="own", principal="own", deputy="own")
# A district's own records (the district, its education groups): everyone who works in it,
# inspectors and principals included (they pick groups and see their district).
DISTRICT = BUREAU | reach(inspector="own near", principal="own near", deputy="own near")
# An import job is its uploader's; the administrators of the uploader's district see it too.
# Own: a job of `staff_user`; near: a job of a colleague in the same district.
UPLOADER = reach(admin="own near", staff="own", other_staff="other")
# The import page lists one's own uploads only (an administrator's too).
MY_UPLOADS = reach(staff="own", other_staff="other")
# A principal's deputies: the principal who named them (a deputy is refused: `refused`).
NAMER = reach(principal="own")
# A complaint (made handed to its school, lodged at `school` by `parent`): the bureau of the
# school's district, the school it is handed to (never who complained), its own complainant.
COMPLAINT = BUREAU | reach(principal="own", deputy="own", parent="own")
# A complaint's files: the complainant's (never the school's to read: a photo may name the
# family) and the school's own answer's (never the complainant's: the school's working papers).
COMPLAINANTS_FILE = BUREAU | reach(parent="own")
SCHOOLS_FILE = BUREAU | reach(principal="own", deputy="own")
# The walk's staff are of 基础教育科, not of the complaints office (监审科): the office's own
# pages refuse them (403), as they refuse a look at who complained.
NOT_THE_OFFICE = frozenset({"staff", "city_staff", "other_staff"})
# Records that belong to nobody (school years, terms, departments): every declared persona
# reaches them, so the walk makes one and asks once.
SHARED = "shared"

DEPUTY = frozenset({"deputy"})
# The themed calendar is the district's plan: its bureau and its inspectors (not the schools).
DISTRICT_PLAN = BUREAU | reach(inspector="own near")
# A draft visit: only the inspector who makes it (the walk's inspector at its own school).
ITS_INSPECTOR = reach(inspector="own")
# Staff of departments other than the 督导室 (the walk's staff are of 基础教育科).
OTHER_DEPARTMENTS = frozenset({"staff", "city_staff", "other_staff"})
# A closed survey campaign at the place's school: the bureau, the inspectors of the school's
# zone, the school (its figures only).
CAMPAIGN = SCHOOL


@dataclass(frozen=True)
class Row:
    who: object  # ANYONE, or the frozenset of roles the view declares
    record: str = None  # the kind of record the URL points at: a key of RECORDS
    scope: object = None  # a scope pattern above, or SHARED
    post: bool = False  # POST-only: a GET answers 405
    writes: frozenset = None  # an API route that takes writes: the roles its view lets write
    refused: frozenset = frozenset()  # personas of a declared role that the view refuses (403)
    link: str = None  # a page listing records: the route each listed record links to
    bug: str = None  # a known bug: the row says what is right, and the walk xfails (strict)


# Route name → Row. One row per route of the URLconf, in the URLconf's order.
TABLE = {
    # ---- the portal and one's own account
    "home": Row(EVERY_ROLE),
    "login": Row(ANYONE),
    "logout": Row(ANYONE),
    "register": Row(ANYONE),  # a parent registers itself (a code confirms the number)
    "password_forgot": Row(ANYONE),
    "accounts:password_change": Row(EVERY_ROLE),
    "accounts:password_change_done": Row(EVERY_ROLE),
    "accounts:api_token": Row(READERS),
    "accounts:notices": Row(EVERY_ROLE),  # one's own notices only
    "accounts:notices_read": Row(EVERY_ROLE, post=True),  # the API serves school data: no parent
    # ---- accounts and departments: the administrator's
    "accounts:user_list": Row(ADMIN, "account", BUREAU, link="accounts:user_edit"),
    "accounts:user_create": Row(ADMIN),
    "accounts:user_edit": Row(ADMIN, "account", BUREAU),
    "accounts:user_set_active": Row(ADMIN, "account", BUREAU, post=True),
    "accounts:user_password": Row(ADMIN, "account", BUREAU),
    "accounts:user_unlock": Row(ADMIN, "account", BUREAU, post=True),
    # ---- a principal's deputies: a deputy names none
    "accounts:deputy_list": Row(PRINCIPAL, "deputy", NAMER, refused=DEPUTY, link="accounts:deputy_set_active"),
    "accounts:deputy_set_active": Row(PRINCIPAL, "deputy", NAMER, post=True, refused=DEPUTY),
    "accounts:department_list": Row(ADMIN),
    "accounts:department_edit": Row(ADMIN, "department", SHARED),  # departments are the bureau's
    # ---- the working-day calendar: a district's own days are its administrators'
    "accounts:calendar": Row(ADMIN),
    "accounts:calendar_day_edit": Row(ADMIN, "calendar_day", BUREAU),
    "accounts:calendar_day_delete": Row(ADMIN, "calendar_day", BUREAU, post=True),
    # ---- schools and their records
    "schools:school_list": Row(READERS, "school", SCHOOL, link="schools:school_detail"),
    "schools:school_detail": Row(READERS, "school", SCHOOL),
    "schools:teacher_list": Row(READERS, "teacher", SCHOOL, link="schools:teacher_detail"),
    # a school's existence is the bureau's: staff and admins add, close, merge and reopen schools
    "schools:school_create": Row(KEEPERS),
    "schools:school_create_save": Row(KEEPERS, post=True),
    "schools:school_status": Row(KEEPERS, "school", SCHOOL),
    "schools:school_status_save": Row(KEEPERS, "school", SCHOOL, post=True),
    "schools:school_edit": Row(EDITORS, "school", SCHOOL),
    "schools:school_save": Row(EDITORS, "school", SCHOOL, post=True),
    "schools:stat_edit": Row(EDITORS, "school_with_stats", SCHOOL),
    "schools:stat_save": Row(EDITORS, "school_with_stats", SCHOOL, post=True),
    "schools:class_create": Row(EDITORS, "school", SCHOOL),
    "schools:class_create_save": Row(EDITORS, "school", SCHOOL, post=True),
    "schools:class_edit": Row(EDITORS, "class", SCHOOL),
    "schools:class_save": Row(EDITORS, "class", SCHOOL, post=True),
    "schools:teacher_create": Row(EDITORS, "school", SCHOOL),
    "schools:teacher_create_save": Row(EDITORS, "school", SCHOOL, post=True),
    "schools:teacher_detail": Row(READERS, "teacher", SCHOOL),
    "schools:teacher_edit": Row(EDITORS, "teacher", SCHOOL),
    "schools:teacher_save": Row(EDITORS, "teacher", SCHOOL, post=True),
    "schools:training_add": Row(EDITORS, "teacher", SCHOOL, post=True),
    "schools:rotation_add": Row(EDITORS, "teacher", SCHOOL, post=True),
    # ---- spreadsheets: staff and admins import; every reader exports its own scope
    "sheets:import_start": Row(KEEPERS, "job", MY_UPLOADS, link="sheets:import_job"),
    "sheets:import_upload": Row(KEEPERS, post=True),
    "sheets:import_template": Row(KEEPERS),
    "sheets:import_job": Row(KEEPERS, "job", UPLOADER),
    "sheets:import_job_status": Row(KEEPERS, "job", UPLOADER),
    "sheets:import_job_confirm": Row(KEEPERS, "job", UPLOADER, post=True),
    "sheets:import_job_retry": Row(KEEPERS, "job", UPLOADER, post=True),
    "sheets:import_job_cancel": Row(KEEPERS, "job", UPLOADER, post=True),
    "sheets:import_job_errors": Row(KEEPERS, "job", UPLOADER),
    "sheets:export_index": Row(READERS),
    "sheets:export_download": Row(READERS),
    # ---- inspector zones: the administrator draws them
    "inspections:zone_list": Row(ADMIN, "zone", BUREAU, link="inspections:zone_edit"),
    "inspections:zone_edit": Row(ADMIN, "zone", BUREAU),
    # ---- named complaints (issue 9)
    "complaints:list": Row(COMPLAINT_READERS, "complaint", COMPLAINT, link="complaints:detail"),
    "complaints:figures": Row(STAFF_LEADER),
    "complaints:mine": Row(PARENT, "complaint", COMPLAINT, link="complaints:detail"),
    "complaints:lodge": Row(PARENT),
    "complaints:enter": Row(STAFF, refused=NOT_THE_OFFICE),
    "complaints:detail": Row(COMPLAINT_PEOPLE, "complaint", COMPLAINT),
    "complaints:accept": Row(STAFF, "complaint", COMPLAINT, post=True),
    "complaints:reject": Row(STAFF, "complaint", COMPLAINT, post=True),
    "complaints:assign": Row(STAFF, "complaint", COMPLAINT, post=True),
    "complaints:record": Row(STAFF, "complaint", COMPLAINT, post=True),
    "complaints:answer": Row(PRINCIPAL, "complaint", COMPLAINT, post=True),
    "complaints:extend": Row(STAFF, "complaint", COMPLAINT, post=True),
    "complaints:conclude": Row(STAFF, "complaint", COMPLAINT, post=True),
    "complaints:reply": Row(STAFF, "complaint", COMPLAINT, post=True),
    "complaints:close": Row(STAFF, "complaint", COMPLAINT, post=True),
    "complaints:rate": Row(PARENT, "complaint", COMPLAINT, post=True),
    "complaints:appeal": Row(PARENT, "complaint", COMPLAINT, post=True),
    "complaints:link": Row(STAFF, "complaint", COMPLAINT, post=True),
    "complaints:reveal": Row(STAFF_LEADER, "complaint", COMPLAINT, post=True, refused=NOT_THE_OFFICE),
    # ---- dashboards (issue 11): the district's and city's for its bureau, a zone's also for its
    # inspectors, a school's and its classes' also for the school
    # where the menu's entry leads (a redirect; an inspector of no zone: 404, refused here)
    "reports:mine": Row(READERS - ADMIN),
    "reports:city": Row(STAFF_LEADER),  # the districts the user reaches (its own only, or a city's)
    "reports:district": Row(STAFF_LEADER, "district", BUREAU),
    "reports:refresh": Row(STAFF_LEADER, "district", BUREAU, post=True),
    "reports:refresh_status": Row(STAFF_LEADER, "district", BUREAU),
    "reports:zone": Row(roles("staff leader inspector"), "zone", BUREAU | reach(inspector="own")),
    "reports:school": Row(READERS - ADMIN, "school", SCHOOL),
    "reports:class": Row(READERS - ADMIN, "class", SCHOOL),
    "reports:targets": Row(STAFF_LEADER),  # the targets of the user's districts; the office and leaders set them
    "complaints:add_files": Row(PARENT, "complaint", COMPLAINT, post=True),
    "complaints:attachment": Row(COMPLAINT_PEOPLE, "complaint_file", COMPLAINANTS_FILE),
    # ---- an inspector's month; the bureau's view of the inspectors' load
    "inspections:my_month": Row(INSPECTOR),
    "inspections:my_card": Row(INSPECTOR),  # its own card on the gate sign
    # ---- the unannounced draw (双随机): the bureau's plan, never a school's; the 督导室 draws
    "inspections:draw_list": Row(roles("admin staff leader"), "draw", BUREAU, link="inspections:draw_detail"),
    "inspections:draw_create": Row(KEEPERS, post=True, refused=OTHER_DEPARTMENTS),
    "inspections:draw_detail": Row(roles("admin staff leader"), "draw", BUREAU),
    "inspections:inspector_load": Row(roles("admin staff leader")),
    # ---- the themed calendar: the bureau and its inspectors read it; the 督导室 and the
    # administrator keep it (the walk's staff are of 基础教育科: refused)
    "inspections:theme_list": Row(THEME_READERS, "theme", DISTRICT_PLAN, link="inspections:theme_detail"),
    "inspections:theme_create": Row(KEEPERS, refused=OTHER_DEPARTMENTS),
    "inspections:theme_load_defaults": Row(KEEPERS, post=True, refused=OTHER_DEPARTMENTS),
    "inspections:theme_copy_year": Row(KEEPERS, post=True, refused=OTHER_DEPARTMENTS),
    "inspections:theme_detail": Row(THEME_READERS, "theme", DISTRICT_PLAN),
    "inspections:theme_save": Row(KEEPERS, "theme", DISTRICT_PLAN, post=True, refused=OTHER_DEPARTMENTS),
    # ---- visits: a filed visit is the school's too; a draft only its inspector's to write
    "inspections:visit_list": Row(READERS, "visit", SCHOOL, link="inspections:visit_detail"),
    "inspections:visit_start": Row(INSPECTOR, post=True),
    "inspections:visit_detail": Row(READERS, "visit", SCHOOL),
    "inspections:visit_edit": Row(INSPECTOR, "visit_draft", ITS_INSPECTOR),
    "inspections:visit_file": Row(INSPECTOR, "visit_draft", ITS_INSPECTOR, post=True),
    # an evidence file: to whoever sees its visit; taken off a draft by its inspector
    "inspections:evidence_file": Row(READERS, "evidence", SCHOOL),
    "inspections:evidence_delete": Row(INSPECTOR, "evidence_draft", ITS_INSPECTOR, post=True),
    # ---- rectification notices: raised and checked by the visit's inspector, answered by the school
    "inspections:notice_issue": Row(INSPECTOR, "not_met_item", ITS_INSPECTOR, post=True),
    "inspections:notice_list": Row(READERS, "notice", SCHOOL, link="inspections:notice_detail"),
    "inspections:notice_detail": Row(READERS, "notice", SCHOOL),
    "inspections:notice_answer": Row(PRINCIPAL, "notice", reach(principal="own", deputy="own"), post=True),
    "inspections:notice_verify": Row(INSPECTOR, "notice", ITS_INSPECTOR, post=True),
    "inspections:notice_return": Row(INSPECTOR, "notice", ITS_INSPECTOR, post=True),
    "inspections:notice_evidence_file": Row(READERS, "notice_evidence", SCHOOL),
    # ---- term self-reports: 基础教育科 / 督导室 staff open rounds and review; the school fills its own
    "inspections:selfreport_rounds": Row(READERS, "selfreport_round", SCHOOL, link="inspections:selfreport_round"),
    "inspections:selfreport_round_create": Row(STAFF),
    "inspections:selfreport_round": Row(READERS, "selfreport_round", SCHOOL),
    "inspections:selfreport_detail": Row(READERS, "selfreport", SCHOOL),
    "inspections:selfreport_edit": Row(PRINCIPAL, "selfreport", reach(principal="own", deputy="own")),
    "inspections:selfreport_accept": Row(STAFF, "selfreport", BUREAU, post=True),
    "inspections:selfreport_return": Row(STAFF, "selfreport", BUREAU, post=True),
    "inspections:selfreport_correct": Row(PRINCIPAL, "selfreport", reach(principal="own", deputy="own"), post=True),
    "inspections:selfreport_file": Row(READERS, "selfreport_file", SCHOOL),
    # ---- the gate sign: public, no login (the 2013 rules: every school shows its inspectors)
    "sign:search": Row(ANYONE),
    "sign:photo": Row(ANYONE, "sign_card", SHARED),
    "sign:page": Row(ANYONE, "signed_school", SHARED),
    "sign:pdf": Row(ANYONE, "signed_school", SHARED),
    # ---- periodic reports: the district's bureau (a zone's report also its inspectors); a
    # leader publishes; bulletins are public
    "reports:list": Row(REPORT_READERS, "report", BUREAU, link="reports:detail"),
    "reports:create": Row(KEEPERS, post=True),
    "reports:my_school": Row(PRINCIPAL),
    "reports:criteria": Row(ADMIN),
    "reports:schedules": Row(ADMIN),
    "reports:schedule_update": Row(ADMIN, post=True),
    "reports:detail": Row(REPORT_READERS, "report", BUREAU),
    "reports:status": Row(REPORT_READERS, "report", BUREAU),
    "reports:pdf": Row(REPORT_READERS, "report", BUREAU),
    "reports:publish": Row(roles("leader"), "report", BUREAU, post=True),
    "reports:withdraw": Row(roles("leader"), "report", BUREAU, post=True),
    "reports:rerun": Row(KEEPERS, "report", BUREAU, post=True),
    "bulletins:list": Row(ANYONE),
    "bulletins:detail": Row(ANYONE, "bulletin", SHARED),
    "bulletins:pdf": Row(ANYONE, "bulletin", SHARED),
    # ---- survey campaigns (issue 8): the 督导室 runs them; the bureau reads the district, an
    # inspector its zones' schools, a school its own figures once the campaign is closed
    "surveys:campaign_list": Row(SURVEY_READERS, "campaign", CAMPAIGN, link="surveys:campaign_detail"),
    "surveys:campaign_create": Row(KEEPERS, refused=OTHER_DEPARTMENTS),
    "surveys:campaign_detail": Row(SURVEY_READERS, "campaign", CAMPAIGN),
    "surveys:campaign_move": Row(KEEPERS, "campaign", BUREAU, post=True, refused=OTHER_DEPARTMENTS),
    "surveys:campaign_rebuild": Row(KEEPERS, "campaign", BUREAU, post=True, refused=OTHER_DEPARTMENTS),
    "surveys:campaign_sheets": Row(KEEPERS, "campaign", BUREAU, refused=OTHER_DEPARTMENTS),
    "surveys:campaign_export": Row(SURVEY_READERS, "campaign", CAMPAIGN),
    "surveys:questionnaire_list": Row(roles("admin staff leader"), "questionnaire", BUREAU,
                                      link="surveys:questionnaire_detail"),
    "surveys:questionnaire_load_defaults": Row(KEEPERS, post=True, refused=OTHER_DEPARTMENTS),
    "surveys:questionnaire_detail": Row(roles("admin staff leader"), "questionnaire", BUREAU),
    "surveys:questionnaire_save": Row(KEEPERS, "questionnaire", BUREAU, post=True, refused=OTHER_DEPARTMENTS),
    "surveys:questionnaire_copy": Row(KEEPERS, "questionnaire", BUREAU, post=True, refused=OTHER_DEPARTMENTS),
    "surveys:question_add": Row(KEEPERS, "questionnaire", BUREAU, post=True, refused=OTHER_DEPARTMENTS),
    "surveys:question_edit": Row(KEEPERS, "question", BUREAU, refused=OTHER_DEPARTMENTS),
    # ---- a survey's answer form: public, by a school's access code (no account)
    "survey:enter": Row(ANYONE),
    "survey:done": Row(ANYONE),
    "survey:answer": Row(ANYONE, "survey_code", SHARED),
    # ---- balanced class assignment (均衡分班, issue 10): the school's principal (and deputy) runs
    # its draw; the bureau and the zone's inspectors read it; names go to staff and the school;
    # 基础教育科 staff approve transfers (the walk's staff are of 基础教育科); anyone verifies
    "schools:draw_list": Row(READERS, "class_draw", SCHOOL, link="schools:draw_detail"),
    "schools:draw_create": Row(PRINCIPAL, post=True),
    "schools:draw_detail": Row(READERS, "class_draw", SCHOOL),
    "schools:draw_roster_upload": Row(PRINCIPAL, "class_draw", SCHOOL, post=True),
    "schools:draw_roster_template": Row(PRINCIPAL, "class_draw", SCHOOL),
    "schools:draw_classes": Row(PRINCIPAL, "class_draw", SCHOOL, post=True),
    "schools:draw_seed": Row(PRINCIPAL, "class_draw", SCHOOL, post=True),
    "schools:draw_run": Row(PRINCIPAL, "class_draw", SCHOOL, post=True),
    "schools:draw_export": Row(roles("staff principal"), "class_draw", SCHOOL),
    "schools:draw_pdf": Row(roles("staff principal"), "class_draw", SCHOOL),
    "schools:draw_teachers": Row(READERS, "class_draw", SCHOOL),
    "schools:draw_teachers_assign": Row(PRINCIPAL, "class_draw", SCHOOL, post=True),
    "schools:draw_transfer_request": Row(PRINCIPAL, "class_draw", SCHOOL, post=True),
    "schools:draw_transfer_approve": Row(STAFF, "class_transfer", BUREAU, post=True),
    "schools:draw_transfer_reject": Row(STAFF, "class_transfer", BUREAU, post=True),
    "schools:draw_verify": Row(ANYONE, "class_draw", SHARED),
    # ---- the API
    "api_token": Row(ANYONE),  # a username and password buy the token
    "api:api-root": Row(EVERY_ROLE),
    "api:district-list": Row(READERS, "district", DISTRICT),
    "api:district-detail": Row(READERS, "district", DISTRICT),
    "api:group-list": Row(READERS, "group", DISTRICT),
    "api:group-detail": Row(READERS, "group", DISTRICT),
    "api:school-year-list": Row(READERS),
    "api:school-year-detail": Row(READERS, "school_year", SHARED),
    "api:term-list": Row(READERS),
    "api:term-detail": Row(READERS, "term", SHARED),
    "api:school-list": Row(READERS, "school", SCHOOL),
    "api:school-detail": Row(READERS, "school", SCHOOL, writes=EDITORS),
    "api:school-indicators": Row(READERS, "school_with_stats", SCHOOL),
    "api:school-stats": Row(READERS, "school_with_stats", SCHOOL, writes=EDITORS),
    "api:school-year-stat-list": Row(READERS, "stat", SCHOOL),
    "api:school-year-stat-detail": Row(READERS, "stat", SCHOOL),
    "api:class-list": Row(READERS, "class", SCHOOL),
    "api:class-detail": Row(READERS, "class", SCHOOL),
    "api:teacher-list": Row(READERS, "teacher", SCHOOL),
    "api:teacher-detail": Row(READERS, "teacher", SCHOOL, writes=EDITORS),
    "api:training-record-list": Row(READERS, "training", SCHOOL),
    "api:training-record-detail": Row(READERS, "training", SCHOOL),
    "api:rotation-list": Row(READERS, "rotation", SCHOOL),
    "api:rotation-detail": Row(READERS, "rotation", SCHOOL),
    # class draws: the school's principal moves its draw; transfers asked by the school, decided
    # by 基础教育科 staff (the services say who may make which move)
    "api:class-draw-list": Row(READERS, "class_draw", SCHOOL, writes=PRINCIPAL),
    "api:class-draw-detail": Row(READERS, "class_draw", SCHOOL),
    "api:class-draw-classes": Row(READERS, "class_draw", SCHOOL, post=True, writes=PRINCIPAL),
    "api:class-draw-draw": Row(READERS, "class_draw", SCHOOL, post=True, writes=PRINCIPAL),
    "api:class-draw-publish-seed": Row(READERS, "class_draw", SCHOOL, post=True, writes=PRINCIPAL),
    "api:class-draw-roster": Row(READERS, "class_draw", SCHOOL, post=True, writes=PRINCIPAL),
    "api:class-draw-students": Row(READERS, "class_draw", SCHOOL),
    "api:class-transfer-list": Row(READERS, "class_transfer", SCHOOL, writes=roles("staff principal")),
    "api:class-transfer-detail": Row(READERS, "class_transfer", SCHOOL),
    "api:class-transfer-approve": Row(READERS, "class_transfer", SCHOOL, post=True, writes=roles("staff principal")),
    "api:class-transfer-reject": Row(READERS, "class_transfer", SCHOOL, post=True, writes=roles("staff principal")),
    # complaints through the API: a parent's token reaches its own; the services decide each step
    "api:complaint-list": Row(COMPLAINT_PEOPLE, "complaint", COMPLAINT, writes=COMPLAINT_PEOPLE),
    "api:complaint-detail": Row(COMPLAINT_PEOPLE, "complaint", COMPLAINT),
    # The walked step is `accept` (PLAIN_ARGS), the office's: other roles are refused it.
    "api:complaint-step": Row(COMPLAINT_PEOPLE, "complaint", COMPLAINT, post=True, writes=COMPLAINT_PEOPLE,
                              refused=frozenset({"leader", "principal", "deputy", "parent"})),
    "api:complaint-complainant": Row(COMPLAINT_PEOPLE, "complaint", COMPLAINT, post=True, writes=COMPLAINT_PEOPLE,
                                     refused=NOT_THE_OFFICE | {"principal", "deputy", "parent"}),
    "api:complaint-attachments": Row(COMPLAINT_PEOPLE, "complaint", COMPLAINT, writes=COMPLAINT_PEOPLE),
    "api:complaint-attachment-list": Row(COMPLAINT_PEOPLE, "complaint_file", COMPLAINANTS_FILE),
    "api:complaint-attachment-detail": Row(COMPLAINT_PEOPLE, "complaint_school_file", SCHOOLS_FILE),
    "api:complaint-attachment-file": Row(COMPLAINT_PEOPLE, "complaint_file", COMPLAINANTS_FILE),
    "api:theme-list": Row(THEME_READERS, "theme", DISTRICT_PLAN),
    "api:theme-detail": Row(THEME_READERS, "theme", DISTRICT_PLAN),
    # visits: filed, the school sees them; an inspector starts, saves and files its own
    "api:visit-list": Row(READERS, "visit", SCHOOL, writes=INSPECTOR),
    "api:visit-detail": Row(READERS, "visit", SCHOOL, writes=INSPECTOR),
    "api:visit-file": Row(READERS, "visit", SCHOOL, post=True, writes=INSPECTOR),
    # The walked item (PLAIN_ARGS) is no matter: an empty body is refused (400) before it is looked up.
    "api:visit-item-evidence": Row(READERS, "visit", SCHOOL, post=True, writes=INSPECTOR),
    "api:visit-evidence-list": Row(READERS, "evidence", SCHOOL),
    "api:visit-evidence-detail": Row(READERS, "evidence", SCHOOL),
    "api:visit-evidence-file": Row(READERS, "evidence", SCHOOL),
    "api:notice-evidence-list": Row(READERS, "notice_evidence", SCHOOL),
    "api:notice-evidence-detail": Row(READERS, "notice_evidence", SCHOOL),
    "api:notice-evidence-file": Row(READERS, "notice_evidence", SCHOOL),
    # notices: the inspector issues, verifies and returns; the school answers (the services
    # say which of them may make which move)
    "api:rectification-notice-list": Row(READERS, "notice", SCHOOL, writes=NOTICE_MOVERS),
    "api:rectification-notice-detail": Row(READERS, "notice", SCHOOL),
    "api:rectification-notice-answer": Row(READERS, "notice", SCHOOL, post=True, writes=NOTICE_MOVERS),
    "api:rectification-notice-verify": Row(READERS, "notice", SCHOOL, post=True, writes=NOTICE_MOVERS),
    "api:rectification-notice-return": Row(READERS, "notice", SCHOOL, post=True, writes=NOTICE_MOVERS),
    "api:report-list": Row(REPORT_READERS, "report", BUREAU, writes=REPORT_WRITERS),
    "api:report-detail": Row(REPORT_READERS, "report", BUREAU),
    "api:report-publish": Row(REPORT_READERS, "report", BUREAU, post=True, writes=REPORT_WRITERS),
    "api:report-withdraw": Row(REPORT_READERS, "report", BUREAU, post=True, writes=REPORT_WRITERS),
    "api:report-rerun": Row(REPORT_READERS, "report", BUREAU, post=True, writes=REPORT_WRITERS),
    "api:bulletin-list": Row(ANYONE),
    "api:bulletin-detail": Row(ANYONE, "bulletin", SHARED),
    "api:my-school-report-list": Row(PRINCIPAL),
    # term self-reports: staff open rounds and review, the school saves and submits (the services
    # say which of them may make which move)
    "api:self-report-round-list": Row(READERS, "selfreport_round", SCHOOL, writes=STAFF),
    "api:self-report-round-detail": Row(READERS, "selfreport_round", SCHOOL),
    "api:self-report-list": Row(READERS, "selfreport", SCHOOL),
    "api:self-report-detail": Row(READERS, "selfreport", SCHOOL, writes=SELFREPORT_MOVERS),
    "api:self-report-submit": Row(READERS, "selfreport", SCHOOL, post=True, writes=SELFREPORT_MOVERS),
    "api:self-report-accept": Row(READERS, "selfreport", SCHOOL, post=True, writes=SELFREPORT_MOVERS),
    "api:self-report-return": Row(READERS, "selfreport", SCHOOL, post=True, writes=SELFREPORT_MOVERS),
    "api:self-report-correct": Row(READERS, "selfreport", SCHOOL, post=True, writes=SELFREPORT_MOVERS),
    # survey campaigns: read like the pages; the answer endpoint is public (an access code)
    "api:survey-campaign-list": Row(SURVEY_READERS, "campaign", CAMPAIGN),
    "api:survey-campaign-detail": Row(SURVEY_READERS, "campaign", CAMPAIGN),
    "api:survey-campaign-figures": Row(SURVEY_READERS, "campaign", CAMPAIGN),
    "api:survey-answer-list": Row(ANYONE, writes=frozenset()),  # no account: anyone with a code
}

# URL arguments that are not records: a value that exists whatever the scope.
PLAIN_ARGS = {
    "report_kind": "monthly_inspection",
    "kind": "teachers",  # spreadsheet kinds (import templates, exports)
    "fmt": "xlsx",
    "year": 2025,
    "step": "accept",  # a complaint's step (complaints/steps.py)
    "item": 1,  # a visit's checklist item (the API's evidence upload)
}

# Checked elsewhere, or not ours: Django's admin, the language switch, files, API docs.
SKIP_PREFIXES = ("django-admin/", "i18n/", "static/", "media/", "api/schema/", "api/docs/", "api/redoc/")


# ---- records: kind → maker(place) → the URL's arguments ------------------------------------


class Place:
    """A school and the people around it; accounts it needs are made when first asked for."""

    def __init__(self, name, school, *, principal=None, staff=None, zone=None, parent=None):
        self.name = name
        self.school = school
        self.district = school.district
        self._given = {"principal": principal, "staff": staff, "zone": zone, "parent": parent}

    @cached_property
    def parent(self):
        """The member of the public who lodges the place's complaints."""
        return self._given["parent"] or factories.UserFactory(role=Role.PARENT, mobile="13700000000")

    @cached_property
    def principal(self):
        return self._given["principal"] or factories.UserFactory(
            role=Role.PRINCIPAL, school=self.school, district=self.district
        )

    @cached_property
    def staff(self):
        """A staff member of the place's district (the uploader of the place's import jobs)."""
        return self._given["staff"] or factories.UserFactory(role=Role.STAFF, district=self.district)

    @cached_property
    def zone(self):
        zone = self._given["zone"]
        if zone is None:
            zone = factories.InspectorZoneFactory(district=self.district)
            factories.ZoneSchoolFactory(zone=zone, school=self.school)
        return zone


def _pk(record):
    return {"pk": record.pk}


def _school_with_stats(place):
    stat = factories.SchoolYearStatFactory(school=place.school, school_year=factories.SchoolYearFactory(start_year=2025))
    return {"pk": place.school.pk, "year": stat.school_year.start_year}


def _teacher(place):
    return factories.TeacherFactory(school=place.school)


def _rotation(place):
    # Visible through its teacher; the destination is another school of the same district.
    destination = factories.SchoolFactory(district=place.district)
    return factories.RotationFactory(teacher=_teacher(place), to_school=destination)


def _deputy(place):
    return factories.UserFactory(
        role=Role.PRINCIPAL, school=place.school, district=place.district, named_by=place.principal
    )


def _import_job(place):
    # Looked up by name: the spreadsheet engine may move the model to another app.
    model = next(model for model in apps.get_models() if model.__name__ == "ImportJob")
    return model.objects.create(
        kind="teachers", file="imports/walk.csv", original_name="教师.csv", file_format="csv",
        created_by=place.staff, district=place.district, status="validated",
    )


def _complaint(place):
    # Through the services, as the complaints office would: handed to the school.
    from tests.complaints.factories import handler_for, to_state

    return to_state("assigned", school=place.school, complainant=place.parent, handler=handler_for(place.district))
def _complaint_file(place, side):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from complaints.models import Attachment

    complaint = _complaint(place)
    name = default_storage.save("complaints/walk.png", ContentFile(b"\x89PNG\r\n\x1a\n" + b"\0" * 32))
    by = place.parent if side == "complainant" else place.principal
    return Attachment.objects.create(complaint=complaint, side=side, file=name, kind="png", label="照片.png", size=40,
                                     uploaded_by=by)


def _theme(place):
    # One theme a month: each place's theme takes the next free month of this year.
    from inspections.models import MonthlyTheme
    from tests.inspections.factories import ChecklistItemFactory, MonthlyThemeFactory

    year = timezone.localdate().year
    month = MonthlyTheme.objects.filter(district=place.district, year=year).count() + 1
    theme = MonthlyThemeFactory(district=place.district, year=year, month=month)
    ChecklistItemFactory(theme=theme)
    return theme


def _place_inspector(place):
    """The inspector of the place's zone: the walk's inspector at `own`, another elsewhere."""
    inspector = place.zone.inspectors.first()
    if inspector is None:
        inspector = factories.UserFactory(role=Role.INSPECTOR, district=place.district, inspector_kind="part_time")
        place.zone.inspectors.add(inspector)
    return inspector


def _visit(place, **kwargs):
    from tests.inspections.factories import FiledVisitFactory, VisitItemFactory

    visit = FiledVisitFactory(school=place.school, inspector=_place_inspector(place), **kwargs)
    VisitItemFactory(visit=visit, result="met")
    return visit


def _visit_draft(place):
    from tests.inspections.factories import VisitFactory, VisitItemFactory

    visit = VisitFactory(school=place.school, inspector=_place_inspector(place))
    VisitItemFactory(visit=visit)
    return visit


def _evidence(visit):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from inspections.models import VisitEvidence

    name = default_storage.save("evidence/walk.png", ContentFile(b"\x89PNG\r\n\x1a\n" + b"\0" * 32))
    return VisitEvidence.objects.create(item=visit.items.get(), file=name, kind="png", label="照片.png", size=40,
                                        uploaded_by=visit.inspector)


def _not_met_item(place):
    item = _visit(place).items.get()
    item.result = "not_met"
    item.save()
    return item


def _notice(place):
    import datetime

    from inspections.models import RectificationNotice

    item = _not_met_item(place)
    return RectificationNotice.objects.create(
        item=item, school=place.school, inspector=item.visit.inspector, requirement="保证每天1小时体育活动",
        working_days=5, deadline=timezone.localdate() + datetime.timedelta(days=7),
    )


def _notice_evidence(place):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from inspections.models import NoticeEvidence

    notice = _notice(place)
    name = default_storage.save("evidence/walk.pdf", ContentFile(b"%PDF-1.7\n"))
    return NoticeEvidence.objects.create(notice=notice, file=name, kind="pdf", label="整改报告.pdf", size=10,
                                         uploaded_by=place.principal)


def _sign_card(place):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from inspections.models import InspectorCard

    name = default_storage.save("signs/walk.png", ContentFile(b"\x89PNG\r\n\x1a\n" + b"\0" * 32))
    card = InspectorCard.objects.create(user=_place_inspector(place), photo=name, photo_kind="png", phone="0519-1")
    return card


def _class_draw(place):
    """A drawn class draw of the place's school (8 students, 2 classes), through the services."""
    from schools.draw import services
    from schools.models import ClassDraw

    term = factories.TermFactory()
    existing = ClassDraw.objects.filter(school=place.school, term=term, grade=1).first()
    if existing is not None:
        return existing
    draw = services.draw_create(school=place.school, term=term, grade=1, by=place.principal)
    services.roster_import(draw=draw, upload=factories.roster_csv(factories.roster_rows(8)), by=place.principal)
    services.draw_set_classes(draw=draw, class_count=2, by=place.principal)
    draw = services.draw_publish_seed(draw=draw, seed="2026", by=place.principal)
    return services.draw_run(draw=draw, by=place.principal)


def _class_transfer(place):
    from schools.draw import services

    draw = _class_draw(place)
    student = draw.students.order_by("number").first()
    other = next(c for c in services.SchoolClass.objects.filter(school=draw.school, term=draw.term, grade=1)
                 if c.pk != student.school_class_id)
    return services.transfer_request(student=student, to_class=other, reason="就近照顾", by=place.principal)


def _draw(place):
    from inspections.models import DrawAssignment, UnannouncedDraw

    inspector = _place_inspector(place)
    draw = UnannouncedDraw.objects.create(
        district=place.district, title="有偿家教突击专项督查", count=1, seed=2026, candidates=[place.school.pk],
        pool=[inspector.pk], sample_size=1, inspectors_per_school=1, created_by=place.staff,
    )
    DrawAssignment.objects.create(draw=draw, school=place.school, inspector=inspector, position=0)
    return draw


def _report(place, status="ready"):
    """A built monthly summary of the place's district (its data gathered, its PDF stored)."""
    import datetime

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from reports.models import Report
    from reports.periodic import monthly_inspection, periods

    period = periods.period_containing(periods.MONTH, datetime.date(2026, 3, 1))
    name = default_storage.save("reports/walk.pdf", ContentFile(b"%PDF-1.7\n"))
    key = f"district:{place.district.pk}"  # `own` and `near` share a district: two versions
    return Report.objects.create(
        kind="monthly_inspection", district=place.district, scope_key=key,
        version=Report.objects.filter(scope_key=key).count() + 1, period_start=period.start, period_end=period.end, status=status, pdf=name, built_at=timezone.now(),
        data=monthly_inspection.gather(district=place.district, zone=None, period=period), gathered_at=timezone.now(),
        published_at=timezone.now() if status == "published" else None,
    )
def _selfreport(place):
    """The school's draft report in a round of its district (one round per district and term:
    each place's takes a term of its own)."""
    from inspections.models import SelfReportRound
    from tests.inspections.selfreport_factories import SelfReportFactory

    term = factories.TermFactory(school_year=factories.SchoolYearFactory(
        start_year=2000 + SelfReportRound.objects.count()))
    return SelfReportFactory(school=place.school, round__district=place.district, round__term=term)


def _selfreport_file(place):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from inspections.models import SelfReportFile

    name = default_storage.save("evidence/walk.pdf", ContentFile(b"%PDF-1.7\n"))
    return SelfReportFile.objects.create(report=_selfreport(place), file=name, kind="pdf", label="作息时间表.pdf",
                                         size=10, uploaded_by=place.principal)
def _campaign(place):
    """A closed survey campaign at the place's school, made by the district's 督导室."""
    import datetime

    from inspections.models import Campaign, CampaignSchool
    from tests.inspections.survey_factories import ready_questionnaire, survey_staff

    staff = survey_staff(place.district)
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        district=place.district, questionnaire=ready_questionnaire(place.district, staff), term=factories.TermFactory(),
        title="家长问卷", audience="parents", grade_from=1, grade_to=9, sample_size=50, opens_on=today,
        closes_on=today + datetime.timedelta(days=7), status="closed", created_by=staff,
    )
    CampaignSchool.objects.create(campaign=campaign, school=place.school, access_code=f"W{campaign.pk:07d}")
    return campaign


def _survey_code(place):
    from inspections.models import Campaign

    campaign = _campaign(place)
    Campaign.objects.filter(pk=campaign.pk).update(status="open")
    return {"code": campaign.participants.get().access_code}


RECORDS = {
    "school": lambda place: _pk(place.school),
    "school_with_stats": _school_with_stats,  # a school and a year it has statistics for
    "stat": lambda place: _pk(factories.SchoolYearStatFactory(school=place.school)),
    "class": lambda place: _pk(factories.SchoolClassFactory(school=place.school)),
    "teacher": lambda place: _pk(_teacher(place)),
    "training": lambda place: _pk(factories.TrainingRecordFactory(teacher=_teacher(place))),
    "rotation": lambda place: _pk(_rotation(place)),
    "district": lambda place: _pk(place.district),
    "group": lambda place: _pk(factories.EducationGroupFactory(district=place.district)),
    "zone": lambda place: _pk(place.zone),
    "account": lambda place: _pk(place.principal),  # the account of the school's principal
    "deputy": lambda place: _pk(_deputy(place)),
    "job": lambda place: _pk(_import_job(place)),
    "department": lambda place: _pk(factories.DepartmentFactory()),
    "calendar_day": lambda place: _pk(factories.CalendarDayFactory(district=place.district)),
    "school_year": lambda place: _pk(factories.SchoolYearFactory(start_year=2025)),
    "term": lambda place: _pk(factories.TermFactory()),
    "complaint": lambda place: _pk(_complaint(place)),
    "complaint_file": lambda place: _pk(_complaint_file(place, "complainant")),
    "complaint_school_file": lambda place: _pk(_complaint_file(place, "school")),
    "theme": lambda place: _pk(_theme(place)),
    "visit": lambda place: _pk(_visit(place)),  # filed: the school sees it
    "visit_draft": lambda place: _pk(_visit_draft(place)),
    "evidence": lambda place: _pk(_evidence(_visit(place))),  # of a filed visit
    "evidence_draft": lambda place: _pk(_evidence(_visit_draft(place))),
    "not_met_item": lambda place: _pk(_not_met_item(place)),  # of a filed visit, no notice yet
    "notice": lambda place: _pk(_notice(place)),
    "notice_evidence": lambda place: _pk(_notice_evidence(place)),
    "draw": lambda place: _pk(_draw(place)),
    "report": lambda place: _pk(_report(place)),
    "bulletin": lambda place: _pk(_report(place, status="published")),
    "selfreport_round": lambda place: _pk(_selfreport(place).round),  # calls on the place's school
    "selfreport": lambda place: _pk(_selfreport(place)),  # a draft
    "selfreport_file": lambda place: _pk(_selfreport_file(place)),
    "campaign": lambda place: _pk(_campaign(place)),
    "questionnaire": lambda place: _pk(_campaign(place).questionnaire),
    "question": lambda place: _pk(_campaign(place).questionnaire.questions.first()),
    "survey_code": _survey_code,  # an open campaign's code at the place's school
    "class_draw": lambda place: _pk(_class_draw(place)),  # drawn, its seed published
    "class_transfer": lambda place: _pk(_class_transfer(place)),  # asked for, awaiting approval
    "sign_card": lambda place: _pk(_sign_card(place)),  # an inspector's card with its photo
    "signed_school": lambda place: _pk(_sign_card(place).user.inspector_zones.get().school_links.get().school),
}


# ---- the URLconf --------------------------------------------------------------------------


@dataclass
class Route:
    name: str  # namespaced, e.g. "schools:school_detail"
    route: str  # the pattern text, for messages
    callback: object
    kwargs: tuple

    def __str__(self):
        return self.name or self.route


def _walk(resolver, prefix="", namespace=""):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from _walk(entry, route, ns)
        elif isinstance(entry, URLPattern):
            yield route, entry, namespace


def collect_routes():
    routes = {}
    for route, entry, namespace in _walk(get_resolver()):
        clean = route.replace("^", "")
        if clean.startswith(SKIP_PREFIXES):
            continue
        kwargs = tuple(entry.pattern.regex.groupindex)
        if "format" in kwargs:  # DRF's format-suffix twin of a route already walked
            continue
        name = f"{namespace}{entry.name}" if entry.name else ""
        routes.setdefault(name or route, Route(name=name, route=clean, callback=entry.callback, kwargs=kwargs))
    return list(routes.values())


ROUTES = collect_routes()


def api_writes(route):
    """The write methods a DRF viewset route takes (a ViewSet's as_view maps them)."""
    actions = getattr(route.callback, "actions", None) or {}
    return [method for method in WRITE_METHODS if method in actions]


def view_class(callback):
    return getattr(callback, "cls", None) or getattr(callback, "view_class", None)


def is_api(route):
    # DRF's as_view / ViewSet.as_view set .cls
    return getattr(route.callback, "cls", None) is not None or route.route.startswith("api/")


def declared_roles(callback):
    """frozenset of role values, "public", or None when the view declares nothing."""
    declared = getattr(callback, "allowed_roles", None)
    cls = view_class(callback)
    if declared is None and cls is not None:
        declared = getattr(cls, "allowed_roles", None)
        if declared is None and getattr(callback, "cls", None) is not None:
            declared = getattr(cls, "read_roles", None)
            if declared is None and list(getattr(cls, "permission_classes", ())) == [AllowAny]:
                declared = "public"
    if declared is None or declared == "public":
        return declared
    return frozenset(str(role) for role in declared)


def row_for(route):
    assert route.name, f"{route.route} has no name: name it in its urls.py, and add it to TABLE"
    row = TABLE.get(route.name)
    assert row is not None, (
        f"{route} ({route.route}) is not in the table: add a row for it to TABLE in "
        "tests/bureau/test_url_auth.py (who may use it; for a record, its kind and scope pattern)"
    )
    return row


def _param(route, *, walk=False):
    """One test id per route; the walk of a route with a known bug is expected to fail."""
    row = TABLE.get(route.name)
    bug = walk and row is not None and row.bug
    return pytest.param(route, id=str(route), marks=[pytest.mark.xfail(strict=True, reason=row.bug)] if bug else [])


# ---- what a request must answer ----------------------------------------------------------

WRITE_METHODS = ("post", "put", "patch", "delete")

LOGIN = "login page"
REACH = "reached"
OPEN = "open"
NO_LOGIN_API = "401/403"


def expected(row, persona, place, *, api, method="get"):
    """What a request must answer; `place` is None for a route about no record."""
    role = PERSONAS[persona]
    if row.who == ANYONE:
        return OPEN
    if role is None:
        return NO_LOGIN_API if api else LOGIN
    if role not in (row.writes if api and method in WRITE_METHODS else row.who):
        return 403
    if row.post and method == "get":
        return 405
    if persona in row.refused:
        return 403
    if place is None or row.scope == SHARED:  # a list, or a record everyone shares
        return REACH
    return REACH if place in row.scope.get(persona, ()) else 404


def answers(want, response, method):
    status = response.status_code
    location = response.get("Location", "")
    to_login = status == 302 and location.startswith(reverse("login"))
    if want == LOGIN:
        return to_login
    if want == REACH:
        return status == 200 or (status == 302 and not to_login) or (method != "get" and status == 400)
    if want == OPEN:
        return status < 500 and status not in (401, 403, 404)
    if want == NO_LOGIN_API:
        return status in (401, 403)
    return status == want


def shows(response, marker, *, api):
    """Whether a list shows a record: its id among the API's results, or a page's link to it."""
    if api:
        data = response.json()
        return marker in {item["id"] for item in (data["results"] if isinstance(data, dict) else data)}
    return marker in response.content.decode()


# Tables a GET may write to: the session (saved again now and then, bureau.middleware.SessionTouchMiddleware).
GET_MAY_WRITE = ("django_session",)


class WriteSpy:
    """Records the writes a GET makes (a GET must change nothing)."""

    def __init__(self):
        self.writes = []

    def __call__(self, execute, sql, params, many, context):
        verb = sql.lstrip().split(None, 1)[0].upper()
        if verb in ("INSERT", "UPDATE", "DELETE") and not any(table in sql for table in GET_MAY_WRITE):
            self.writes.append(sql[:100])
        return execute(sql, params, many, context)


def session_cookie(user):
    """A logged-in session for `user`, made directly: `force_login` also runs the login
    signals (last login, django-axes' access log), which cost more than the walk's requests
    and have nothing to do with what a route lets a user do."""
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = "bureau.backends.PortalBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


# ---- fixtures -----------------------------------------------------------------------------


@pytest.fixture
def personas(
    admin_user, staff_user, leader_user, inspector_user, principal_user, deputy_user, parent_user,
    city_staff_user, other_staff_user,
):
    return {
        "anonymous": None, "admin": admin_user, "staff": staff_user, "leader": leader_user,
        "inspector": inspector_user, "principal": principal_user, "deputy": deputy_user, "parent": parent_user,
        "city_staff": city_staff_user, "other_staff": other_staff_user,
    }


@pytest.fixture
def places(personas, school, zone, school_outside_zone, other_school, sibling_school, media):
    return {
        OWN: Place(OWN, school, principal=personas["principal"], staff=personas["staff"], zone=zone,
                   parent=personas["parent"]),
        NEAR: Place(NEAR, school_outside_zone),
        OTHER: Place(OTHER, other_school, staff=personas["other_staff"]),
        CHILD: Place(CHILD, sibling_school),
    }


# ---- the tests ----------------------------------------------------------------------------


def test_the_walker_sees_the_portal():
    names = {route.name for route in ROUTES}
    assert {"home", "login", "schools:school_list", "schools:school_detail", "api:school-detail"} <= names, names
    assert not any(route.route.startswith("django-admin/") for route in ROUTES)


def test_every_row_of_the_table_is_a_route():
    names = {route.name for route in ROUTES}
    stale = sorted(set(TABLE) - names)
    assert not stale, f"no route has these names any more: remove or rename their rows in TABLE: {stale}"


def test_the_table_is_well_formed():
    known_roles = set(EVERY_ROLE)
    for name, row in TABLE.items():
        assert row.who == ANYONE or (row.who and row.who <= known_roles), name
        assert row.refused <= set(PERSONAS), name
        assert (row.record is None) == (row.scope is None), f"{name}: a record needs a scope, a scope a record"
        if row.record is not None:
            assert row.record in RECORDS, f"{name}: no maker for {row.record!r} in RECORDS"
        if isinstance(row.scope, dict):
            assert set(row.scope) <= set(PERSONAS), name
            assert all(places <= set(PLACES) for places in row.scope.values()), name


def test_the_world_is_the_one_the_table_describes(
    personas, city, district, sibling_district, other_district, zone, school, school_outside_zone
):
    assert {persona: user and user.role for persona, user in personas.items()} == PERSONAS
    assert set(city.children.all()) == {district, sibling_district} and city.level == "city"
    assert other_district.parent is None
    assert [link.school for link in zone.school_links.all()] == [school]
    assert school_outside_zone.district == district
    assert personas["deputy"].named_by == personas["principal"]
    assert personas["city_staff"].district == city


@pytest.mark.parametrize("route", [_param(route) for route in ROUTES])
def test_every_url_declares_who_may_use_it(route):
    declared = declared_roles(route.callback)
    assert declared is not None, (
        f"{route} ({route.route}) declares no roles: decorate it with bureau.permissions.roles_required(...) "
        "or public (DRF: allowed_roles / read_roles on the view class)"
    )
    row = row_for(route)
    assert declared == row.who, (
        f"{route} declares {sorted(declared) if declared != ANYONE else ANYONE}, the table says "
        f"{sorted(row.who) if row.who != ANYONE else ANYONE}: fix whichever is wrong"
    )
    if api_writes(route):
        writers = frozenset(str(role) for role in getattr(view_class(route.callback), "write_roles", ()))
        assert writers == row.writes, (
            f"{route} takes {api_writes(route)} from {sorted(writers)}, the table says "
            f"{sorted(row.writes) if row.writes is not None else 'nothing'} (writes=): fix whichever is wrong"
        )
    else:
        assert row.writes is None, f"{route} takes no writes: drop writes= from its row"


@pytest.mark.parametrize("route", [_param(route, walk=True) for route in ROUTES])
def test_every_url_as_every_role(route, client, personas, places):
    row = row_for(route)
    assert row.record is not None or "pk" not in route.kwargs, (
        f"{route} points at a record: name its kind and scope pattern in its row of TABLE"
    )
    api = is_api(route)
    # A record everyone shares may be named by another key than pk (a survey's access code).
    listing = row.record is not None and "pk" not in route.kwargs and row.scope != SHARED
    assert not listing or api or row.link, (
        f"{route} lists records: name in its row (link=) the route each listed record links to"
    )

    # One URL per place for a route about a record; one URL for any other, and for a list
    # the records of every place (`listed` keeps the marker that shows each on the page).
    urls, listed = {}, {}
    for place in (OWN,) if row.record is None or row.scope == SHARED else PLACES:
        made = RECORDS[row.record](places[place]) if row.record else {}
        if listing:
            listed[place] = made["pk"] if api else f'"{reverse(row.link, kwargs=made)}"'
            made = {}
        kwargs = {name: made.get(name, PLAIN_ARGS.get(name)) for name in route.kwargs}
        missing = sorted(name for name, value in kwargs.items() if value is None)
        assert not missing, f"{route}: no value for the URL arguments {missing}: add them to PLAIN_ARGS"
        if not listing or not urls:
            urls[place] = reverse(route.name, kwargs=kwargs)

    problems = []

    def request(persona, method, place):
        about_one = row.record is not None and not listing
        want = expected(row, persona, place if about_one else None, api=api, method=method)
        url = urls[place]
        spy = WriteSpy()
        try:
            if method != "get":
                # A savepoint rolled back: what a write changes is not seen by the next persona.
                # An empty write: a page's form refuses it, the API changes nothing with it.
                body = {"data": "{}", "content_type": "application/json"} if api else {}
                with transaction.atomic():
                    response = getattr(client, method)(url, HTTP_ACCEPT_LANGUAGE="en", **body)
                    transaction.set_rollback(True)
            else:
                with connection.execute_wrapper(spy):
                    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        except Exception as exc:  # noqa: BLE001 - reported with the persona and URL, then the rest goes on
            problems.append(f"{persona:<11} {method.upper():<4} {url} ({place}): want {want}, raised {exc!r}")
            return
        where = f" ({place})" if about_one else ""
        if not answers(want, response, method):
            got = f"{response.status_code} {response.get('Location', '')}".rstrip()
            problems.append(f"{persona:<11} {method.upper():<4} {url}{where}: want {want}, got {got}")
        elif listing and want == REACH and method == "get":  # a POST to a list creates: no list to read
            shown = sorted(place for place, marker in listed.items() if shows(response, marker, api=api))
            want_shown = sorted(row.scope.get(persona, ()))
            if shown != want_shown:
                problems.append(f"{persona:<11} GET  {url}: want the records of {want_shown}, shows {shown}")
        if spy.writes:
            problems.append(f"{persona:<11} GET  {url}{where} wrote to the database: {spy.writes}")

    for persona, user in personas.items():
        client.cookies.pop(settings.SESSION_COOKIE_NAME, None)
        if user is not None:
            client.cookies[settings.SESSION_COOKIE_NAME] = session_cookie(user)
        if row.post:
            request(persona, "get", OWN)
        for place in urls:
            request(persona, "post" if row.post else "get", place)
            for method in api_writes(route):
                request(persona, method, place)

    who = ANYONE if row.who == ANYONE else " ".join(sorted(row.who))
    assert not problems, f"{route} ({route.route}), for {who}:\n" + "\n".join(problems)


def test_anonymous_user_sees_no_scoped_records(school):
    from schools.models import School

    assert not School.objects.visible_to(AnonymousUser()).exists()
