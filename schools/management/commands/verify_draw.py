"""`manage.py verify_draw DRAW_ID`: run a class draw again from its stored inputs and say whether it
gives the published classes; `manage.py verify_draw --roster FILE --seed SEED --classes K`: the roster
hash and the classes of a roster file (the draw's template), as anyone holding it can check them."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bureau.sheets.files import ImportFileError, read_table, upload_format
from schools.draw import algorithm
from schools.draw.resources import IncomingStudentResource
from schools.draw.services import draw_replay, size_limit
from schools.models import ClassDraw


class Command(BaseCommand):
    help = gettext_lazy("Run a class draw again and check that it gives the same classes.")

    def add_arguments(self, parser):
        parser.add_argument("draw", nargs="?", type=int, help=gettext_lazy("The id of a stored draw."))
        parser.add_argument("--roster", help=gettext_lazy("A roster file (xlsx or csv, the draw's template)."))
        parser.add_argument("--seed", help=gettext_lazy("The public seed."))
        parser.add_argument("--classes", type=int, help=gettext_lazy("The number of classes."))
        parser.add_argument("--grade", type=int, default=1, help=gettext_lazy("Grade 1 or 7 (the size limit)."))

    def handle(self, *args, draw=None, roster=None, seed=None, classes=None, grade=1, **options):
        if roster:
            return self._from_file(Path(roster), seed, classes, grade)
        if draw is None:
            raise CommandError(_("Give a draw id, or --roster, --seed and --classes."))
        stored = ClassDraw.objects.filter(pk=draw, status=ClassDraw.Status.DRAWN).first()
        if stored is None:
            raise CommandError(_("No drawn class draw has the id %(id)s.") % {"id": draw})
        again, same = draw_replay(stored)
        self._print(stored.roster_hash, stored.seed, again)
        if not same:
            raise CommandError(_("Run again, the draw gives other classes than those stored."))
        self.stdout.write(_("Run again from the roster hash and the seed, the draw gives the same classes."))

    def _from_file(self, path, seed, classes, grade):
        if not seed or not classes:
            raise CommandError(_("--roster needs --seed and --classes."))
        fmt = upload_format(path.name)
        try:
            table = read_table(path.read_bytes(), fmt)
        except (ImportFileError, OSError) as exc:
            raise CommandError(str(exc)) from None
        fields = dict(IncomingStudentResource.ordered_fields())
        index = {f.column_name: i for i, f in enumerate(fields.values())}
        position = {h: i for i, h in enumerate(table.headers)}
        if set(index) - set(position):
            raise CommandError(_("Required columns are missing: %(columns)s.") % {
                "columns": "、".join(sorted(set(index) - set(position)))})
        rows, students = [], []
        for _number, values in table.rows:
            cell = {name: field.widget.clean(values[position[field.column_name]]) for name, field in fields.items()}
            groups = tuple(g for g in algorithm.GROUPS if cell[g])
            rows.append((cell["number"], cell["name"], cell["gender"], cell["birth_date"].isoformat(), groups))
            students.append(algorithm.Student(cell["number"], cell["gender"], cell["birth_date"].month, groups))
        digest = algorithm.roster_hash(rows)
        result = algorithm.run(students, classes=classes, limit=size_limit(grade), roster_digest=digest, seed=seed)
        self._print(digest, seed, result)

    def _print(self, digest, seed, result):
        self.stdout.write(f"roster hash: {digest}\nseed: {algorithm.normalise(seed)}\nalgorithm: {result.algorithm}")
        for number, members in enumerate(result.classes, 1):
            self.stdout.write(f"{number}: ({len(members)}) {' '.join(members)}")
