"""How a page shows what a service refused: one helper for every form in the portal."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy, ngettext_lazy

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


# How the portal's forms say a limit. Django's own messages are worded for any value
# ("Ensure this value has at most 100 characters"), and their Chinese reads 确保该变量包含不超过
# 100 字符: "variable" is no word for a school's name. Keyed by the validators' error codes; each
# message gets the validator's own parameters.
LIMIT_MESSAGES = {
    "max_length": ngettext_lazy(
        "Use at most %(limit_value)d character (it has %(show_value)d).",
        "Use at most %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    "min_length": ngettext_lazy(
        "Use at least %(limit_value)d character (it has %(show_value)d).",
        "Use at least %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    "max_value": gettext_lazy("Enter %(limit_value)s or less."),
    "min_value": gettext_lazy("Enter %(limit_value)s or more."),
    "max_digits": ngettext_lazy("Use at most %(max)s digit in all.", "Use at most %(max)s digits in all.", "max"),
    "max_decimal_places": ngettext_lazy(
        "Use at most %(max)s decimal place.", "Use at most %(max)s decimal places.", "max"
    ),
    "max_whole_digits": ngettext_lazy(
        "Use at most %(max)s digit before the decimal point.",
        "Use at most %(max)s digits before the decimal point.",
        "max",
    ),
}


def limit_message(error):
    """The portal's wording of a limit a model validator reported, or None for other errors
    (the spreadsheet engine says a cell's limit as the forms do)."""
    message = LIMIT_MESSAGES.get(error.code)
    if message is None or not error.params:
        return None
    return message % error.params


class PortalMessagesMixin:
    """For every form of the portal: limits said the portal's way (LIMIT_MESSAGES).

    Applied when the form is cleaned, so that fields a form adds or changes in its __init__
    get them too; a message a form sets for a field itself is kept. A ModelForm's model
    errors of the same codes take these messages as well (Django prefers the form field's).
    tests/bureau/test_form_messages.py holds every form with a limited field to it.
    """

    def full_clean(self):
        for field in self.fields.values():
            for code, message in LIMIT_MESSAGES.items():
                field.error_messages.setdefault(code, message)
        super().full_clean()
