"""A parent registers with its real name and a mobile number confirmed by a one-time code,
and resets a forgotten password the same way (issue 9; DESIGN.md "Public pages and parent
accounts"). Codes expire, are used once, and are rate-limited per number and per address."""

import datetime
import re

import pytest
from django.urls import reverse

from bureau import codes, sms
from bureau.models import OneTimeCode, Role, User

pytestmark = pytest.mark.django_db
PASSWORD = "Changzhou-2026!"


@pytest.fixture(autouse=True)
def outbox(settings):
    settings.SMS_BACKEND = "bureau.sms.LocmemSender"
    sms.outbox.clear()
    return sms.outbox


def last_code(outbox):
    return re.search(r"\d{6}", outbox[-1]["message"]).group()


def test_a_parent_registers_with_a_confirmed_number(client, outbox):
    response = client.post(reverse("register"), {"step": "start", "name": "王丽", "mobile": "139 1234 5678"})
    assert response.status_code == 302
    assert outbox[-1]["mobile"] == "13912345678"
    page = client.get(reverse("register")).content.decode()
    assert "139****5678" in page
    response = client.post(reverse("register"), {"code": last_code(outbox), "password1": PASSWORD,
                                                 "password2": PASSWORD}, follow=True)
    user = User.objects.get(username="13912345678")
    assert (user.role, user.name, user.mobile) == (Role.PARENT, "王丽", "13912345678")
    assert response.context["user"] == user  # logged in at once
    assert not OneTimeCode.objects.filter(code_hash__contains=last_code(outbox)).exists()  # only a hash is kept
    # The number logs in.
    client.logout()
    response = client.post(reverse("login"), {"username": "13912345678", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_a_wrong_code_is_refused_and_counted_then_the_code_stops(client, outbox, settings, english):
    client.post(reverse("register"), {"step": "start", "name": "王丽", "mobile": "13912345678"})
    for _n in range(settings.OTP_MAX_ATTEMPTS):
        response = client.post(reverse("register"), {"code": "000000" if last_code(outbox) != "000000" else "111111",
                                                     "password1": PASSWORD, "password2": PASSWORD})
        assert response.status_code == 400 and "The code is wrong." in response.content.decode()
    response = client.post(reverse("register"), {"code": last_code(outbox), "password1": PASSWORD,
                                                 "password2": PASSWORD})
    assert "Too many wrong codes" in response.content.decode()
    assert not User.objects.filter(username="13912345678").exists()


def test_codes_expire(client, outbox, monkeypatch, english):
    client.post(reverse("register"), {"step": "start", "name": "王丽", "mobile": "13912345678"})
    OneTimeCode.objects.update(expires_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    response = client.post(reverse("register"), {"code": last_code(outbox), "password1": PASSWORD,
                                                 "password2": PASSWORD})
    assert "expired" in response.content.decode()


def test_a_code_is_used_once():
    codes.code_send(mobile="13912345678", purpose="register", address="10.0.0.1")
    code = re.search(r"\d{6}", sms.outbox[-1]["message"]).group()
    codes.code_check(mobile="13912345678", purpose="register", code=code)
    with pytest.raises(codes.CodeError):
        codes.code_check(mobile="13912345678", purpose="register", code=code)


def test_rate_limits_per_number_and_per_address(settings, english):
    settings.OTP_RESEND_SECONDS = 0
    settings.OTP_PER_NUMBER_PER_HOUR = 3
    settings.OTP_PER_ADDRESS_PER_HOUR = 5
    for _n in range(3):
        codes.code_send(mobile="13900000001", purpose="register", address="10.0.0.1")
    with pytest.raises(codes.CodeError, match="Too many"):
        codes.code_send(mobile="13900000001", purpose="register", address="10.0.0.2")
    codes.code_send(mobile="13900000002", purpose="register", address="10.0.0.1")
    codes.code_send(mobile="13900000003", purpose="register", address="10.0.0.1")
    with pytest.raises(codes.CodeError, match="Too many"):
        codes.code_send(mobile="13900000004", purpose="register", address="10.0.0.1")
    codes.code_send(mobile="13900000004", purpose="register", address="10.0.0.9")  # another address may


def test_no_second_code_within_the_resend_wait(english):
    codes.code_send(mobile="13900000001", purpose="register", address="10.0.0.1")
    with pytest.raises(codes.CodeError, match="just now"):
        codes.code_send(mobile="13900000001", purpose="register", address="10.0.0.1")


def test_a_registered_number_cannot_register_again(client, parent_user, english):
    response = client.post(reverse("register"), {"step": "start", "name": "王丽", "mobile": parent_user.mobile})
    assert response.status_code == 400 and "registered already" in response.content.decode()


def test_bad_input_says_what_and_where(client, outbox, english):
    response = client.post(reverse("register"), {"step": "start", "name": "", "mobile": "12345"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"name"} or "mobile" in response.context["form"].errors
    response = client.post(reverse("register"), {"step": "start", "name": "王丽", "mobile": "12345"})
    assert "11-digit" in response.content.decode()
    assert not outbox


def test_forgot_password_with_a_code(client, outbox):
    parent = User.objects.create_user(username="13912345678", mobile="13912345678", role=Role.PARENT, name="王丽",
                                      password="Old-password-2025")
    assert client.post(reverse("password_forgot"), {"step": "start", "mobile": "13912345678"}).status_code == 302
    response = client.post(reverse("password_forgot"), {"code": last_code(outbox), "password1": PASSWORD,
                                                        "password2": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    parent.refresh_from_db()
    assert parent.check_password(PASSWORD)


def test_forgot_password_says_the_same_for_an_unknown_number_and_sends_nothing(client, outbox, staff_user):
    staff_user.mobile = "13911112222"
    staff_user.save()
    for mobile in ("13900009999", "13911112222"):  # nobody's, and a staff account's (reset by the administrator)
        response = client.post(reverse("password_forgot"), {"step": "start", "mobile": mobile}, follow=True)
        assert response.status_code == 200 and f"{mobile[:3]}****{mobile[-4:]}" in response.content.decode()
        client.session.flush()
    assert not outbox
    assert OneTimeCode.objects.count() == 2  # they still count towards the limits


def test_the_console_sender_prints_the_code(settings, capsys):
    settings.SMS_BACKEND = "bureau.sms.ConsoleSender"
    code = codes.code_send(mobile="13912345678", purpose="register", address="10.0.0.1")
    printed = capsys.readouterr().out
    assert "[SMS to 13912345678]" in printed and code in printed
