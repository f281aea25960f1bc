"""How a page shows what a service refused: one helper for every form in the portal."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from bureau.errors import DomainError


def apply_service_error(form, error, *, field_map=None):
    """Show a service's DomainError or ValidationError on the form, each message on its field.

    Messages for fields the form does not show go to the top of the form, prefixed with the
    field's name, so nothing a service says is lost. `field_map` renames service fields to
    form fields (e.g. password → password1).
    """
    field_map = field_map or {}
    if isinstance(error, DomainError):
        form.add_error(None, str(error))
        return
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, errors in error.message_dict.items():
        target = field_map.get(name, name)
        if target in form.fields:
            form.add_error(target, errors)
        else:
            prefix = "" if name == NON_FIELD_ERRORS else f"{name}: "
            form.add_error(None, [prefix + message for message in errors])


def run_service(form, action, *, field_map=None):
    """Call `action()` (one or more services) in one transaction.

    Returns the action's result (True when it returns nothing), or None after putting the
    refusal on the form, with everything the action wrote rolled back.
    """
    try:
        with transaction.atomic():
            result = action()
    except (DomainError, ValidationError) as error:
        apply = getattr(form, "apply_errors", None)
        if apply is not None:
            apply(error)
        else:
            apply_service_error(form, error, field_map=field_map)
        return None
    return True if result is None else result
