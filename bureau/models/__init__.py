from bureau.models.accounts import BUREAU_ROLES, Department, InspectorKind, PortalUserManager, Role, User
from bureau.models.audit import AuditLog
from bureau.models.calendar import CalendarDay
from bureau.models.codes import OneTimeCode
from bureau.models.jobs import ImportJob, Job
from bureau.models.notices import Notice
from bureau.models.uploads import EvidenceFile
from bureau.models.workflow import StatusChange

__all__ = [
    "BUREAU_ROLES",
    "AuditLog",
    "CalendarDay",
    "Department",
    "EvidenceFile",
    "ImportJob",
    "InspectorKind",
    "Job",
    "Notice",
    "OneTimeCode",
    "PortalUserManager",
    "Role",
    "StatusChange",
    "User",
]
