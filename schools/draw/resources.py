"""The incoming roster of a class draw as a spreadsheet kind of the engine (bureau/sheets/).

Same template, Chinese headers, widgets and row errors as every other import; the kind is
not listed on the generic import pages (`listed = False`): a roster belongs to one draw and
is imported from that draw's page (schools.draw.services.roster_import), whole or not at all.
"""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bureau.sheets.registry import register
from bureau.sheets.resources import SheetResource, column
from bureau.sheets.widgets import BoolWidget, ChoiceWidget, CodeWidget, DateWidget, TextWidget
from schools.models import IncomingStudent

GENDERS = ChoiceWidget({IncomingStudent.Gender.MALE: "男", IncomingStudent.Gender.FEMALE: "女"})
ROSTER_KIND = "incoming-roster"


@register
class IncomingStudentResource(SheetResource):
    kind = ROSTER_KIND
    verbose_name = gettext_lazy("Incoming roster")
    listed = False
    key_fields = ("number",)

    number = column("number", "报名号", CodeWidget())
    name = column("name", "姓名", TextWidget())
    gender = column("gender", "性别", GENDERS)
    birth_date = column("birth_date", "出生日期", DateWidget())
    inclusive = column("inclusive", "随班就读", BoolWidget())
    left_behind = column("left_behind", "留守儿童", BoolWidget())
    migrant = column("migrant", "随迁子女", BoolWidget())

    example = {
        "number": "2026001", "name": "张小明", "gender": "男", "birth_date": "2020-03-15", "inclusive": "否",
        "left_behind": "否", "migrant": "是",
    }
    notes = {
        "number": gettext_lazy("The registration number, unique in the roster; the public page shows it instead of "
                               "the name."),
        "birth_date": gettext_lazy("Required."),
        "left_behind": gettext_lazy("是 or 否; a child is not both left-behind and migrant."),
    }

    class Meta:
        model = IncomingStudent
        fields = ("number", "name", "gender", "birth_date", "inclusive", "left_behind", "migrant")

    draw = None  # the ClassDraw the roster is for, set by roster_import

    def load_existing(self, sheet, keys):
        # A roster replaces the one before it (roster_import deletes it in the same
        # transaction): every row is new.
        return {}

    def prepare(self, sheet, row, data, instance):
        data["draw"] = self.draw
        birth = data.get("birth_date")
        if birth and (birth > datetime.date.today() or birth.year < datetime.date.today().year - 20):
            sheet.error(row, "birth_date", _("The birth date is not that of a child entering school."))
