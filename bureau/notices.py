"""Notices: a message to an account, in the portal and by mail, sent once per key.

Any app sends one with `notice_send(recipient=…, key=…, title=…, body=…, url=…)` (the
complaints' reminders; the inspections' overdue rectification notices next). The notice
row is written in the caller's transaction; its mail is a background job (bureau/jobs.py)
rung on commit, with the notice's id as its only argument, so that a broker outage or a
killed worker delays a mail but never loses or doubles it: the job sweep rings again, and
the handler claims the mail with a conditional UPDATE before sending.

Titles and bodies are written for their recipient; the caller keeps out of them what the
recipient may not read (a complainant's identity never goes into one).
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from bureau import jobs
from bureau.models import Notice

MAIL_JOB = "bureau.notice_mail"


@transaction.atomic
def notice_send(*, recipient, key, title, body="", url="", mail=True):
    """The notice `key` of `recipient`, made now unless it exists; (notice, created)."""
    existing = Notice.objects.filter(recipient=recipient, key=key).first()
    if existing is not None:
        return existing, False
    notice = Notice(recipient=recipient, key=key[:120], title=title[:200], body=body, url=url[:200])
    notice.full_clean()
    try:
        with transaction.atomic():
            notice.save()
    except IntegrityError:
        return Notice.objects.get(recipient=recipient, key=key), False
    if mail and recipient.email:
        jobs.job_enqueue(kind=MAIL_JOB, payload={"notice": notice.pk}, key=f"notice:{notice.pk}")
    return notice, True


@jobs.handler(MAIL_JOB)
def _notice_mail_job(run):
    notice_mail(notice_id=run.payload["notice"])


def notice_mail(*, notice_id):
    """Mail one notice, once: claimed by a conditional UPDATE, given back if the mail fails."""
    now = timezone.now()
    claimed = Notice.objects.filter(pk=notice_id, mailed_at__isnull=True).update(mailed_at=now)
    if not claimed:
        return False
    notice = Notice.objects.select_related("recipient").get(pk=notice_id)
    body = notice.body
    if notice.url:
        body = f"{body}\n\n{settings.PORTAL_BASE_URL}{notice.url}".strip()
    try:
        send_mail(notice.title, body, settings.DEFAULT_FROM_EMAIL, [notice.recipient.email])
    except Exception:
        Notice.objects.filter(pk=notice_id, mailed_at=now).update(mailed_at=None)
        raise
    return True


def notices_for(*, user, limit=50):
    return list(Notice.objects.filter(recipient=user)[:limit])


def unread_for(*, user, limit=5):
    return list(Notice.objects.filter(recipient=user, read_at__isnull=True)[:limit])


@transaction.atomic
def notices_mark_read(*, user):
    """Mark every unread notice of `user` read; the count."""
    return Notice.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
