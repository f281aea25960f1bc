"""Survey campaigns of the inspection office (issue 8): questionnaires, campaigns, the public
answer page, the stored figures. Models in inspections/models/survey.py."""
