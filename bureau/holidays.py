"""The State Council's published holiday arrangements (全国放假调休安排), as data.

Only years whose official notice is cited here are loaded: a date is never guessed. Add a
year when its notice is published (usually in November of the year before) as one more
entry of OFFICIAL_ARRANGEMENTS and a data migration that calls `official_days(year)`.

Each holiday lists every day off the notice gives, weekends included, so the calendar
page shows the arrangement as published; make-up working days (调休上班) are the weekend
days the notice names as working days.
"""

import datetime

SOURCE_2025 = "国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，2024年11月12日）"
SOURCE_2026 = "国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日，新华社受权发布）"

# year → (source, [(name, first day off, last day off, [make-up working days])])
OFFICIAL_ARRANGEMENTS = {
    2025: (SOURCE_2025, [
        ("元旦", "2025-01-01", "2025-01-01", []),
        ("春节", "2025-01-28", "2025-02-04", ["2025-01-26", "2025-02-08"]),
        ("清明节", "2025-04-04", "2025-04-06", []),
        ("劳动节", "2025-05-01", "2025-05-05", ["2025-04-27"]),
        ("端午节", "2025-05-31", "2025-06-02", []),
        ("国庆节、中秋节", "2025-10-01", "2025-10-08", ["2025-09-28", "2025-10-11"]),
    ]),
    2026: (SOURCE_2026, [
        ("元旦", "2026-01-01", "2026-01-03", ["2026-01-04"]),
        ("春节", "2026-02-15", "2026-02-23", ["2026-02-14", "2026-02-28"]),
        ("清明节", "2026-04-04", "2026-04-06", []),
        ("劳动节", "2026-05-01", "2026-05-05", ["2026-05-09"]),
        ("端午节", "2026-06-19", "2026-06-21", []),
        ("中秋节", "2026-09-25", "2026-09-27", []),
        ("国庆节", "2026-10-01", "2026-10-07", ["2026-09-20", "2026-10-10"]),
    ]),
}

HOLIDAY = "holiday"
WORKDAY = "workday"


def official_days(year):
    """[(date, kind, name, source)] of one year's official arrangement."""
    source, holidays = OFFICIAL_ARRANGEMENTS[year]
    days = []
    for name, first, last, workdays in holidays:
        day, end = datetime.date.fromisoformat(first), datetime.date.fromisoformat(last)
        while day <= end:
            days.append((day, HOLIDAY, name, source))
            day += datetime.timedelta(days=1)
        for workday in workdays:
            days.append((datetime.date.fromisoformat(workday), WORKDAY, name, source))
    return sorted(days)
