"""The schools' demo generator: the geography, and each district's schools and teachers.

bureau.demo runs it first of the apps' generators (see the protocol there); the plans and
rows it writes come from the modules beside it.
"""

import datetime
import time

from django.db import reset_queries
from django.utils.translation import gettext as _

from bureau.demo import DemoAccount, DemoArea, DemoGenerator, raw_delete
from bureau.models import Role, User
from schools.demo import geography as calendar_source
from schools.demo.draws import demo_draws
from schools.demo.geography import (
    DEMO_CITY_CODE,
    DEMO_CITY_CODES,
    DEMO_DISTRICT_CODE,
    SCALES,
    DemoCalendar,
    geography,
)
from schools.demo.names import GROUP_SUFFIX, short_name
from schools.demo.plans import plan_district
from schools.demo.rows import CONDUCT_FINDINGS, school_teachers, stat_row, training_rows
from schools.models import (
    ClassBalance,
    ClassDraw,
    ClassTransfer,
    ConductRecord,
    District,
    EducationGroup,
    IncomingStudent,
    Rotation,
    School,
    SchoolClass,
    SchoolStage,
    SchoolYear,
    SchoolYearStat,
    Teacher,
    TeachingAssignment,
    Term,
    TrainingRecord,
)
from schools.services import school_stats_evaluate


def demo_districts():
    """The demo cities and the districts in them."""
    return District.objects.filter(code__in=DEMO_CITY_CODES) | District.objects.filter(parent__code__in=DEMO_CITY_CODES)


def _calendar(calendar):
    """The school years and their terms (a term already recorded keeps its dates)."""
    years, terms = {}, []
    for start_year, number, start, end in calendar.terms():
        if start_year not in years:
            years[start_year], _created = SchoolYear.objects.get_or_create(start_year=start_year)
        term, _created = Term.objects.get_or_create(
            school_year=years[start_year], number=number, defaults={"start_date": start, "end_date": end}
        )
        terms.append(term)
    return list(years.values()), terms


class SchoolsDemo(DemoGenerator):
    # The demo district's principal keeps the lead school of its first education group.
    fixed_usernames = ("principal",)

    def demo_district_ids(self):
        return list(demo_districts().values_list("pk", flat=True))

    def begin(self, ctx):
        """The school years and terms, the cities and districts, and ctx.areas for the orchestrator."""
        config = SCALES[ctx.scale]
        # Read through the module, so that a test can load the demo "on" another day.
        calendar = DemoCalendar(calendar_source.load_date())
        years, terms = _calendar(calendar)
        # Classes in the terms begun by the load day: the current one (or, in the holidays,
        # the one just ended) is the last.
        begun = [term for term in terms if calendar.started(term.start_date)]
        geo = geography(ctx.scale)
        cities = {c.code: c for c in ctx.write(District, [
            District(code=city_code, name=city_name, level=District.Level.CITY) for city_code, city_name, *_rest in geo
        ])}
        districts = {d.code: d for d in ctx.write(District, [
            District(code=code, name=name, level=District.Level.DISTRICT, parent=cities[city_code])
            for city_code, _city, _area, district_list in geo for code, name in district_list
        ])}
        for city_code, city_name, area_code, district_list in geo:
            for code, name in district_list:
                ctx.areas.append(DemoArea(
                    district=districts[code], label=f"{city_name}{name}", is_demo=code == DEMO_DISTRICT_CODE,
                    facts={"city_code": city_code, "city_name": city_name, "area_code": area_code},
                ))
        ctx.district, ctx.city = districts[DEMO_DISTRICT_CODE], cities[DEMO_CITY_CODE]
        ctx.state["schools"] = {
            "calendar": calendar, "years": years, "class_terms": begun if config.all_terms else begun[-1:],
            "complete": {},
        }

    def load_district(self, ctx, area):
        """Groups, schools, teachers, classes, statistics, training, rotations and conduct of a district."""
        rng, write, district = area.rng, ctx.write, area.district
        config = SCALES[ctx.scale]
        state = ctx.state["schools"]
        years, class_terms, calendar = state["years"], state["class_terms"], state["calendar"]
        current_year = calendar.current_year
        plans = plan_district(
            rng, city_name=area.facts["city_name"], area_code=area.facts["area_code"], district_code=district.code,
            district_name=district.name, n_schools=config.schools_per_district,
            # 第N中学 counts through the city, across its districts.
            complete_counter=state["complete"].setdefault(area.facts["city_code"], [0]),
        )

        # Groups first (schools point at them), their lead schools once the schools have ids.
        lead_plans = {}
        for plan in plans:
            if plan.group is not None and plan.group not in lead_plans:
                lead_plans[plan.group] = plan
        groups = write(EducationGroup, [
            EducationGroup(district_id=district.pk, kind=EducationGroup.Kind.GROUP,
                           name=f"{district.name}{short_name(lead_plans[g].name)}{GROUP_SUFFIX}")
            for g in sorted(lead_plans)
        ])
        schools = write(School, [
            School(code=p.code, name=p.name, stage=p.stage, location=p.location, ownership=p.ownership,
                   is_boarding=p.location == "rural" and p.stage != SchoolStage.PRIMARY and rng.random() < 0.5,
                   is_village_full=p.village, district_id=district.pk,
                   group_id=groups[p.group].pk if p.group is not None else None,
                   address=p.address, principal_name=p.principal, phone=p.phone)
            for p in plans
        ])
        for plan, school in zip(plans, schools, strict=True):
            plan.pk = school.pk
        for g, group in enumerate(groups):
            group.lead_school_id = lead_plans[g].pk
        EducationGroup.objects.bulk_update(groups, ["lead_school"])
        school_pks = [p.pk for p in plans]

        # Teachers, school by school, then the classes with their head teachers.
        number = [0]

        def next_number():
            number[0] += 1
            return number[0]

        teacher_rows, head_slots = [], []
        for plan in plans:
            rows, heads = school_teachers(rng, plan, district, config, next_number, calendar)
            offset = len(teacher_rows)
            teacher_rows.extend(rows)
            head_slots.append({k: offset + v for k, v in heads.items()})
        teachers = write(Teacher, teacher_rows)

        class_rows = []
        for term in class_terms:
            current = term is class_terms[-1]
            for plan, heads in zip(plans, head_slots, strict=True):
                for section, grade, number_, boys, girls in plan.classes:
                    if not current:
                        # Earlier terms: the same classes with a few students more or fewer.
                        boys = max(0, boys + rng.randint(-2, 1))
                        girls = max(0, girls + rng.randint(-2, 1))
                    head = heads.get((section, grade, number_))
                    size = boys + girls
                    class_rows.append(SchoolClass(
                        school_id=plan.pk, term_id=term.pk, grade=grade, number=number_, boys=boys, girls=girls,
                        head_teacher_id=teachers[head].pk if head is not None else None,
                        equipment_value=round(size * rng.uniform(900, 1500)) if rng.random() > 0.03 else round(size * 400),
                        is_starting_grade=grade in (1, 7, 10),
                        is_locked=grade in (1, 7) and term.school_year_id == class_terms[-1].school_year_id,
                    ))
            if len(class_rows) >= 20000:
                write(SchoolClass, class_rows)
                class_rows = []
        write(SchoolClass, class_rows)

        # Yearly statistics: enrolment a little lower in earlier years.
        stat_rows = []
        for plan in plans:
            for year in years:
                scale_of_year = (1 - 0.025 * (current_year - year.start_year)) * rng.uniform(0.98, 1.02)
                if year.start_year == current_year:
                    scale_of_year = 1.0
                stat_rows.append(stat_row(rng, plan, year, year.start_year, scale_of_year, current_year))
        write(SchoolYearStat, stat_rows)

        # Training (a spread around the 360-hour cycle), rotations, a few conduct findings.
        training = []
        for teacher in teachers:
            training.extend(training_rows(rng, teacher, config.trainings_per_teacher, calendar.today))
            if len(training) >= 20000:
                write(TrainingRecord, training)
                training = []
        write(TrainingRecord, training)

        rural_pks = [p.pk for p in plans if p.location in ("rural", "town")] or school_pks
        rotations = []
        for start_year in calendar.school_years[-config.rotation_years:]:
            share = rng.uniform(0.1, 0.15)
            for teacher in rng.sample(teachers, round(len(teachers) * share)):
                kind = rng.choices(("exchange", "support", "shadow", "visiting"), (50, 25, 15, 10))[0]
                pool = rural_pks if kind == "support" else school_pks
                to_school = rng.choice(pool)
                if to_school == teacher.school_id:
                    to_school = school_pks[(school_pks.index(to_school) + 1) % len(school_pks)]
                start = datetime.date(start_year, 9, 1)
                end = datetime.date(start_year + 1, 7, 5) if kind in ("exchange", "support") else datetime.date(start_year + 1, 1, 20)
                rotations.append(Rotation(teacher_id=teacher.pk, from_school_id=teacher.school_id, to_school_id=to_school,
                                          kind=kind, start_date=start, end_date=end))
        write(Rotation, rotations)

        conduct = []
        for teacher in rng.sample(teachers, max(1, len(teachers) // 300)):
            finding, veto = rng.choice(CONDUCT_FINDINGS)
            conduct.append(ConductRecord(teacher_id=teacher.pk, finding=finding, is_veto=veto,
                                         date=calendar.today - datetime.timedelta(days=rng.randint(20, 700))))
        write(ConductRecord, conduct)

        # The stored verdicts, by the same code that keeps them up to date afterwards.
        school_stats_evaluate(school_ids=school_pks)
        reset_queries()

        area.schools = schools
        if area.is_demo:
            ctx.demo_school = schools[lead_plans.get(0, plans[0]).index]
        ctx.log(_("%(district)s: %(schools)s schools, %(teachers)s teachers (%(seconds).0f s)") % {
            "district": area.label, "schools": len(plans), "teachers": len(teachers),
            "seconds": time.monotonic() - ctx.started,
        })

    def fixed_accounts(self, ctx):
        school = ctx.demo_school
        user = User(username="principal", password=ctx.password, role=Role.PRINCIPAL, school=school,
                    district=ctx.district, name=school.principal_name)
        return [DemoAccount(user=user, sees=str(_("only %(school)s") % {"school": school.name}))]

    def after_accounts(self, ctx):
        # The demo principal's class draws (schools/demo/draws.py), made by its account.
        demo_draws(ctx, ctx.state["schools"]["calendar"].current_year)

    def delete_district(self, district_id):
        # Children first, so the raw deletes need no cascade.
        deleted = 0
        in_district = {"school__district_id": district_id}
        deleted += raw_delete(ClassTransfer.objects.filter(draw__school__district_id=district_id))
        deleted += raw_delete(IncomingStudent.objects.filter(draw__school__district_id=district_id))
        deleted += raw_delete(ClassDraw.objects.filter(**in_district))
        deleted += raw_delete(ClassBalance.objects.filter(**in_district))
        deleted += raw_delete(TeachingAssignment.objects.filter(teacher__district_id=district_id))
        deleted += raw_delete(TrainingRecord.objects.filter(teacher__district_id=district_id))
        deleted += raw_delete(ConductRecord.objects.filter(teacher__district_id=district_id))
        deleted += raw_delete(Rotation.objects.filter(teacher__district_id=district_id))
        deleted += raw_delete(Rotation.objects.filter(from_school__district_id=district_id))
        deleted += raw_delete(Rotation.objects.filter(to_school__district_id=district_id))
        deleted += raw_delete(SchoolClass.objects.filter(**in_district))
        deleted += raw_delete(SchoolYearStat.objects.filter(**in_district))
        deleted += raw_delete(Teacher.objects.filter(district_id=district_id))
        EducationGroup.objects.filter(district_id=district_id).update(lead_school=None)
        School.objects.filter(district_id=district_id).update(group=None)
        deleted += raw_delete(EducationGroup.objects.filter(district_id=district_id))
        # The ORM delete here, so that records other apps attach to a school follow it.
        deleted += School.objects.filter(district_id=district_id).delete()[0]
        return deleted

    def delete_rest(self, district_ids):
        # Districts before their cities (a city is PROTECTed by its districts).
        deleted = District.objects.filter(pk__in=district_ids, parent__isnull=False).delete()[0]
        deleted += District.objects.filter(pk__in=district_ids).delete()[0]
        return deleted


generator = SchoolsDemo()
