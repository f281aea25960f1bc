"""Spreadsheet resources (django-import-export): one ModelResource per kind staff keep in files.

The resources define the file format: the Chinese column headers, how each cell is read
(widgets) and written back (export and templates). Both import paths use them:

* our bulk import service (schools/imports.py) reads every cell through these widgets,
  then resolves the lookup columns (school codes, terms, staff numbers) from a few
  preloaded queries and writes with bulk_create / bulk_update;
* django-import-export's own `resource.import_data(dataset)` also works on them (the
  benchmark compares both), one row at a time.

The column headers and the choice labels in cells are the *file format*: a file
exported by a user reading the portal in English must import for a colleague reading it
in Chinese, so they are fixed Chinese strings and deliberately not translated. Every
message shown to a user (errors, hints) is translated.
"""

import csv
import datetime
import io
import re
from decimal import Decimal, InvalidOperation

from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets

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
from schools.permissions import can_see_personal_data

# ---- formula neutralisation -----------------------------------------------------------

# A cell starting with one of these is run as a formula by Excel, LibreOffice or WPS
# (CSV injection, OWASP). django-import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT
# only strips a leading "=", so we prefix a quote ourselves, for every format.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """The one helper for exported cells: a text that a spreadsheet would run as a formula
    gets a leading single quote, so it is shown as the text it is."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def restore_formula_text(value):
    """Undo `neutralise_formula` on import, so an exported file re-imports unchanged."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


# ---- the spreadsheet vocabulary for choices -----------------------------------------

# Internal code → the Chinese label written in files, then extra spellings accepted on import.
CHOICE_LABELS = {
    "stage": {
        SchoolStage.PRIMARY: "小学", SchoolStage.JUNIOR: "初中", SchoolStage.NINE_YEAR: "九年一贯制",
        SchoolStage.COMPLETE: "完全中学", SchoolStage.SENIOR: "普通高中", SchoolStage.SPECIAL: "特殊教育学校",
        SchoolStage.KINDERGARTEN: "幼儿园",
    },
    "location": {School.Location.URBAN: "城区", School.Location.TOWN: "镇区", School.Location.RURAL: "乡村"},
    "ownership": {School.Ownership.PUBLIC: "公办", School.Ownership.PRIVATE: "民办"},
    "school_status": {School.Status.OPEN: "正常", School.Status.CLOSED: "停办", School.Status.MERGED: "已合并"},
    "section": {
        Section.PRIMARY: "小学", Section.JUNIOR: "初中", Section.SENIOR: "高中",
        Section.KINDERGARTEN: "幼儿园", Section.SPECIAL: "特殊教育",
    },
    "gender": {Teacher.Gender.MALE: "男", Teacher.Gender.FEMALE: "女"},
    "education": {
        EducationLevel.SECONDARY: "中专/高中", EducationLevel.COLLEGE: "大专", EducationLevel.BACHELOR: "本科",
        EducationLevel.MASTER: "硕士", EducationLevel.DOCTOR: "博士",
    },
    "certificate_type": {
        Teacher.CertificateType.NONE: "无", Teacher.CertificateType.KINDERGARTEN: "幼儿园",
        Teacher.CertificateType.PRIMARY: "小学", Teacher.CertificateType.JUNIOR: "初级中学",
        Teacher.CertificateType.SENIOR: "高级中学", Teacher.CertificateType.VOCATIONAL: "中职",
    },
    "title": {
        Teacher.Title.NONE: "无", Teacher.Title.THIRD: "三级教师", Teacher.Title.SECOND: "二级教师",
        Teacher.Title.FIRST: "一级教师", Teacher.Title.SENIOR: "高级教师", Teacher.Title.PROFESSOR: "正高级教师",
    },
    "backbone_level": {
        Teacher.Backbone.NONE: "无", Teacher.Backbone.COUNTY: "县级骨干", Teacher.Backbone.CITY: "市级骨干",
        Teacher.Backbone.PROVINCE: "省级骨干", Teacher.Backbone.LEADER: "学科带头人", Teacher.Backbone.MASTER: "名师",
    },
    "teacher_status": {
        Teacher.Status.ACTIVE: "在岗", Teacher.Status.LEAVE: "休假", Teacher.Status.LEFT: "调离",
        Teacher.Status.RETIRED: "退休",
    },
    "rotation_kind": {
        Rotation.Kind.EXCHANGE: "交流", Rotation.Kind.SUPPORT: "支教", Rotation.Kind.SHADOW: "跟岗",
        Rotation.Kind.VISITING: "送教",
    },
}

CHOICE_ALIASES = {
    "stage": {"高中": SchoolStage.SENIOR, "特殊教育": SchoolStage.SPECIAL, "特教": SchoolStage.SPECIAL},
    "location": {"农村": School.Location.RURAL, "城市": School.Location.URBAN, "镇": School.Location.TOWN},
    "school_status": {"办学中": School.Status.OPEN, "撤销": School.Status.CLOSED, "合并": School.Status.MERGED},
    "section": {"特教": Section.SPECIAL, "普通高中": Section.SENIOR},
    "education": {
        "中专": EducationLevel.SECONDARY, "高中": EducationLevel.SECONDARY, "中师": EducationLevel.SECONDARY,
        "专科": EducationLevel.COLLEGE, "大学本科": EducationLevel.BACHELOR, "研究生": EducationLevel.MASTER,
        "硕士研究生": EducationLevel.MASTER, "博士研究生": EducationLevel.DOCTOR,
    },
    "certificate_type": {
        "初中": Teacher.CertificateType.JUNIOR, "高中": Teacher.CertificateType.SENIOR,
        "中等职业学校": Teacher.CertificateType.VOCATIONAL,
    },
    "title": {"未定级": Teacher.Title.NONE},
    "backbone_level": {
        "县级": Teacher.Backbone.COUNTY, "区级骨干": Teacher.Backbone.COUNTY, "市级": Teacher.Backbone.CITY,
        "省级": Teacher.Backbone.PROVINCE,
    },
    "teacher_status": {"离岗": Teacher.Status.LEAVE, "请假": Teacher.Status.LEAVE, "离职": Teacher.Status.LEFT},
}

TRUE_WORDS = {"是", "有", "y", "yes", "true", "1", "√", "✓", "对"}
FALSE_WORDS = {"否", "无", "n", "no", "false", "0", "×", "✗", "不是"}
BOOL_LABELS = ("是", "否")


def is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _shown(value):
    """A cell value as the user typed it, for messages."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return repr(value)
    return str(value).strip()


# ---- widgets ------------------------------------------------------------------------
# Each widget turns a cell into a Python value and raises ValueError with a message that
# says what is wrong with the cell; the import service adds the row and the column.


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, datetime.datetime):
            value = value.date()
        return restore_formula_text(str(value).strip())

    def hint(self):
        return _("text")


# "3.132E+09", "3.13e9": a number the spreadsheet shows in scientific notation.
SCIENTIFIC_RE = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")


class NumberCode(str):
    """A code that arrived as a number cell: if it turns out unknown, its leading zeros
    may be what is missing, and the message says so."""

    from_number = True


class CodeWidget(TextWidget):
    """An identifier typed in a cell (school code, staff number).

    When a code column is not formatted as text, the spreadsheet stores the code as a
    number: leading zeros go, and long codes turn into scientific notation (3.132E+09)
    and lose digits. Say so, instead of reporting a confusing "unknown code".
    """

    def __init__(self, digits=None, **kwargs):
        self.digits = digits
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, bool):
            raise ValueError(_("“%(value)s” is not a code.") % {"value": value})
        if isinstance(value, float):
            raise ValueError(self._lost(value))
        if isinstance(value, int):
            text = NumberCode(value)
        else:
            text = restore_formula_text(str(value).strip())
            if SCIENTIFIC_RE.match(text):
                raise ValueError(self._lost(text))
        if self.digits and text.isdigit() and len(text) < self.digits:
            raise ValueError(
                _("“%(value)s” has %(n)d digits instead of %(digits)d: the leading zeros were lost. "
                  "Format the column as text and type the code again.")
                % {"value": text, "n": len(text), "digits": self.digits}
            )
        return text

    def _lost(self, value):
        return _(
            "“%(value)s” arrived as a number, so the leading zeros and digits of the code were lost. "
            "Format the column as text and type the code again."
        ) % {"value": _shown(value)}

    def hint(self):
        if self.digits:
            return _("%(digits)d digits, in a column formatted as text") % {"digits": self.digits}
        return _("code, in a column formatted as text")


def _parse_number(value):
    """Decimal of a cell, or ValueError saying it is not a number."""
    if isinstance(value, bool):
        raise ValueError(_("“%(value)s” is not a number.") % {"value": value})
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = str(value).strip().replace(",", "").replace("，", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("“%(value)s” is not a number.") % {"value": _shown(value)}) from None
    if not number.is_finite():
        raise ValueError(_("“%(value)s” is not a number.") % {"value": _shown(value)})
    return number


class IntWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        number = _parse_number(value)
        if number != number.to_integral_value():
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": _shown(value)})
        # Bound the size before int(): range checks are the model validators' job.
        if abs(number) >= 10**15:
            raise ValueError(_("“%(value)s” is too large.") % {"value": _shown(value)})
        return int(number)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value if kwargs.get("force_native_type") else str(value)

    def hint(self):
        return _("whole number")


class DecimalWidget(widgets.DecimalWidget):
    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        number = _parse_number(value)
        if abs(number) >= 10**15:
            raise ValueError(_("“%(value)s” is too large.") % {"value": _shown(value)})
        return number

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value if kwargs.get("force_native_type") else format(value, "f")

    def hint(self):
        return _("number")


DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d", "%Y-%m-%d %H:%M:%S")


class DateWidget(widgets.DateWidget):
    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip()
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            pass
        for fmt in DATE_FORMATS:
            try:
                return datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(_("“%(value)s” is not a date; write it as 2025-09-01.") % {"value": _shown(value)})

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        return value if kwargs.get("force_native_type") else value.strftime("%Y-%m-%d")

    def hint(self):
        return _("date, e.g. 2025-09-01")


class BoolWidget(widgets.BooleanWidget):
    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)) and value in (0, 1):
            return bool(value)
        text = str(value).strip().lower()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise ValueError(
            _("Unknown value “%(value)s”. Allowed: %(allowed)s.") % {"value": _shown(value), "allowed": "是、否"}
        )

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return BOOL_LABELS[0] if value else BOOL_LABELS[1]

    def hint(self):
        return _("是 or 否")


class ChoiceWidget(widgets.Widget):
    """A choice typed as its Chinese label (小学), its internal code (primary) or its label
    in the portal's languages; written back as the Chinese label."""

    def __init__(self, vocabulary, **kwargs):
        self.vocabulary = vocabulary
        self._index = None
        super().__init__(**kwargs)

    @property
    def labels(self):
        return CHOICE_LABELS[self.vocabulary]

    def _lookup(self):
        """{spelling: code}, built once: codes, Chinese labels, aliases, and the labels in
        each of the portal's languages."""
        if self._index is None:
            from django.conf import settings

            index = {}
            for code, label in self.labels.items():
                index[str(code).lower()] = str(code)
                for language, _name in settings.LANGUAGES:
                    with translation.override(language):
                        index[str(code.label).lower()] = str(code)
                index[label] = str(code)
            for alias, code in CHOICE_ALIASES.get(self.vocabulary, {}).items():
                index[alias] = str(code)
            index.pop("", None)
            self._index = index
        return self._index

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        text = str(value).strip()
        index = self._lookup()
        code = index.get(text, index.get(text.lower()))
        if code is None:
            raise ValueError(
                _("Unknown value “%(value)s”. Allowed: %(allowed)s.")
                % {"value": text, "allowed": self.allowed()}
            )
        return code

    def render(self, value, obj=None, **kwargs):
        if value is None or value == "":
            return ""
        return self.labels.get(value, value)

    def allowed(self):
        return "、".join(label for label in self.labels.values())

    def hint(self):
        return _("one of: %(allowed)s") % {"allowed": self.allowed()}


class LookupWidget(widgets.ForeignKeyWidget):
    """A column naming another record (a school by its code, a term as 2025-2026-1).

    `key()` reads the cell into the lookup key; our import service resolves keys from a
    preloaded dictionary, django-import-export's row-by-row path through `clean()`.
    """

    key_widget = None
    unknown_message = gettext_lazy("Unknown value “%(value)s”.")

    def key(self, value):
        return self.key_widget.clean(value)

    def clean(self, value, row=None, **kwargs):
        key = self.key(value)
        if key is None:
            return None
        try:
            return self.get_queryset(value, row).get(**self.lookup_kwargs(key))
        except self.model.DoesNotExist:
            raise ValueError(unknown_code_message(self.unknown_message % {"value": self.show_key(key)}, key)) from None
        except self.model.MultipleObjectsReturned:
            raise ValueError(_("“%(value)s” matches several records.") % {"value": self.show_key(key)}) from None

    def lookup_kwargs(self, key):
        return {self.field: key}

    def show_key(self, key):
        return str(key)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return getattr(value, self.field)

    def hint(self):
        return self.key_widget.hint()


def unknown_code_message(message, code):
    """`message` about an unknown code, plus the likely reason when the cell was a number."""
    if getattr(code, "from_number", False):
        return message + " " + _(
            "The cell holds a number, not text: if the code starts with zeros or was shown as 3.13E+09, "
            "its leading zeros and digits were lost. Format the column as text and type the code again."
        )
    return message


class SchoolCodeWidget(LookupWidget):
    key_widget = CodeWidget(digits=10)
    unknown_message = gettext_lazy("Unknown school code %(value)s.")

    def __init__(self, **kwargs):
        super().__init__(School, field="code", **kwargs)


class DistrictCodeWidget(LookupWidget):
    key_widget = CodeWidget()
    unknown_message = gettext_lazy("Unknown district code %(value)s.")

    def __init__(self, **kwargs):
        super().__init__(District, field="code", **kwargs)


class GroupWidget(LookupWidget):
    key_widget = TextWidget()
    unknown_message = gettext_lazy("Unknown education group “%(value)s”.")

    def __init__(self, **kwargs):
        super().__init__(EducationGroup, field="name", **kwargs)


class TeacherWidget(LookupWidget):
    key_widget = CodeWidget()
    unknown_message = gettext_lazy("Unknown staff number %(value)s.")

    def __init__(self, **kwargs):
        super().__init__(Teacher, field="staff_number", **kwargs)

    def hint(self):
        return _("staff number of a teacher in the district")


SCHOOL_YEAR_RE = re.compile(r"^(\d{4})\s*(?:[-–—/至]\s*(\d{4}))?\s*(?:学年)?$")
TERM_RE = re.compile(r"^(\d{4})\s*[-–—/]\s*(\d{4})\s*[-–—/]\s*([12])$")
TERM_NAMED_RE = re.compile(r"^(\d{4})\s*[-–—/]\s*(\d{4})\s*学年\s*第?\s*([一二12])\s*学期$")


def _school_year_start(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and 1900 < value < 2200:
            return int(value)
        raise ValueError(_("“%(value)s” is not a school year; write it as 2025-2026.") % {"value": _shown(value)})
    match = SCHOOL_YEAR_RE.match(str(value).strip())
    if not match or (match.group(2) and int(match.group(2)) != int(match.group(1)) + 1):
        raise ValueError(_("“%(value)s” is not a school year; write it as 2025-2026.") % {"value": _shown(value)})
    return int(match.group(1))


class SchoolYearWidget(LookupWidget):
    unknown_message = gettext_lazy("The school year %(value)s does not exist in the portal yet.")

    def __init__(self, **kwargs):
        super().__init__(SchoolYear, field="start_year", **kwargs)

    def key(self, value):
        return None if is_blank(value) else _school_year_start(value)

    def show_key(self, key):
        return f"{key}-{key + 1}"

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else self.show_key(value.start_year)

    def hint(self):
        return _("school year, e.g. 2025-2026")


class TermWidget(LookupWidget):
    unknown_message = gettext_lazy("The term %(value)s does not exist in the portal yet.")

    def __init__(self, **kwargs):
        super().__init__(Term, field="pk", **kwargs)

    def key(self, value):
        if is_blank(value):
            return None
        text = str(value).strip()
        match = TERM_RE.match(text) or TERM_NAMED_RE.match(text)
        if not match or int(match.group(2)) != int(match.group(1)) + 1:
            raise ValueError(
                _("“%(value)s” is not a term; write it as 2025-2026-1 (first term) or 2025-2026-2.")
                % {"value": text}
            )
        number = {"一": 1, "二": 2}.get(match.group(3)) or int(match.group(3))
        return (int(match.group(1)), number)

    def lookup_kwargs(self, key):
        return {"school_year__start_year": key[0], "number": key[1]}

    def show_key(self, key):
        return f"{key[0]}-{key[0] + 1}-{key[1]}"

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else self.show_key((value.school_year.start_year, value.number))

    def hint(self):
        return _("term, e.g. 2025-2026-1")


# ---- resources ----------------------------------------------------------------------


def column(attribute, header, widget, **kwargs):
    return fields.Field(attribute=attribute, column_name=header, widget=widget, **kwargs)


def blank_value(model_field):
    """What an empty cell means for a model field: its default (0, no…), else null, else
    empty text. The same for our import path and django-import-export's."""
    if model_field.has_default():
        return model_field.get_default()
    if model_field.null:
        return None
    if isinstance(model_field, (models.CharField, models.TextField)):
        return ""
    return None


class SheetResource(resources.ModelResource):
    """What every kind of spreadsheet shares: Chinese headers, validation on the row-by-row
    path too, and the description the import service and the templates read.

    kind          the name used in URLs and on import jobs
    key_fields    the natural key (resource field names); rows upsert on it
    example       one example row for the template, by field name
    notes         extra help per field for the template's notes sheet
    """

    kind = ""
    verbose_name = ""
    key_fields = ()
    example = {}
    notes = {}
    # Model fields that are required but that the import fills in when the cell is empty.
    defaulted_fields = ()
    # Fields a user's role may not read are exported empty (the column stays, so that the
    # file has the same shape for everyone).
    personal_fields = ()

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        model_fields = {f.name: f for f in self._meta.model._meta.concrete_fields}
        for field in self.fields.values():
            model_field = model_fields.get(field.attribute)
            if model_field is not None and not model_field.is_relation:
                # Field.clean() returns this for an empty cell (django-import-export's path).
                field.default = lambda model_field=model_field: blank_value(model_field)

    @classmethod
    def ordered_fields(cls):
        """(name, field) in file order (Meta.fields); `cls.fields` is in model order."""
        return [(name, cls.fields[name]) for name in cls._meta.fields]

    @classmethod
    def headers(cls):
        return [field.column_name for _name, field in cls.ordered_fields()]

    @classmethod
    def required_fields(cls):
        """The key columns and the model fields that have neither a default nor blank=True."""
        required = list(cls.key_fields)
        model_fields = {f.name: f for f in cls._meta.model._meta.concrete_fields}
        for name, field in cls.ordered_fields():
            model_field = model_fields.get(field.attribute)
            if name in required or model_field is None or field.readonly or name in cls.defaulted_fields:
                continue
            if not model_field.blank and not model_field.has_default() and not model_field.null:
                required.append(name)
        return required

    def export_field(self, field, instance, **kwargs):
        name = self.get_field_name(field)
        if name in self.personal_fields and not can_see_personal_data(self.user):
            return ""
        return super().export_field(field, instance, **kwargs)


class SchoolResource(SheetResource):
    kind = "schools"
    verbose_name = gettext_lazy("Schools")
    key_fields = ("code",)
    defaulted_fields = ("district",)

    code = column("code", "学校标识码", CodeWidget(digits=10))
    name = column("name", "学校名称", TextWidget())
    stage = column("stage", "学段", ChoiceWidget("stage"))
    location = column("location", "城乡", ChoiceWidget("location"))
    ownership = column("ownership", "办学性质", ChoiceWidget("ownership"))
    is_boarding = column("is_boarding", "寄宿制", BoolWidget())
    is_village_full = column("is_village_full", "村完小", BoolWidget())
    district = column("district", "区县代码", DistrictCodeWidget())
    group = column("group", "教育集团", GroupWidget())
    address = column("address", "地址", TextWidget())
    principal_name = column("principal_name", "校长", TextWidget())
    phone = column("phone", "联系电话", TextWidget())
    status = column("status", "办学状态", ChoiceWidget("school_status"))

    example = {
        "code": "3204020001", "name": "天宁区实验小学", "stage": "小学", "location": "城区", "ownership": "公办",
        "is_boarding": "否", "is_village_full": "否", "district": "", "group": "", "address": "天宁区局前街1号",
        "principal_name": "王校长", "phone": "0519-88000000", "status": "正常",
    }
    notes = {
        "district": gettext_lazy("Leave empty to use your own district; needed only for a city-level account."),
        "group": gettext_lazy("Name of an existing education group of the same district, or empty."),
    }

    class Meta(SheetResource.Meta):
        model = School
        fields = (
            "code", "name", "stage", "location", "ownership", "is_boarding", "is_village_full", "district", "group",
            "address", "principal_name", "phone", "status",
        )
        import_id_fields = ("code",)


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


class _StatMeta(SheetResource.Meta):
    model = SchoolYearStat
    fields = ("school", "school_year", *(name for name, _header, _widget in STAT_COLUMNS))
    import_id_fields = ("school", "school_year")


# Built with the resource metaclass so the thirty-odd statistics columns are declared from
# STAT_COLUMNS (one list) rather than written out twice.
SchoolYearStatResource = type(SheetResource)("SchoolYearStatResource", (SheetResource,), {
    "__module__": __name__,
    "__doc__": "Yearly statistics of a school (one row per school per school year).",
    "kind": "stats",
    "verbose_name": gettext_lazy("Yearly statistics"),
    "key_fields": ("school", "school_year"),
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
})


class SchoolClassResource(SheetResource):
    kind = "classes"
    verbose_name = gettext_lazy("Classes")
    key_fields = ("school", "term", "grade", "number")

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

    class Meta(SheetResource.Meta):
        model = SchoolClass
        fields = (
            "school", "term", "grade", "number", "boys", "girls", "head_teacher", "equipment_value",
            "is_starting_grade",
        )
        import_id_fields = ("school", "term", "grade", "number")


class TeacherResource(SheetResource):
    kind = "teachers"
    verbose_name = gettext_lazy("Teachers")
    # The staff number is unique within a district; the district is the school's.
    key_fields = ("staff_number",)
    defaulted_fields = ("section",)
    personal_fields = ("birth_date", "certificate_number")

    staff_number = column("staff_number", "工号", CodeWidget())
    name = column("name", "姓名", TextWidget())
    gender = column("gender", "性别", ChoiceWidget("gender"))
    birth_date = column("birth_date", "出生日期", DateWidget())
    school = column("school", "学校标识码", SchoolCodeWidget())
    section = column("section", "任教学段", ChoiceWidget("section"))
    subject = column("subject", "任教学科", TextWidget())
    education = column("education", "学历", ChoiceWidget("education"))
    certificate_type = column("certificate_type", "教师资格证类型", ChoiceWidget("certificate_type"))
    certificate_number = column("certificate_number", "教师资格证号码", CodeWidget())
    title = column("title", "职称", ChoiceWidget("title"))
    backbone_level = column("backbone_level", "骨干级别", ChoiceWidget("backbone_level"))
    is_sports_arts = column("is_sports_arts", "体育艺术教师", BoolWidget())
    hire_date = column("hire_date", "参加工作日期", DateWidget())
    joined_school_date = column("joined_school_date", "调入本校日期", DateWidget())
    is_head_teacher = column("is_head_teacher", "班主任", BoolWidget())
    status = column("status", "在岗状态", ChoiceWidget("teacher_status"))

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

    class Meta(SheetResource.Meta):
        model = Teacher
        fields = (
            "staff_number", "name", "gender", "birth_date", "school", "section", "subject", "education",
            "certificate_type", "certificate_number", "title", "backbone_level", "is_sports_arts", "hire_date",
            "joined_school_date", "is_head_teacher", "status",
        )
        import_id_fields = ("staff_number",)

    # django-import-export's row-by-row path: the natural key is (district, staff number),
    # the district being the school's.
    def get_instance(self, instance_loader, row):
        school = self.fields["school"].clean(row)
        number = self.fields["staff_number"].clean(row)
        if school is None or number is None:
            return None
        return Teacher.objects.filter(district_id=school.district_id, staff_number=number).first()

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if instance.school_id:
            instance.district_id = instance.school.district_id
        if not instance.section and instance.school_id:
            instance.section = instance.school.sections[0]


class TrainingRecordResource(SheetResource):
    kind = "trainings"
    verbose_name = gettext_lazy("Training records")
    key_fields = ("teacher", "course", "date")

    teacher = column("teacher", "工号", TeacherWidget())
    course = column("course", "培训课程", TextWidget())
    date = column("date", "培训日期", DateWidget())
    hours = column("hours", "学时", DecimalWidget())

    example = {"teacher": "T0000001", "course": "新课标解读专题培训", "date": "2025-07-10", "hours": "24"}
    notes = {"hours": gettext_lazy("0.5 to 500 hours.")}

    class Meta(SheetResource.Meta):
        model = TrainingRecord
        fields = ("teacher", "course", "date", "hours")
        import_id_fields = ("teacher", "course", "date")


class RotationResource(SheetResource):
    kind = "rotations"
    verbose_name = gettext_lazy("Rotations")
    key_fields = ("teacher", "start_date")
    defaulted_fields = ("from_school",)

    teacher = column("teacher", "工号", TeacherWidget())
    start_date = column("start_date", "开始日期", DateWidget())
    from_school = column("from_school", "派出学校标识码", SchoolCodeWidget())
    to_school = column("to_school", "接收学校标识码", SchoolCodeWidget())
    kind_ = column("kind", "交流形式", ChoiceWidget("rotation_kind"))
    end_date = column("end_date", "结束日期", DateWidget())

    example = {
        "teacher": "T0000001", "start_date": "2025-09-01", "from_school": "3204020001",
        "to_school": "3204020002", "kind_": "支教", "end_date": "2026-07-15",
    }
    notes = {"from_school": gettext_lazy("Empty: the teacher's school.")}

    class Meta(SheetResource.Meta):
        model = Rotation
        fields = ("teacher", "start_date", "from_school", "to_school", "kind_", "end_date")
        import_id_fields = ("teacher", "start_date")


RESOURCES = {
    resource.kind: resource
    for resource in (
        SchoolResource, SchoolYearStatResource, SchoolClassResource, TeacherResource, TrainingRecordResource,
        RotationResource,
    )
}
KIND_CHOICES = [(kind, resource.verbose_name) for kind, resource in RESOURCES.items()]


def resource_for(kind):
    try:
        return RESOURCES[kind]
    except KeyError:
        raise LookupError(kind) from None


# ---- export and templates -----------------------------------------------------------

EXPORT_SELECT_RELATED = {
    "schools": ("district", "group"),
    "stats": ("school", "school_year"),
    "classes": ("school", "term__school_year", "head_teacher"),
    "teachers": ("school",),
    "trainings": ("teacher",),
    "rotations": ("teacher", "from_school", "to_school"),
}
EXPORT_ORDERING = {
    "schools": ("code",),
    "stats": ("school__code", "school_year__start_year"),
    "classes": ("school__code", "term__school_year__start_year", "term__number", "grade", "number"),
    "teachers": ("school__code", "staff_number"),
    "trainings": ("teacher__staff_number", "date", "course"),
    "rotations": ("teacher__staff_number", "start_date"),
}

FORMATS = ("xlsx", "csv")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def export_queryset(*, kind, user):
    """The records of one kind the user may read, in file order (scoped by visible_to)."""
    resource_class = resource_for(kind)
    model = resource_class._meta.model
    return (
        model.objects.visible_to(user)
        .select_related(*EXPORT_SELECT_RELATED[kind])
        .order_by(*EXPORT_ORDERING[kind])
    )


def export_rows(*, kind, user, native):
    """(headers, rows) of the user's records: the resource's export, formulas neutralised.

    `native` keeps numbers and dates as such (xlsx); otherwise every cell is text (csv).
    """
    resource = resource_for(kind)(user=user)
    dataset = resource.export(export_queryset(kind=kind, user=user), force_native_type=native)
    rows = ([neutralise_formula(cell) for cell in row] for row in dataset)
    return [neutralise_formula(h) for h in dataset.headers], rows


def template_rows(*, kind):
    """(headers, example row, notes rows) of a kind's template."""
    resource_class = resource_for(kind)
    required = set(resource_class.required_fields())
    headers = resource_class.headers()
    example = [resource_class.example.get(name, "") for name, _field in resource_class.ordered_fields()]
    notes = []
    for name, field in resource_class.ordered_fields():
        hint = field.widget.hint() if hasattr(field.widget, "hint") else ""
        extra = resource_class.notes.get(name, "")
        notes.append([
            field.column_name,
            _("required") if name in required else _("optional"),
            hint,
            str(extra),
        ])
    return headers, example, notes


def code_columns(kind):
    """1-based indexes of the columns holding codes, formatted as text in xlsx files so
    that spreadsheets keep their leading zeros."""
    resource_class = resource_for(kind)
    return [
        index
        for index, (_name, field) in enumerate(resource_class.ordered_fields(), 1)
        if isinstance(field.widget, (CodeWidget, LookupWidget)) and not isinstance(field.widget, SchoolYearWidget)
    ]


def write_csv(headers, rows):
    """CSV bytes as Excel on a Chinese Windows reads them: UTF-8 with a BOM, CRLF."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx(sheets):
    """xlsx bytes of [(title, headers, rows, text_columns)].

    Code columns are formatted as text for the whole column, so that a code a user types
    or pastes there keeps its leading zeros.
    """
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook(write_only=True)
    for title, headers, rows, text_columns in sheets:
        sheet = book.create_sheet(title)
        for index, header in enumerate(headers, 1):
            dimension = sheet.column_dimensions[get_column_letter(index)]
            dimension.width = max(10, min(40, 2 * len(str(header)) + 4))
            if index in text_columns:
                dimension.number_format = "@"
        sheet.freeze_panes = "A2"
        header_cells = []
        for header in headers:
            cell = WriteOnlyCell(sheet, value=header)
            cell.font = Font(bold=True)
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in rows:
            cells = []
            for index, value in enumerate(row, 1):
                if index in text_columns and value not in (None, ""):
                    cell = WriteOnlyCell(sheet, value=str(value))
                    cell.data_type = "s"
                    cell.number_format = "@"
                    cells.append(cell)
                else:
                    cells.append(value)
            sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export_file(*, kind, fmt, user):
    """(bytes, file name) of the user's records of one kind."""
    resource_class = resource_for(kind)
    headers, rows = export_rows(kind=kind, user=user, native=fmt == "xlsx")
    stamp = datetime.date.today().strftime("%Y%m%d")
    name = f"{resource_class.verbose_name}-{stamp}.{fmt}"
    if fmt == "csv":
        return write_csv(headers, rows), name
    return write_xlsx([(str(resource_class.verbose_name), headers, rows, code_columns(kind))]), name


def template_file(*, kind, fmt):
    """(bytes, file name) of the template of one kind: headers and an example row, and in
    xlsx a second sheet explaining every column."""
    resource_class = resource_for(kind)
    headers, example, notes = template_rows(kind=kind)
    name = _("template-%(kind)s.%(fmt)s") % {"kind": resource_class.verbose_name, "fmt": fmt}
    if fmt == "csv":
        return write_csv(headers, [example]), name
    note_headers = [_("Column"), _("Required"), _("Format or allowed values"), _("Notes")]
    guide = [[_("Delete the example row before importing. Code columns are formatted as text: keep them so, "
                "or the leading zeros of the codes are lost."), "", "", ""]]
    return write_xlsx([
        (str(resource_class.verbose_name), headers, [example], code_columns(kind)),
        (_("Notes"), note_headers, notes + [["", "", "", ""]] + guide, []),
    ]), name
