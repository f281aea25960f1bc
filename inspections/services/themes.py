"""Writes of the themed calendar: the 督导室 keeps a year of monthly themes and their checklists."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bureau.errors import DomainError
from bureau.models import AuditLog
from bureau.services import audit_record, model_create, model_update
from inspections.models import ChecklistItem, MonthlyTheme
from inspections.permissions import can_plan_inspections
from inspections.theme_defaults import DEFAULT_THEMES

ITEM_FIELDS = ("code", "text", "source")


def _require_keeper(by, district):
    if not can_plan_inspections(by, district.pk):
        raise DomainError(_("Only the inspection office (督导室) and administrators keep the themed calendar of this district."))


def _item_rows(theme, items):
    rows = []
    for ordering, item in enumerate(items):
        row = ChecklistItem(theme=theme, ordering=ordering, **{name: item[name] for name in ITEM_FIELDS})
        row.full_clean(exclude=["theme"], validate_unique=False)
        rows.append(row)
    return rows


def _check_codes(items):
    codes = [item["code"] for item in items]
    repeated = sorted({code for code in codes if codes.count(code) > 1})
    if repeated:
        raise ValidationError({"items": _("Each item needs its own code; repeated: %(codes)s.") % {"codes": "、".join(repeated)}})


@transaction.atomic
def theme_create(*, district, year, month, title, description="", items=(), by):
    _require_keeper(by, district)
    if MonthlyTheme.objects.filter(district=district, year=year, month=month).exists():
        raise ValidationError({"month": _("%(year)s-%(month)02d has a theme already: edit it instead.") % {
            "year": year, "month": month}})
    theme = model_create(model=MonthlyTheme, data={
        "district": district, "year": year, "month": month, "title": title, "description": description,
    }, by=by)
    items = list(items)
    if items:
        _check_codes(items)
        ChecklistItem.objects.bulk_create(_item_rows(theme, items))
    return theme


@transaction.atomic
def theme_update(*, theme, data, by):
    _require_keeper(by, theme.district)
    theme = MonthlyTheme.objects.select_for_update().get(pk=theme.pk)
    theme, _changed = model_update(instance=theme, data={k: data[k] for k in ("title", "description") if k in data}, by=by)
    return theme


@transaction.atomic
def theme_set_items(*, theme, items, by):
    """Make `items` ({code, text, source} in order) the theme's checklist. Visits already
    started keep the items as they copied them."""
    _require_keeper(by, theme.district)
    theme = MonthlyTheme.objects.select_for_update().get(pk=theme.pk)
    items = [{name: str(item.get(name, "")).strip() for name in ITEM_FIELDS} for item in items]
    _check_codes(items)
    rows = _item_rows(theme, items)
    old = [[i.code, i.text, i.source] for i in theme.items.order_by("ordering", "code")]
    new = [[i.code, i.text, i.source] for i in rows]
    if old == new:
        return theme
    theme.items.all().delete()
    ChecklistItem.objects.bulk_create(rows)
    audit_record(actor=by, action=AuditLog.Action.UPDATE, instance=theme, changes={
        "items": [[" ".join(i[:2]) for i in old], [" ".join(i[:2]) for i in new]],
    })
    return theme


def _copy_into(*, district, year, themes, by, note):
    """Create the months of `themes` ((month, title, description, items)) missing in `year`."""
    taken = set(MonthlyTheme.objects.filter(district=district, year=year).values_list("month", flat=True))
    made = []
    for month, title, description, items in themes:
        if month in taken:
            continue
        theme = MonthlyTheme(district=district, year=year, month=month, title=title, description=description)
        theme.full_clean()
        theme.save()
        ChecklistItem.objects.bulk_create(_item_rows(theme, items))
        audit_record(actor=by, action=AuditLog.Action.CREATE, instance=theme,
                     changes={"title": [None, title], "items": [None, [f"{i['code']} {i['text']}" for i in items]]},
                     note=note)
        made.append(theme)
    return made


@transaction.atomic
def theme_defaults_load(*, district, year, by):
    """Load seed 004's themes (inspections/theme_defaults.py) into the months of `year` that
    have none; a month the office has set already is kept. Returns the themes made."""
    _require_keeper(by, district)
    themes = [
        (month, title, description, [dict(zip(ITEM_FIELDS, item, strict=True)) for item in items])
        for month, title, description, items in DEFAULT_THEMES
    ]
    return _copy_into(district=district, year=year, themes=themes, by=by, note=_("Default themes loaded"))


@transaction.atomic
def theme_year_copy(*, district, year, by):
    """Copy the themes of `year` to the next year's months that have none. Returns the themes made."""
    _require_keeper(by, district)
    source = list(MonthlyTheme.objects.filter(district=district, year=year).prefetch_related("items"))
    if not source:
        raise DomainError(_("%(year)s has no themes to copy.") % {"year": year})
    themes = [
        (t.month, t.title, t.description, [{name: getattr(i, name) for name in ITEM_FIELDS} for i in t.items.all()])
        for t in source
    ]
    made = _copy_into(district=district, year=year + 1, themes=themes, by=by,
                      note=_("Copied from %(year)s") % {"year": year})
    if not made:
        raise DomainError(_("Every month of %(next)s that %(year)s has a theme for has one already: nothing copied.")
                          % {"next": year + 1, "year": year})
    return made
