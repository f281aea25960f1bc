from reports.models.periodic import Report

__all__ = ["Report"]
