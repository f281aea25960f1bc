"""The complaints' demo generator: a dozen complaints in the demo district, at every step.

They came by hotline, letter and visit (taken down by the complaints office), so that the
demo's 监审科 account (staff_audit) finds work due today, tomorrow and overdue, the demo
principal a complaint handed to its school (without the complainant), and leaders the whole
picture. The demo parent starts with none and lodges its own.
"""

import datetime
import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from bureau.calendar import add_working_days
from bureau.demo import DemoGenerator, person_name, raw_delete
from bureau.models import Department, StatusChange
from complaints.models import Category, Channel, Complaint, Finding, HandlingRecord, Responsibility

S = Complaint.Status
NOTE = "演示数据"

# (state, category, what happened, working days since it came in, handed to the school)
PLANS = [
    (S.SUBMITTED, Category.HOMEWORK, "孩子上三年级，每天书面作业要做到晚上十点，远超规定时长。", 2, False),
    (S.SUBMITTED, Category.HOLIDAY_CLASSES, "学校国庆假期组织六年级学生返校补课，并要求每人交资料费。", 1, False),
    (S.SUBMITTED, Category.RANKINGS, "期中考试后班主任在家长群里公布了全班成绩排名。", 4, False),  # overdue
    (S.ACCEPTED, Category.PAID_TUTORING, "数学老师动员学生周末到其家中参加收费辅导班。", 3, False),
    (S.ASSIGNED, Category.KEY_CLASSES, "七年级按入学测试成绩分了“实验班”和普通班。", 6, True),
    (S.ASSIGNED, Category.ILLEGAL_FEES, "学校以“校服升级”为名另收每人三百元。", 12, True),
    (S.INVESTIGATING, Category.AFTER_SCHOOL, "课后服务只到下午五点，且只上语数英。", 9, False),
    (S.INVESTIGATING, Category.CONDUCT, "有老师在课堂上体罚学生，让学生在走廊罚站一节课。", 14, True),
    (S.CONCLUDED, Category.ENTRANCE_EXAM, "小升初前学校组织了选拔考试，并按成绩录取。", 15, True),
    (S.REPLIED, Category.HOMEWORK, "二年级布置了书面家庭作业，每天要抄写生字三页。", 17, True),
    (S.CLOSED, Category.SAFETY, "校门口上下学时段车辆拥堵，没有人疏导，存在安全隐患。", 25, False),
    (S.REJECTED, Category.OTHER, "反映小区物业收费问题。", 4, False),
]
CHANNELS = (Channel.HOTLINE, Channel.LETTER, Channel.VISIT)
ORDER = [S.SUBMITTED, S.ACCEPTED, S.ASSIGNED, S.INVESTIGATING, S.CONCLUDED, S.REPLIED, S.CLOSED]


def _back(today, days, district):
    """The working day `days` working days before `today` (walking back one day at a time)."""
    day = today
    while days > 0:
        day -= datetime.timedelta(days=1)
        if add_working_days(day, 1, district=district) <= today:
            days -= 1
    return day


class ComplaintsDemo(DemoGenerator):
    def load_district(self, ctx, area):
        if not area.is_demo or not area.schools:
            return
        rng, district = area.rng, area.district
        office = Department.objects.get_or_create(code=settings.COMPLAINTS_DEPARTMENT, defaults={"name": "监审科"})[0]
        today = timezone.localdate()
        schools = sorted(area.schools, key=lambda s: s.code)
        demo_school = ctx.demo_school or schools[0]
        rows, history = [], []
        for n, (state, category, text, ago, handed) in enumerate(PLANS):
            school = demo_school if handed else schools[(n * 7) % len(schools)]
            received_on = _back(today, ago, district)
            received = timezone.make_aware(datetime.datetime.combine(received_on, datetime.time(9 + n % 8, 10)))
            accept_due = add_working_days(received, 2, district=district)
            complaint = Complaint(
                tracking_number=f"TS{received_on:%Y%m%d}{rng.randint(0, 999999):06d}", status=state, school=school,
                category=category, channel=CHANNELS[n % 3], description=text, happened_on=received_on
                - datetime.timedelta(days=3), complainant_name=person_name(rng, "F" if n % 2 else "M"),
                complainant_mobile=f"13{rng.randint(500000000, 999999999)}", submission_token=uuid.uuid4(),
                received_at=received, accept_due=accept_due, due_on=accept_due,
            )
            rank = ORDER.index(state) if state in ORDER else -1
            if state == S.REJECTED:
                complaint.reject_reason = "该事项不属于教育局受理范围，请向住建部门反映。"
                complaint.due_on = None
            elif rank >= 1:
                accepted = received + datetime.timedelta(hours=5)
                complaint.accepted_at = accepted
                complaint.conclude_due = add_working_days(accepted, 15, district=district)
                complaint.due_on = complaint.conclude_due
            if rank >= ORDER.index(S.ASSIGNED):
                complaint.department = office
                complaint.handed_to_school = handed
                complaint.assignment_due = complaint.conclude_due
            if rank >= ORDER.index(S.CONCLUDED):
                complaint.finding = Finding.SUBSTANTIATED
                complaint.responsibility = Responsibility.SCHOOL
                complaint.measures = "责令学校立即整改，对分管副校长诫勉谈话，并在全区通报。"
                complaint.concluded_at = received + datetime.timedelta(days=10)
                complaint.due_on = None
            if rank >= ORDER.index(S.REPLIED):
                complaint.reply = "经核查，您反映的情况属实。教育局已责令学校整改，并将持续跟踪。感谢您的监督。"
                complaint.replied_at = received + datetime.timedelta(days=12)
                complaint.appeal_due = add_working_days(complaint.replied_at, 15, district=district)
            if state == S.CLOSED:
                complaint.rating, complaint.rating_comment = 5, "处理及时，满意。"
                complaint.closed_at = received + datetime.timedelta(days=20)
            rows.append(complaint)
        rows = ctx.write(Complaint, rows)
        content_type = ContentType.objects.get_for_model(Complaint)
        records = []
        for complaint in rows:
            if complaint.status == S.REJECTED:
                steps = [S.SUBMITTED, S.REJECTED]
            else:
                steps = ORDER[: ORDER.index(complaint.status) + 1]
            for i, (source, target) in enumerate(zip(steps, steps[1:], strict=False)):
                history.append(StatusChange(
                    at=complaint.received_at + datetime.timedelta(days=i, hours=5), content_type=content_type,
                    object_id=str(complaint.pk), from_status=source, to_status=target, note=NOTE,
                ))
            if complaint.status in (S.INVESTIGATING, S.CONCLUDED, S.REPLIED, S.CLOSED):
                records.append(HandlingRecord(complaint=complaint, kind=HandlingRecord.Kind.INVESTIGATION,
                                              text="调阅了相关班级作业记录，走访学生六名、家长三名。",
                                              at=complaint.received_at + datetime.timedelta(days=3)))
        ctx.write(StatusChange, history)
        ctx.write(HandlingRecord, records)

    def delete_district(self, district_id):
        deleted = raw_delete(HandlingRecord.objects.filter(complaint__school__district_id=district_id)) or 0
        complaints = Complaint.objects.filter(school__district_id=district_id)
        ids = [str(pk) for pk in complaints.values_list("pk", flat=True)]
        if ids:  # an empty IN () is no query at all, and raw_delete then answers None
            deleted += raw_delete(StatusChange.objects.filter(
                content_type=ContentType.objects.get_for_model(Complaint), object_id__in=ids))
        deleted += raw_delete(complaints) or 0
        return deleted


generator = ComplaintsDemo()
