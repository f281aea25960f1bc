"""Notices: a message to an account, in the portal and by mail, sent once per key.

Any app sends one with `notice_send(recipient=…, key=…, title=…, body=…, url=…)` (the
complaints' reminders; the inspections' overdue rectification notices next). The notice
row is written in the caller's transaction; its mail is a background job (bureau/jobs.py)
rung on commit, with the notice's id as its only argument, so that a broker outage or a
killed worker delays a mail but never loses or doubles it: the job sweep rings again, and
the handler claims the mail with a conditional UPDATE before sending.

Titles and bodies are written for their recipient; the caller keeps out of them what the
recipient may not read (a complainant's identity never goes into one).

The mail is a subject/text/html trio of templates, in the portal's language: each kind of
notice (the part of its key before the first ":") may have its own, registered by its app
with `mail_templates(kind, "<app>/mail/<name>")`, which renders `<name>_subject.txt`,
`<name>.txt` and `<name>.html`; a kind without them gets `bureau/mail/notice*`. The html is
escaped like every page; the text is plain.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

from bureau import jobs, refcache
from bureau.models import Notice

MAIL_JOB = "bureau.notice_mail"
DEFAULT_MAIL = "bureau/mail/notice"
_MAIL_TEMPLATES = {}


def mail_templates(kind, name):
    """Mail the notices whose key starts with `kind:` with the trio `name`_subject.txt,
    `name`.txt and `name`.html (an app registers its kinds once, at import)."""
    _MAIL_TEMPLATES[kind] = name
    return name


def notice_mail_render(notice):
    """(subject, text, html) of a notice's mail, in the portal's language."""
    name = _MAIL_TEMPLATES.get(notice.key.split(":", 1)[0], DEFAULT_MAIL)
    context = {
        "notice": notice, "recipient": notice.recipient,
        "link": f"{settings.PORTAL_BASE_URL}{notice.url}" if notice.url else "",
    }
    with override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"{name}_subject.txt", context)
        text = render_to_string(f"{name}.txt", context)
        html = render_to_string(f"{name}.html", context)
    # One line: a header cannot hold a line break (Django refuses one as header injection).
    return " ".join(subject.split())[:250], text.strip() + "\n", html


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
    try:
        subject, text, html = notice_mail_render(notice)
        message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [notice.recipient.email])
        message.attach_alternative(html, "text/html")
        message.send()
    except Exception:
        Notice.objects.filter(pk=notice_id, mailed_at=now).update(mailed_at=None)
        raise
    return True


def notices_for(*, user, limit=50):
    return list(Notice.objects.filter(recipient=user)[:limit])


# A user's unread notices on the home page, cached per user (bureau.refcache.cached_for) and
# forgotten whenever a notice is made, changed or read.
UNREAD_CACHE = "home-notices"
refcache.forget_on_change(UNREAD_CACHE, Notice)


def unread_for(*, user, limit=5):
    return refcache.cached_for(UNREAD_CACHE, f"u{user.pk}:{limit}" if user.pk else None, lambda: list(
        Notice.objects.filter(recipient=user, read_at__isnull=True)[:limit]))


@transaction.atomic
def notices_mark_read(*, user):
    """Mark every unread notice of `user` read; the count."""
    count = Notice.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
    refcache.forget(UNREAD_CACHE)  # an UPDATE sends no post_save
    return count
