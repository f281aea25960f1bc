"""Django admin: every registered model opens for a superuser; records kept by services are read-only."""

import pytest
from django.contrib import admin
from django.urls import reverse

from bureau.models import AuditLog, Job, Role
from bureau.services import audit_record
from tests.factories import SchoolYearStatFactory, TeacherFactory, TrainingRecordFactory, UserFactory

READ_ONLY = {"auditlog", "school", "schoolyearstat", "schoolclass", "teacher", "trainingrecord", "rotation",
             "conductrecord", "teachingassignment", "importjob", "inspectorzone", "zoneschool", "calendarday", "job",
             "monthlytheme", "visit", "rectificationnotice", "inspectorcard"}


@pytest.fixture
def superuser(district):
    return UserFactory(username="root", role=Role.ADMIN, district=district, is_superuser=True, is_staff=True)


@pytest.mark.django_db
def test_every_model_page_opens(client, superuser, school, zone, principal_user):
    teacher = TeacherFactory(school=school)
    TrainingRecordFactory(teacher=teacher)
    SchoolYearStatFactory(school=school)
    audit_record(actor=superuser, action=AuditLog.Action.UPDATE, instance=school, changes={"name": ["a", "b"]})
    Job.objects.create(kind="sheets.purge", key="periodic:sheets.purge", last_error="RuntimeError: boom")
    client.force_login(superuser)
    registered = [m for m in admin.site._registry if m._meta.app_label in ("bureau", "schools", "inspections")]
    assert {m._meta.model_name for m in registered} >= READ_ONLY | {"user", "department", "district", "term"}
    for model in registered:
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        changelist = client.get(reverse(f"{info}_changelist"))
        assert changelist.status_code == 200, info
        first = model._default_manager.first()
        if first is not None:
            assert client.get(reverse(f"{info}_change", args=[first.pk])).status_code == 200, info
        add = client.get(reverse(f"{info}_add"))
        assert add.status_code == (403 if model._meta.model_name in READ_ONLY else 200), info


@pytest.mark.django_db
def test_audit_log_cannot_be_changed_or_deleted(client, superuser, school):
    entry = audit_record(actor=superuser, action=AuditLog.Action.UPDATE, instance=school, changes={})
    client.force_login(superuser)
    url = reverse("admin:bureau_auditlog_change", args=[entry.pk])
    client.post(url, {"note": "tampered"})
    assert client.post(reverse("admin:bureau_auditlog_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.note == ""


@pytest.mark.django_db
def test_admin_is_for_superusers_only(client, admin_user):
    # The bureau admin role manages accounts on the portal's pages, not in Django's admin.
    client.force_login(admin_user)
    response = client.get("/django-admin/")
    assert response.status_code == 302 and "/django-admin/login/" in response["Location"]
