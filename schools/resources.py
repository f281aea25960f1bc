"""The six kinds of spreadsheet the schools app declares to the engine (bureau/sheets/):
schools, yearly statistics, classes, teachers, training records and rotations.

Each resource says its columns (Chinese headers, one widget per column), its natural key,
an example row and notes for the template, and the hooks that find what a row names. The
engine reads, previews, validates with the models' own `clean()` and writes; the schools
and teachers a row names are looked up through the scope (`visible_to`), so a code outside
the user's reach reads exactly like an unknown one.

The vocabularies below are the file format: the labels written in cells (小学, 一级教师),
then other spellings accepted on import. They are not translated (see bureau/sheets).
"""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bureau.sheets.files import is_blank
from bureau.sheets.lookups import LookupWidget, fetch
from bureau.sheets.registry import register
from bureau.sheets.resources import SheetResource, column
from bureau.sheets.widgets import (
    BoolWidget,
    ChoiceWidget,
    CodeWidget,
    DateWidget,
    DecimalWidget,
    IntWidget,
    TextWidget,
    shown,
)
from schools.models import (
    District,
    EducationGroup,
    EducationLevel,
    Rotation,
    School,
    SchoolClass,
    SchoolStage,
    SchoolYear,
    SchoolYearStat,
    Section,
    Teacher,
    Term,
    TrainingRecord,
)
from schools.permissions import TEACHER_PERSONAL_FIELDS, can_edit_school, can_see_personal_data
from schools.services import default_section, rotation_defaults, school_stats_evaluate

# ---- vocabularies -------------------------------------------------------------------------

STAGES = ChoiceWidget({
    SchoolStage.PRIMARY: "小学", SchoolStage.JUNIOR: "初中", SchoolStage.NINE_YEAR: "九年一贯制",
    SchoolStage.COMPLETE: "完全中学", SchoolStage.SENIOR: "普通高中", SchoolStage.SPECIAL: "特殊教育学校",
    SchoolStage.KINDERGARTEN: "幼儿园",
}, {"高中": SchoolStage.SENIOR, "特殊教育": SchoolStage.SPECIAL, "特教": SchoolStage.SPECIAL})
LOCATIONS = ChoiceWidget(
    {School.Location.URBAN: "城区", School.Location.TOWN: "镇区", School.Location.RURAL: "乡村"},
    {"农村": School.Location.RURAL, "城市": School.Location.URBAN, "镇": School.Location.TOWN},
)
OWNERSHIPS = ChoiceWidget({School.Ownership.PUBLIC: "公办", School.Ownership.PRIVATE: "民办"})
SCHOOL_STATUSES = ChoiceWidget(
    {School.Status.OPEN: "正常", School.Status.CLOSED: "停办", School.Status.MERGED: "已合并"},
    {"办学中": School.Status.OPEN, "撤销": School.Status.CLOSED, "合并": School.Status.MERGED},
)
SECTIONS = ChoiceWidget({
    Section.PRIMARY: "小学", Section.JUNIOR: "初中", Section.SENIOR: "高中", Section.KINDERGARTEN: "幼儿园",
    Section.SPECIAL: "特殊教育",
}, {"特教": Section.SPECIAL, "普通高中": Section.SENIOR})
GENDERS = ChoiceWidget({Teacher.Gender.MALE: "男", Teacher.Gender.FEMALE: "女"})
EDUCATION = ChoiceWidget({
    EducationLevel.SECONDARY: "中专/高中", EducationLevel.COLLEGE: "大专", EducationLevel.BACHELOR: "本科",
    EducationLevel.MASTER: "硕士", EducationLevel.DOCTOR: "博士",
}, {
    "中专": EducationLevel.SECONDARY, "高中": EducationLevel.SECONDARY, "中师": EducationLevel.SECONDARY,
    "专科": EducationLevel.COLLEGE, "大学本科": EducationLevel.BACHELOR, "研究生": EducationLevel.MASTER,
    "硕士研究生": EducationLevel.MASTER, "博士研究生": EducationLevel.DOCTOR,
})
CERTIFICATES = ChoiceWidget({
    Teacher.CertificateType.NONE: "无", Teacher.CertificateType.KINDERGARTEN: "幼儿园",
    Teacher.CertificateType.PRIMARY: "小学", Teacher.CertificateType.JUNIOR: "初级中学",
    Teacher.CertificateType.SENIOR: "高级中学", Teacher.CertificateType.VOCATIONAL: "中职",
}, {
    "初中": Teacher.CertificateType.JUNIOR, "高中": Teacher.CertificateType.SENIOR,
    "中等职业学校": Teacher.CertificateType.VOCATIONAL,
})
TITLES = ChoiceWidget({
    Teacher.Title.NONE: "无", Teacher.Title.THIRD: "三级教师", Teacher.Title.SECOND: "二级教师",
    Teacher.Title.FIRST: "一级教师", Teacher.Title.SENIOR: "高级教师", Teacher.Title.PROFESSOR: "正高级教师",
}, {"未定级": Teacher.Title.NONE})
BACKBONE_LEVELS = ChoiceWidget({
    Teacher.Backbone.NONE: "无", Teacher.Backbone.COUNTY: "县级骨干", Teacher.Backbone.CITY: "市级骨干",
    Teacher.Backbone.PROVINCE: "省级骨干", Teacher.Backbone.LEADER: "学科带头人", Teacher.Backbone.MASTER: "名师",
}, {
    "县级": Teacher.Backbone.COUNTY, "区级骨干": Teacher.Backbone.COUNTY, "市级": Teacher.Backbone.CITY,
    "省级": Teacher.Backbone.PROVINCE,
})
TEACHER_STATUSES = ChoiceWidget({
    Teacher.Status.ACTIVE: "在岗", Teacher.Status.LEAVE: "休假", Teacher.Status.LEFT: "调离",
    Teacher.Status.RETIRED: "退休",
}, {"离岗": Teacher.Status.LEAVE, "请假": Teacher.Status.LEAVE, "离职": Teacher.Status.LEFT})
ROTATION_KINDS = ChoiceWidget({
    Rotation.Kind.EXCHANGE: "交流", Rotation.Kind.SUPPORT: "支教", Rotation.Kind.SHADOW: "跟岗",
    Rotation.Kind.VISITING: "送教",
})


# ---- columns that name records -----------------------------------------------------------


class SchoolCodeWidget(LookupWidget):
    model = School
    field = "code"
    key_widget = CodeWidget(digits=10)
    select_related = ("district",)
    unknown_message = gettext_lazy("Unknown school code %(value)s.")

    def usable(self, user, school):
        return can_edit_school(user, school)


class DistrictCodeWidget(LookupWidget):
    model = District
    field = "code"
    unknown_message = gettext_lazy("Unknown district code %(code)s.")


class GroupWidget(LookupWidget):
    model = EducationGroup
    field = "name"
    key_widget = TextWidget()
    text_column = False
    unknown_message = gettext_lazy("Unknown education group “%(value)s”.")


class TeacherWidget(LookupWidget):
    model = Teacher
    field = "staff_number"
    select_related = ("school",)
    unknown_message = gettext_lazy("Unknown staff number %(number)s in your district.")
    several_message = gettext_lazy("Staff number %(number)s belongs to teachers of several districts.")

    def usable(self, user, teacher):
        return can_edit_school(user, teacher.school)

    def hint(self):
        return _("staff number of a teacher in the district")


SCHOOL_YEAR_RE = re.compile(r"^(\d{4})\s*(?:[-–—/至]\s*(\d{4}))?\s*(?:学年)?$")
TERM_RE = re.compile(r"^(\d{4})\s*[-–—/]\s*(\d{4})\s*[-–—/]\s*([12])$")
TERM_NAMED_RE = re.compile(r"^(\d{4})\s*[-–—/]\s*(\d{4})\s*学年\s*第?\s*([一二12])\s*学期$")


class SchoolYearWidget(LookupWidget):
    model = SchoolYear
    field = "start_year"
    text_column = False
    unknown_message = gettext_lazy("The school year %(value)s does not exist in the portal yet.")

    def key(self, value):
        if is_blank(value):
            return None
        not_a_year = _("“%(value)s” is not a school year; write it as 2025-2026.") % {"value": shown(value)}
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if float(value).is_integer() and 1900 < value < 2200:
                return int(value)
            raise ValueError(not_a_year)
        match = SCHOOL_YEAR_RE.match(str(value).strip())
        if not match or (match.group(2) and int(match.group(2)) != int(match.group(1)) + 1):
            raise ValueError(not_a_year)
        return int(match.group(1))

    def show_key(self, key):
        return f"{key}-{key + 1}"

    def hint(self):
        return _("school year, e.g. 2025-2026")


class TermWidget(LookupWidget):
    model = Term
    select_related = ("school_year",)
    unknown_message = gettext_lazy("The term %(value)s does not exist in the portal yet.")

    def key(self, value):
        if is_blank(value):
            return None
        text = str(value).strip()
        match = TERM_RE.match(text) or TERM_NAMED_RE.match(text)
        if not match or int(match.group(2)) != int(match.group(1)) + 1:
            raise ValueError(
                _("“%(value)s” is not a term; write it as 2025-2026-1 (first term) or 2025-2026-2.") % {"value": text}
            )
        return (int(match.group(1)), {"一": 1, "二": 2}.get(match.group(3)) or int(match.group(3)))

    def key_of(self, term):
        return (term.school_year.start_year, term.number)

    def load(self, keys, user):
        terms = self.queryset(user).filter(school_year__start_year__in={year for year, _number in keys})
        return {self.key_of(term): [term] for term in terms}

    def show_key(self, key):
        return f"{key[0]}-{key[0] + 1}-{key[1]}"

    def hint(self):
        return _("term, e.g. 2025-2026-1")


class StatsEvaluated:
    """Kinds whose rows are inputs of the schools' resource indicators: re-evaluate the
    schools they touch, in the import's transaction."""

    def schools_touched(self, plan):
        return {instance.school_id for instance, _changes in plan.creates + plan.updates}

    def after_apply(self, sheet, plan):
        school_ids = self.schools_touched(plan)
        if school_ids:
            school_stats_evaluate(school_ids=sorted(school_ids))


# ---- the six kinds ----------------------------------------------------------------------


@register
class SchoolResource(SheetResource):
    kind = "schools"
    verbose_name = gettext_lazy("Schools")
    key_fields = ("code",)
    defaulted_fields = ("district",)
    select_related = ("district", "group")
    export_ordering = ("code",)
    resolves_itself = ("group",)

    code = column("code", "学校标识码", CodeWidget(digits=10))
    name = column("name", "学校名称", TextWidget())
    stage = column("stage", "学段", STAGES)
    location = column("location", "城乡", LOCATIONS)
    ownership = column("ownership", "办学性质", OWNERSHIPS)
    is_boarding = column("is_boarding", "寄宿制", BoolWidget())
    is_village_full = column("is_village_full", "村完小", BoolWidget())
    district = column("district", "区县代码", DistrictCodeWidget())
    group = column("group", "教育集团", GroupWidget())
    address = column("address", "地址", TextWidget())
    principal_name = column("principal_name", "校长", TextWidget())
    phone = column("phone", "联系电话", TextWidget())
    status = column("status", "办学状态", SCHOOL_STATUSES)

    example = {
        "code": "3204020001", "name": "天宁区实验小学", "stage": "小学", "location": "城区", "ownership": "公办",
        "is_boarding": "否", "is_village_full": "否", "district": "", "group": "", "address": "天宁区局前街1号",
        "principal_name": "王校长", "phone": "0519-88000000", "status": "正常",
    }
    notes = {
        "district": gettext_lazy("Leave empty to use your own district; needed only for a city-level account."),
        "group": gettext_lazy("Name of an existing education group of the same district, or empty."),
    }

    class Meta:
        model = School
        fields = (
            "code", "name", "stage", "location", "ownership", "is_boarding", "is_village_full", "district", "group",
            "address", "principal_name", "phone", "status",
        )

    def preload(self, sheet, rows):
        codes = {row.values.get("code") for row in rows} - {None}
        self.existing = {(s.code,): s for s in fetch(sheet.existing_queryset(), "code", codes)}
        # A code is unique across the country: one the user may not see is taken, and says
        # no more than that (no name, no district).
        self.taken = set(fetch(School.objects.values_list("code", flat=True), "code", codes)) - {
            code for (code,) in self.existing}
        # An empty district cell means the user's own district; a city account (whose own is
        # the city) names the district, unless the city has only one.
        districts = District.objects.visible_to(sheet.user).filter(level=District.Level.DISTRICT)
        self.default_district = districts.filter(pk=sheet.user.district_id).first()
        if self.default_district is None:
            only = list(districts[:2])
            self.default_district = only[0] if len(only) == 1 else None

    def resolve(self, sheet, row):
        code = row.values["code"]
        if code in self.taken:
            sheet.error(row, "code", _("The school code %(code)s is already used by another school.") % {"code": code})
            return
        school = self.existing.get((code,))
        district = row.values.get("district")
        if "district" in row.bad:
            return
        if district is None:
            district = school.district if school is not None else self.default_district
            if district is None:
                sheet.error(row, "district", _("A value is required."))
                return
            row.values["district"] = district
        name = row.keys.get("group")
        if name is not None:
            group = next((g for g in sheet.matches("group", name) if g.district_id == district.pk), None)
            if group is None:
                sheet.error(row, "group", _("Unknown education group “%(name)s” in %(district)s.") % {
                    "name": name, "district": district})
                return
            row.values["group"] = group

    def load_existing(self, sheet, keys):
        return self.existing


STAT_COLUMNS = (
    ("primary_students", "小学在校生数", IntWidget),
    ("junior_students", "初中在校生数", IntWidget),
    ("other_students", "其他在校生数", IntWidget),
    ("teaching_area", "教学及辅助用房面积", DecimalWidget),
    ("sports_ground_area", "运动场地面积", DecimalWidget),
    ("equipment_value", "教学仪器设备值", DecimalWidget),
    ("multimedia_classrooms", "网络多媒体教室数", IntWidget),
    ("computers", "教学用计算机数", IntWidget),
    ("library_books", "图书册数", IntWidget),
    ("has_music_room", "有音乐室", BoolWidget),
    ("has_pe_room", "有体育室", BoolWidget),
    ("has_art_room", "有美术室", BoolWidget),
    ("has_health_room", "有卫生室", BoolWidget),
    ("has_labour_room", "有劳技室", BoolWidget),
    ("has_science_room", "有科技室", BoolWidget),
    ("labs", "实验室数", IntWidget),
    ("music_rooms", "音乐专用教室数", IntWidget),
    ("music_room_area", "音乐专用教室面积", DecimalWidget),
    ("art_rooms", "美术专用教室数", IntWidget),
    ("art_room_area", "美术专用教室面积", DecimalWidget),
    ("is_digital_campus", "数字校园", BoolWidget),
    ("is_standardized", "标准化学校", BoolWidget),
    ("is_feature_school", "特色学校", BoolWidget),
    ("enrolled", "招生数", IntWidget),
    ("graduated", "毕业生数", IntWidget),
    ("dropouts", "辍学人数", IntWidget),
    ("disabled_students", "随班就读残疾学生数", IntWidget),
    ("health_tested", "体质测试人数", IntWidget),
    ("health_excellent", "体测优秀人数", IntWidget),
    ("health_good", "体测良好人数", IntWidget),
    ("health_pass", "体测及格人数", IntWidget),
    ("myopia", "近视人数", IntWidget),
)


class _StatMeta:
    model = SchoolYearStat
    fields = ("school", "school_year", *(name for name, _header, _widget in STAT_COLUMNS))


# Built with the resource metaclass so the thirty-odd statistics columns are declared from
# STAT_COLUMNS (one list) rather than written out twice.
SchoolYearStatResource = register(type(SheetResource)("SchoolYearStatResource", (StatsEvaluated, SheetResource), {
    "__module__": __name__,
    "__doc__": "Yearly statistics of a school (one row per school per school year).",
    "kind": "stats",
    "verbose_name": gettext_lazy("Yearly statistics"),
    "key_fields": ("school", "school_year"),
    "select_related": ("school", "school_year"),
    "export_ordering": ("school__code", "school_year__start_year"),
    "school": column("school", "学校标识码", SchoolCodeWidget()),
    "school_year": column("school_year", "学年", SchoolYearWidget()),
    **{name: column(name, header, widget()) for name, header, widget in STAT_COLUMNS},
    "example": {
        "school": "3204020001", "school_year": "2025-2026", "primary_students": 1200, "junior_students": 0,
        "other_students": 0, "teaching_area": "6500", "sports_ground_area": "9800", "equipment_value": "2600000",
        "multimedia_classrooms": 30, "computers": 120, "library_books": 36000, "has_music_room": "是",
        "has_pe_room": "是", "has_art_room": "是", "has_health_room": "是", "has_labour_room": "否",
        "has_science_room": "是", "labs": 2, "music_rooms": 2, "music_room_area": "180", "art_rooms": 2,
        "art_room_area": "170", "is_digital_campus": "是", "is_standardized": "是", "is_feature_school": "否",
        "enrolled": 200, "graduated": 190, "dropouts": 0, "disabled_students": 3, "health_tested": 1180,
        "health_excellent": 300, "health_good": 420, "health_pass": 400, "myopia": 350,
    },
    "notes": {
        "teaching_area": gettext_lazy("Square metres."), "sports_ground_area": gettext_lazy("Square metres."),
        "music_room_area": gettext_lazy("Square metres."), "art_room_area": gettext_lazy("Square metres."),
        "equipment_value": gettext_lazy("Yuan."),
    },
    "Meta": _StatMeta,
}))


@register
class SchoolClassResource(SheetResource):
    kind = "classes"
    verbose_name = gettext_lazy("Classes")
    key_fields = ("school", "term", "grade", "number")
    select_related = ("school", "term__school_year", "head_teacher")
    export_ordering = ("school__code", "term__school_year__start_year", "term__number", "grade", "number")
    resolves_itself = ("head_teacher",)

    school = column("school", "学校标识码", SchoolCodeWidget())
    term = column("term", "学期", TermWidget())
    grade = column("grade", "年级", IntWidget())
    number = column("number", "班号", IntWidget())
    boys = column("boys", "男生数", IntWidget())
    girls = column("girls", "女生数", IntWidget())
    head_teacher = column("head_teacher", "班主任工号", TeacherWidget())
    equipment_value = column("equipment_value", "班级设备值", DecimalWidget())
    is_starting_grade = column("is_starting_grade", "起始年级", BoolWidget())

    example = {
        "school": "3204020001", "term": "2025-2026-1", "grade": 1, "number": 1, "boys": 22, "girls": 21,
        "head_teacher": "T0000001", "equipment_value": "52000", "is_starting_grade": "是",
    }
    notes = {
        "grade": gettext_lazy("1–6 primary, 7–9 junior secondary, 10–12 senior secondary."),
        "head_teacher": gettext_lazy("Staff number of a teacher of the same school, or empty."),
        "equipment_value": gettext_lazy("Yuan."),
    }

    class Meta:
        model = SchoolClass
        fields = (
            "school", "term", "grade", "number", "boys", "girls", "head_teacher", "equipment_value",
            "is_starting_grade",
        )

    def resolve(self, sheet, row):
        # The head teacher is looked up in the class's district (numbers repeat across
        # districts); SchoolClass.clean() then checks it teaches at the class's school.
        number, school = row.keys.get("head_teacher"), row.values.get("school")
        if number is None or school is None or "school" in row.bad:
            return
        head = next((t for t in sheet.matches("head_teacher", number) if t.district_id == school.district_id), None)
        if head is None:
            sheet.error(row, "head_teacher", sheet.fields["head_teacher"].widget.unknown(number))
        else:
            row.values["head_teacher"] = head


@register
class TeacherResource(StatsEvaluated, SheetResource):
    kind = "teachers"
    verbose_name = gettext_lazy("Teachers")
    # The staff number is unique within a district; the district is the school's.
    key_fields = ("staff_number",)
    defaulted_fields = ("section",)
    withheld_fields = TEACHER_PERSONAL_FIELDS
    select_related = ("school", "district")
    export_ordering = ("school__code", "staff_number")

    staff_number = column("staff_number", "工号", CodeWidget())
    name = column("name", "姓名", TextWidget())
    gender = column("gender", "性别", GENDERS)
    birth_date = column("birth_date", "出生日期", DateWidget())
    school = column("school", "学校标识码", SchoolCodeWidget())
    section = column("section", "任教学段", SECTIONS)
    subject = column("subject", "任教学科", TextWidget())
    education = column("education", "学历", EDUCATION)
    certificate_type = column("certificate_type", "教师资格证类型", CERTIFICATES)
    certificate_number = column("certificate_number", "教师资格证号码", CodeWidget())
    title = column("title", "职称", TITLES)
    backbone_level = column("backbone_level", "骨干级别", BACKBONE_LEVELS)
    is_sports_arts = column("is_sports_arts", "体育艺术教师", BoolWidget())
    hire_date = column("hire_date", "参加工作日期", DateWidget())
    joined_school_date = column("joined_school_date", "调入本校日期", DateWidget())
    is_head_teacher = column("is_head_teacher", "班主任", BoolWidget())
    status = column("status", "在岗状态", TEACHER_STATUSES)

    example = {
        "staff_number": "T0000001", "name": "李老师", "gender": "女", "birth_date": "1988-03-15",
        "school": "3204020001", "section": "小学", "subject": "语文", "education": "本科",
        "certificate_type": "小学", "certificate_number": "20103204000001", "title": "一级教师",
        "backbone_level": "县级骨干", "is_sports_arts": "否", "hire_date": "2010-09-01",
        "joined_school_date": "2016-09-01", "is_head_teacher": "是", "status": "在岗",
    }
    notes = {
        "staff_number": gettext_lazy("Unique within the district."),
        "section": gettext_lazy("Empty: the school's first section."),
    }

    class Meta:
        model = Teacher
        fields = (
            "staff_number", "name", "gender", "birth_date", "school", "section", "subject", "education",
            "certificate_type", "certificate_number", "title", "backbone_level", "is_sports_arts", "hire_date",
            "joined_school_date", "is_head_teacher", "status",
        )

    def may_read_withheld(self):
        return can_see_personal_data(self.user)

    def preload(self, sheet, rows):
        # Teachers who change school: {teacher pk: old school pk}, for the re-evaluation.
        self.moved_from = {}

    def natural_key(self, sheet, row):
        school, number = row.values.get("school"), row.values.get("staff_number")
        return None if school is None or number is None else (school.district_id, number)

    def load_existing(self, sheet, keys):
        queryset = sheet.existing_queryset().filter(district_id__in={district for district, _number in keys})
        return {(t.district_id, t.staff_number): t for t in fetch(queryset, "staff_number", {n for _d, n in keys})}

    def prepare(self, sheet, row, data, instance):
        school = row.values["school"]
        data["district"] = school.district
        if not data.get("section"):
            data["section"] = default_section(school)
        if instance is not None and instance.school_id != school.pk:
            # A teacher who moves counts for both schools' indicators.
            self.moved_from[instance.pk] = instance.school_id

    def schools_touched(self, plan):
        touched = super().schools_touched(plan)
        return touched | {self.moved_from[i.pk] for i, _c in plan.updates if i.pk in self.moved_from}


@register
class TrainingRecordResource(SheetResource):
    kind = "trainings"
    verbose_name = gettext_lazy("Training records")
    key_fields = ("teacher", "course", "date")
    select_related = ("teacher",)
    export_ordering = ("teacher__staff_number", "date", "course")

    teacher = column("teacher", "工号", TeacherWidget())
    course = column("course", "培训课程", TextWidget())
    date = column("date", "培训日期", DateWidget())
    hours = column("hours", "学时", DecimalWidget(number_format="#,##0.0"))  # hours: one decimal, as stored

    example = {"teacher": "T0000001", "course": "新课标解读专题培训", "date": "2025-07-10", "hours": "24"}
    notes = {"hours": gettext_lazy("0.5 to 500 hours.")}

    class Meta:
        model = TrainingRecord
        fields = ("teacher", "course", "date", "hours")


@register
class RotationResource(SheetResource):
    kind = "rotations"
    verbose_name = gettext_lazy("Rotations")
    key_fields = ("teacher", "start_date")
    defaulted_fields = ("from_school",)
    select_related = ("teacher", "from_school", "to_school")
    export_ordering = ("teacher__staff_number", "start_date")

    teacher = column("teacher", "工号", TeacherWidget())
    start_date = column("start_date", "开始日期", DateWidget())
    from_school = column("from_school", "派出学校标识码", SchoolCodeWidget())
    to_school = column("to_school", "接收学校标识码", SchoolCodeWidget())
    kind_ = column("kind", "交流形式", ROTATION_KINDS)
    end_date = column("end_date", "结束日期", DateWidget())

    example = {
        "teacher": "T0000001", "start_date": "2025-09-01", "from_school": "3204020001",
        "to_school": "3204020002", "kind_": "支教", "end_date": "2026-07-15",
    }
    notes = {"from_school": gettext_lazy("Empty: the teacher's school.")}

    class Meta:
        model = Rotation
        fields = ("teacher", "start_date", "from_school", "to_school", "kind_", "end_date")

    def prepare(self, sheet, row, data, instance):
        # As the rotation_create service: the teacher leaves their own school by default.
        data.update(rotation_defaults(teacher=row.values["teacher"], data=data))
