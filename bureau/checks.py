"""System checks of the portal's own declarations (run by `manage.py check` and the tests)."""

from django.core import checks


@checks.register()
def scope_declarations(app_configs, **kwargs):
    from bureau.scope import declaration_problems

    return [
        checks.Error(f"{model._meta.label}: {message}", id="bureau.S001", obj=model)
        for model, message in declaration_problems()
    ]
