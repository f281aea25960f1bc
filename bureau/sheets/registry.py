"""The kinds of spreadsheet the portal knows: each app registers its resources here.

Apps declare their kinds in their `resources.py` and register them with `register`; the
registry imports every app's `resources` module the first time it is asked, the way the
admin finds `admin.py`, so that bureau never names a domain app.
"""

import threading

from django.utils.module_loading import autodiscover_modules

_KINDS = {}
_discovered = False
_discovering = threading.Lock()


def register(resource_class):
    """Class decorator: make a resource's kind importable and exportable."""
    kind = resource_class.kind
    if not kind:
        raise ValueError(f"{resource_class.__name__} declares no kind")
    known = _KINDS.get(kind)
    if known is not None and known.__qualname__ != resource_class.__qualname__:
        raise ValueError(f"spreadsheet kind {kind!r} is declared twice: {known.__qualname__}, {resource_class.__qualname__}")
    _KINDS[kind] = resource_class
    return resource_class


def unregister(kind):
    """For tests that declare a throwaway kind."""
    _KINDS.pop(kind, None)


def _discover():
    global _discovered
    if _discovered:
        return
    # Once per process; a second request thread waits rather than see half the kinds.
    with _discovering:
        if not _discovered:
            autodiscover_modules("resources")
            _discovered = True


def kinds():
    """{kind: resource class} of the kinds the import and export pages offer, in the order the
    apps declared them. A kind with `listed = False` is imported only through its own page
    (a class draw's roster), so it is left out here and refused by the generic upload."""
    _discover()
    return {kind: resource for kind, resource in _KINDS.items() if resource.listed}


def resource_for(kind):
    _discover()
    try:
        return _KINDS[kind]
    except KeyError:
        raise LookupError(kind) from None


def kind_label(kind):
    resource = kinds().get(kind)
    return resource.verbose_name if resource is not None else kind
