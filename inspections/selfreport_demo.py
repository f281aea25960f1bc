"""Demo term self-reports, called by inspections/demo.py for each district.

Two rounds: the term before, closed (every school sent its report, most on time, a few late,
all accepted or returned and sent again); and the current term, due in ten working days, with
a mix: accepted, waiting for review, returned with comments, drafts and schools not started.
Some values break the burden rules, as the bureau would find them. The fixed principal's school
has an empty draft of the current term to fill.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from bureau import calendar
from bureau.demo import raw_delete
from inspections.models import SelfReport, SelfReportFile, SelfReportRound
from inspections.models.selfreports import homework_field
from inspections.selfreport_rules import breach_codes, breaches, school_grades
from inspections.services.selfreports import COMPULSORY_STAGES
from schools.models import Section, Term

Status = SelfReport.Status
# The current round's mix, in order of the schools: (status, saved?)
CURRENT_MIX = ((Status.ACCEPTED, True), (Status.SUBMITTED, True), (Status.ACCEPTED, True), (Status.RETURNED, True),
               (Status.SUBMITTED, True), (Status.DRAFT, True), (Status.DRAFT, False))
RETURN_COMMENTS = (
    "五年级书面作业平均时间超过60分钟，请核实各班作业量并说明整改措施。",
    "课后服务每天不足2小时，请按“5+2”要求调整课后服务时间。",
    "请补充体育大课间安排，保证学生每天校园体育活动不少于1小时。",
)
NARRATIVES = (
    "本学期严格落实“双减”要求，建立作业公示制度，各年级书面作业总量由年级组统筹。",
    "课后服务实行“5+2”模式，开设体育、艺术、科技等社团，学生自愿参加。",
    "落实每天1小时校园体育活动，大课间30分钟，体育课和课外活动不被挤占。",
)
SUBJECT_PLAN = {"morality": 2, "chinese": 6, "maths": 4, "foreign_language": 2, "science": 2, "it": 1, "pe": 4,
                "arts": 4, "labour": 1, "practice": 1}


def _values(rng, school, breaking):
    """A school's values, within the rules, or breaking one or two of them when `breaking`."""
    values = {}
    for grade in school_grades(school):
        values[homework_field(grade)] = 0 if grade <= 2 else rng.choice((30, 40, 45, 50, 60)) if grade <= 6 \
            else rng.choice((60, 70, 80, 90))
    values.update(after_school_days=5, after_school_hours=Decimal(rng.choice(("2.0", "2.0", "2.5"))),
                  activity_minutes=rng.choice((60, 65, 70, 90)))
    if Section.PRIMARY in school.sections:
        values["start_primary"] = datetime.time(8, rng.choice((20, 25, 30)))
    if Section.JUNIOR in school.sections:
        values["start_junior"] = datetime.time(8, rng.choice((0, 0, 10)))
    curriculum = {code: {"plan": n, "actual": n} for code, n in SUBJECT_PLAN.items()}
    if breaking:
        kind = rng.randrange(5)
        if kind == 0:
            grade = next((g for g in school_grades(school) if g >= 3), None)
            if grade:
                values[homework_field(grade)] = 75 if grade <= 6 else 110
        elif kind == 1:
            values["after_school_hours"] = Decimal("1.5")
        elif kind == 2:
            values["activity_minutes"] = 45
        elif kind == 3 and "start_primary" in values:
            values["start_primary"] = datetime.time(8, 0)
        else:
            curriculum["pe"]["actual"] = 3
    return values, curriculum


def _at(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 30)))


def load_district(ctx, area, today):
    schools = [s for s in area.schools if s.stage in COMPULSORY_STAGES and s.status == "open"]
    if not schools:
        return
    terms = list(Term.objects.filter(start_date__lte=today).order_by("start_date"))
    if not terms:
        return
    current, previous = terms[-1], (terms[-2] if len(terms) > 1 else None)
    district = area.district.pk
    rng, write = area.rng, ctx.write
    rounds, reports = [], []
    if previous is not None:
        due = calendar.add_working_days(previous.end_date - datetime.timedelta(days=31), 1, district=district)
        rounds.append((previous, due, "closed"))
    due_now = calendar.add_working_days(today, 10, district=district)
    rounds.append((current, due_now, "current"))
    made = write(SelfReportRound, [SelfReportRound(district_id=district, term_id=term.pk, due_date=due)
                                   for term, due, _kind in rounds])
    write(SelfReportRound.schools.through, [
        SelfReportRound.schools.through(selfreportround_id=r.pk, school_id=s.pk) for r in made for s in schools
    ], label="self-report round schools")
    demo_school = ctx.demo_school if area.is_demo else None
    for round_, (_term, due, kind) in zip(made, rounds, strict=True):
        for n, school in enumerate(schools):
            breaking = rng.random() < 0.3
            values, curriculum = _values(rng, school, breaking)
            if kind == "closed":
                status, saved = (Status.ACCEPTED, True)
                late = rng.random() < 0.15
                submitted = _at(due + datetime.timedelta(days=rng.randint(1, 6)) if late
                                else due - datetime.timedelta(days=rng.randint(0, 8)), 10)
            elif demo_school is not None and school.pk == demo_school.pk:
                status, saved, submitted = Status.DRAFT, False, None
            else:
                status, saved = CURRENT_MIX[n % len(CURRENT_MIX)]
                submitted = _at(today - datetime.timedelta(days=rng.randint(1, 5)), 9) \
                    if status != Status.DRAFT else None
            report = SelfReport(round_id=round_.pk, school_id=school.pk, status=status)
            if saved:
                for name, value in values.items():
                    setattr(report, name, value)
                report.curriculum = curriculum
                report.breaches = breach_codes(breaches(values, school, curriculum))
                report.narrative = rng.choice(NARRATIVES)
                report.saved_at = submitted or _at(today - datetime.timedelta(days=1), 16)
                report.submitted_at = submitted
                if status in (Status.ACCEPTED, Status.RETURNED):
                    report.reviewed_at = submitted + datetime.timedelta(days=1)
                if status == Status.RETURNED:
                    report.comments = rng.choice(RETURN_COMMENTS)
            reports.append(report)
    write(SelfReport, reports)


def delete_district(district_id):
    """Self-reports point at accounts (who submitted, who opened): deleted before the accounts."""
    deleted = raw_delete(SelfReportFile.objects.filter(report__round__district_id=district_id))
    deleted += raw_delete(SelfReport.objects.filter(round__district_id=district_id, corrects__isnull=False))
    deleted += raw_delete(SelfReport.objects.filter(round__district_id=district_id))
    deleted += raw_delete(SelfReportRound.schools.through.objects.filter(selfreportround__district_id=district_id))
    return deleted + raw_delete(SelfReportRound.objects.filter(district_id=district_id))
