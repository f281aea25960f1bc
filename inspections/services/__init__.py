"""Writes of the inspections app, one module per idea: zones, the themed calendar, visits."""

from inspections.services.themes import (
    theme_create,
    theme_defaults_load,
    theme_set_items,
    theme_update,
    theme_year_copy,
)
from inspections.services.visits import visit_evidence_delete, visit_file, visit_save, visit_start
from inspections.services.zones import zone_create, zone_set_inspectors, zone_set_schools, zone_update

__all__ = [
    "theme_create",
    "theme_defaults_load",
    "theme_set_items",
    "theme_update",
    "theme_year_copy",
    "visit_evidence_delete",
    "visit_file",
    "visit_save",
    "visit_start",
    "zone_create",
    "zone_set_inspectors",
    "zone_set_schools",
    "zone_update",
]
