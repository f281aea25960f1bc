"""Reference data that nearly every page reads and that changes a few times a year, kept in
the cache (Redis in production, shared by every worker) instead of asked of the database on
each request: the terms (the current one comes from the date), a city's child districts (the
scope of every city account), the school years that have statistics.

    terms = refcache.cached("terms", lambda: list(Term.objects.order_by("start_date")))
    refcache.forget_on_change("terms", Term, SchoolYear)

The database stays the truth:

- a change saved or deleted through the ORM forgets the entry at once and again when its
  transaction commits; a value read inside a transaction is never stored (it may hold that
  transaction's changes, which a rollback takes back without a signal);
- writers that bypass the ORM's signals (bulk imports, the demo loader) call `forget_all()`;
- every entry also expires after REFCACHE_SECONDS, the bound on staleness if the cache was
  unreachable when a change tried to forget it;
- with the cache down the value is computed from the database, as if nothing were cached.

Figures that depend on who reads them (a district's counts on the home page, a page of the
school list) are cached per part, under a generation that `forget(name)` ends, so that one
change forgets every part at once:

    counts = refcache.cached_for("home-schools", scope.reach_key(user, School), compute)

REFCACHE_SECONDS = 0 switches it off (the test suite does, so that a page's query count does
not depend on what an earlier request of the test cached; tests/bureau/test_refcache.py
switches it on).
"""

import hashlib
import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

logger = logging.getLogger(__name__)

PREFIX = "refcache:"
_NAMES = set()


def _key(name):
    return PREFIX + name


def cached(name, compute):
    """The cached value of `name`, computed by `compute()` (and stored) when missing."""
    _NAMES.add(name)
    if settings.REFCACHE_SECONDS <= 0:  # switched off
        return compute()
    key = _key(name)
    try:
        value = cache.get(key)
    except Exception:
        logger.info("reference data %s read from the database: the cache does not answer", name)
        return compute()
    if value is None:
        value = compute()
        if transaction.get_connection().in_atomic_block:
            # It may hold this transaction's own changes, which a rollback would take back
            # with no signal to forget them: store only what was read outside a transaction.
            return value
        try:
            cache.set(key, value, settings.REFCACHE_SECONDS)
        except Exception:
            logger.info("reference data %s not cached: the cache does not answer", name)
    return value


_MISSING = object()


def cached_for(name, part, compute):
    """The cached value of `name` for `part` (a string: whose figures, which page), computed
    by `compute()` when missing; `part` None: not cacheable, computed every time.

    The parts are stored under the name's generation, a random token kept at the name's
    own key: forget(name) deletes the token, so every part of the name is forgotten at once
    and a value computed before the change, stored late under the old token, is never read.
    """
    _NAMES.add(name)
    if part is None or settings.REFCACHE_SECONDS <= 0 or transaction.get_connection().in_atomic_block:
        return compute()  # inside a transaction: the value may hold its uncommitted changes
    seconds = settings.REFCACHE_SECONDS
    try:
        generation = cache.get(_key(name))
        if generation is None:
            generation = uuid.uuid4().hex
            if not cache.add(_key(name), generation, seconds):  # another worker made one first
                generation = cache.get(_key(name)) or generation
        key = f"{_key(name)}:{generation}:{hashlib.sha256(part.encode()).hexdigest()[:32]}"
        value = cache.get(key, _MISSING)
    except Exception:
        logger.info("figures %s read from the database: the cache does not answer", name)
        return compute()
    if value is _MISSING:
        value = compute()
        try:
            cache.set(key, value, seconds)
        except Exception:
            logger.info("figures %s not cached: the cache does not answer", name)
    return value


def _delete(*names):
    try:
        cache.delete_many([_key(name) for name in names])
    except Exception:
        logger.warning("reference data %s not forgotten: the cache does not answer (it expires by itself)",
                       ", ".join(names))


def forget(*names):
    """Forget entries now and, inside a transaction, again when it commits."""
    _delete(*names)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _delete(*names))


def forget_all():
    """Forget every entry: for writers that bypass the ORM's signals (bulk inserts)."""
    if _NAMES:
        forget(*sorted(_NAMES))


def forget_on_change(name, *models):
    """Forget `name` whenever a row of one of `models` is saved or deleted."""
    _NAMES.add(name)

    def receiver(sender, **kwargs):
        forget(name)

    for model in models:
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"refcache:{name}:{model._meta.label}:save")
        post_delete.connect(receiver, sender=model, weak=False,
                            dispatch_uid=f"refcache:{name}:{model._meta.label}:delete")
