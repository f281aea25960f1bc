"""Notices (bureau/notices.py): one per key, shown to its recipient only, mailed once by a
background job that a failure gives back and a second run does not repeat."""

import pytest
from django.core import mail
from django.urls import reverse

from bureau import notices
from bureau.models import Job, Notice

pytestmark = pytest.mark.django_db


def test_one_notice_and_one_mail_per_key(staff_user, django_capture_on_commit_callbacks):
    staff_user.email = "staff@example.org"
    staff_user.save()
    with django_capture_on_commit_callbacks(execute=True):
        first, created = notices.notice_send(recipient=staff_user, key="k1", title="明日到期", url="/x/")
    again, created_again = notices.notice_send(recipient=staff_user, key="k1", title="明日到期")
    assert created and not created_again and first == again
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "明日到期 · 区县教育局管理平台"  # the portal's trio
    assert notices.notice_mail(notice_id=first.pk) is False  # a second run sends nothing
    assert len(mail.outbox) == 1
    job = Job.objects.get()
    assert job.payload == {"notice": first.pk}  # the job carries an id, nothing else


def test_a_failed_mail_is_given_back_for_the_retry(staff_user, monkeypatch):
    staff_user.email = "staff@example.org"
    staff_user.save()
    notice, _created = notices.notice_send(recipient=staff_user, key="k2", title="逾期", mail=False)

    def refuse(self, *args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(notices.EmailMultiAlternatives, "send", refuse)
    with pytest.raises(OSError):
        notices.notice_mail(notice_id=notice.pk)
    notice.refresh_from_db()
    assert notice.mailed_at is None
    monkeypatch.undo()
    assert notices.notice_mail(notice_id=notice.pk) is True and len(mail.outbox) == 1


def test_an_account_without_an_address_gets_the_notice_only(staff_user):
    notices.notice_send(recipient=staff_user, key="k3", title="通知")
    assert Notice.objects.count() == 1 and not Job.objects.exists()


def test_the_notices_page_shows_ones_own_and_marks_them_read(client, staff_user, leader_user):
    notices.notice_send(recipient=staff_user, key="mine", title="给我的通知")
    notices.notice_send(recipient=leader_user, key="theirs", title="给领导的通知")
    client.force_login(staff_user)
    home = client.get(reverse("home")).content.decode()
    assert "给我的通知" in home and "给领导的通知" not in home
    page = client.get(reverse("accounts:notices")).content.decode()
    assert "给我的通知" in page and "给领导的通知" not in page
    assert client.post(reverse("accounts:notices_read")).status_code == 302
    assert not Notice.objects.filter(recipient=staff_user, read_at__isnull=True).exists()
    assert Notice.objects.filter(recipient=leader_user, read_at__isnull=True).exists()
    assert "给我的通知" not in client.get(reverse("home")).content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("refcache_on")
def test_the_home_page_s_unread_notices_are_cached_and_follow_every_change(client, staff_user,
                                                                          django_assert_max_num_queries):
    client.force_login(staff_user)
    notices.notice_send(recipient=staff_user, key="t:1", title="第一条通知", mail=False)
    assert "第一条通知" in client.get(reverse("home")).content.decode()
    with django_assert_max_num_queries(20) as captured:
        client.get(reverse("home"))
    assert not any("bureau_notice" in query["sql"] for query in captured.captured_queries)  # from the cache
    notices.notice_send(recipient=staff_user, key="t:2", title="第二条通知", mail=False)
    assert "第二条通知" in client.get(reverse("home")).content.decode()  # a new notice shows at once
    client.post(reverse("accounts:notices_read"))
    assert "第二条通知" not in client.get(reverse("home")).content.decode()  # read: gone at once
