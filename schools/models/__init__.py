from schools.models.calendar import SchoolYear, Term
from schools.models.classes import SchoolClass
from schools.models.draw import ClassBalance, ClassDraw, ClassTransfer, IncomingStudent
from schools.models.org import District, EducationGroup, School, SchoolStage, Section
from schools.models.stats import SchoolYearStat
from schools.models.teachers import (
    ConductRecord,
    EducationLevel,
    Rotation,
    Teacher,
    TeachingAssignment,
    TrainingRecord,
)

__all__ = [
    "ClassBalance",
    "ClassDraw",
    "ClassTransfer",
    "IncomingStudent",
    "ConductRecord",
    "District",
    "EducationGroup",
    "EducationLevel",
    "Rotation",
    "School",
    "SchoolClass",
    "SchoolStage",
    "SchoolYear",
    "SchoolYearStat",
    "Section",
    "Teacher",
    "TeachingAssignment",
    "Term",
    "TrainingRecord",
]
