"""Writes of the inspections app, one module per idea: zones, the themed calendar, visits."""

from inspections.services.draws import draw_compute, draw_make, draw_rerun
from inspections.services.notices import notice_answer, notice_issue, notice_return, notice_verify
from inspections.services.signs import card_update
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
    "card_update",
    "draw_compute",
    "draw_make",
    "draw_rerun",
    "notice_answer",
    "notice_issue",
    "notice_return",
    "notice_verify",
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
