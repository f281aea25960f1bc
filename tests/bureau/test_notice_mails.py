"""Notice mails are subject/text/html trios of templates, one per kind of notice, in Chinese,
the html escaped; a kind without its own trio gets the portal's."""

import pytest
from django.core import mail

from bureau.models import Role
from bureau.notices import _MAIL_TEMPLATES, notice_mail, notice_mail_render, notice_send
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

KINDS = {
    "complaint-due_tomorrow": "【投诉提醒】",
    "complaint-overdue": "【投诉逾期】",
    "rectification-due_soon": "【整改提醒】",
    "rectification-overdue": "【整改逾期】",
    "draw-assigned": "【突击督查】",
}


@pytest.fixture
def person(db):
    return UserFactory(role=Role.STAFF, name="王科员", email="wang@example.org")


def test_every_kind_of_notice_has_its_trio():
    assert set(KINDS) <= set(_MAIL_TEMPLATES)


@pytest.mark.parametrize(("kind", "prefix"), KINDS.items())
def test_each_kind_renders_its_own_chinese_mail(person, kind, prefix, settings):
    settings.PORTAL_BASE_URL = "https://jyj.example.gov.cn"
    notice, _created = notice_send(recipient=person, key=f"{kind}:1:2026-10-08", title="逾期：投诉 TS1（<b>实验小学</b>）",
                                   body="状态：已受理。", url="/complaints/1/", mail=False)
    subject, text, html = notice_mail_render(notice)
    assert subject.startswith(prefix) and "\n" not in subject
    assert "王科员" in text and "状态：已受理。" in text and "/complaints/1/" in text
    assert "<b>实验小学</b>" in text  # plain text: as written
    assert "&lt;b&gt;实验小学&lt;/b&gt;" in html and "<b>实验小学</b>" not in html  # escaped
    assert 'href="https://jyj.example.gov.cn/complaints/1/"' in html
    assert "您好" in text and "在平台中查看" in html  # in the portal's language


def test_a_kind_without_a_trio_gets_the_portals(person):
    notice, _created = notice_send(recipient=person, key="something-new:1", title="新通知", mail=False)
    subject, text, html = notice_mail_render(notice)
    assert subject.startswith("新通知") and "教育局" in subject and "新通知" in text and "<h1>新通知</h1>" in html


def test_the_mail_sent_is_the_trio(person):
    notice, _created = notice_send(recipient=person, key="complaint-overdue:9:2026-10-08", title="逾期：投诉 TS9",
                                   url="/complaints/9/", mail=False)
    assert notice_mail(notice_id=notice.pk)
    [message] = mail.outbox
    assert message.subject.startswith("【投诉逾期】") and message.to == ["wang@example.org"]
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html" and "逾期：投诉 TS9" in html and "逾期：投诉 TS9" in message.body
    assert not notice_mail(notice_id=notice.pk)  # once
