"""One spreadsheet engine for every app: files, widgets, resources, preview, import jobs, exports.

An app declares a kind of spreadsheet as a resource in its `resources.py` (the columns,
the natural key, an example row, notes, and the hooks that find the records a row names)
and registers it with `bureau.sheets.registry.register`; the pages under /imports/ and
/exports/, the templates, the preview and the background jobs then work for it unchanged.

    files.py      refusing bad uploads, reading xlsx and csv, formula-safe cells
    xlsx.py       the upload reader for xlsx: zip checked first, parts streamed within limits
    limits.py     how much of a file is read (IMPORT_MAX_*), and the file-level error
    widgets.py    cell readers and writers, each with its Chinese-ready error message
    registry.py   the declared kinds
    resources.py  the resource base every kind extends
    engine.py     parse → preload → resolve → build → validate → plan, then the bulk apply
    preview.py    what a plan would write, row by row, as the job page shows it
    jobs.py       an upload's way through validation, confirmation and import
    exports.py    exports and templates as xlsx or csv, number columns formatted
    views.py, urls.py   the pages (namespace "sheets")

A kind in a few lines (an app's resources.py):

    @register
    class SampleResource(SheetResource):
        kind = "survey-samples"
        verbose_name = gettext_lazy("Survey samples")
        key_fields = ("school", "code")          # rows upsert on this natural key
        select_related = ("school",)
        export_ordering = ("school__code", "code")

        school = column("school", "学校标识码", SchoolCodeWidget())   # a LookupWidget: scoped
        code = column("code", "样本编号", CodeWidget())
        group = column("group", "对象", ChoiceWidget({Sample.Group.PARENT: "家长", Sample.Group.STUDENT: "学生"}))

        example = {"school": "3204020001", "code": "S001", "group": "家长"}

        class Meta:
            model = Sample
            fields = ("school", "code", "group")

Rules belong in the model's clean(), which the engine runs on every row as the services do.
"""
