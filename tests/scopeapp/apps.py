from django.apps import AppConfig


class ScopeAppConfig(AppConfig):
    """Throwaway models that prove the scope engine and the workflow kit on the policies the
    next apps need (complaints, visits), before those apps exist. Installed by the tests only."""

    name = "tests.scopeapp"
    label = "scopeapp"

    def ready(self):
        from tests.scopeapp import permissions  # noqa: F401
