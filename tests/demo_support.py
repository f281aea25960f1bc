"""One demo load per test module, shared by the demo-data tests of every app."""

from django.db import transaction

from bureau.demo import demo_data_load

SEED = 7


def demo_loaded(django_db_blocker):
    """Load the demo district for a module-scoped fixture and roll it back at the module's end.

    Each test still runs in its own savepoint (the `db` fixture), so a test that reloads
    the data leaves this load as it was for the next test.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo_data_load(seed=SEED, scale="district")
        transaction.set_rollback(True)
