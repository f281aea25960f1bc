"""One spreadsheet engine for every app: files, widgets, resources, preview, import jobs, exports.

An app declares a kind of spreadsheet as a resource in its `resources.py` (the columns,
the natural key, an example row, notes, and the hooks that find the records a row names)
and registers it with `bureau.sheets.registry.register`; the pages under /imports/ and
/exports/, the templates, the preview and the background jobs then work for it unchanged.

    files.py      refusing bad uploads, reading xlsx and csv, formula-safe cells
    widgets.py    cell readers and writers, each with its Chinese-ready error message
    registry.py   the declared kinds
    resources.py  the resource base every kind extends
    engine.py     parse → preload → resolve → build → validate → plan, then the bulk apply
    jobs.py       an upload's way through validation, confirmation and import
    exports.py    exports and templates as xlsx or csv
    views.py, urls.py   the pages (namespace "sheets")
"""
