"""`manage.py demo_data --seed N --scale district|city|province [--reset]`: see bureau/demo.py."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bureau.demo import SCALES, demo_data_load, text_pad, text_width
from bureau.errors import DomainError


class Command(BaseCommand):
    help = gettext_lazy(
        "Load a realistic demo district (or city, or province) with accounts for every role. "
        "Refuses to run when demo data is loaded already, unless --reset."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help=gettext_lazy("Random seed (default 2026)."))
        parser.add_argument(
            "--scale", choices=sorted(SCALES), default="district",
            help=gettext_lazy("district: ~80 schools; city: ~10 districts; province: ~100 districts, 20,000 schools."),
        )
        parser.add_argument(
            "--reset", action="store_true",
            help=gettext_lazy("Delete the demo data loaded before (the demo cities and all in them) and load afresh."),
        )

    def handle(self, *args, seed, scale, reset, **options):
        verbose = options["verbosity"] >= 1

        def log(message):
            if verbose:
                self.stderr.write(str(message))

        try:
            report = demo_data_load(seed=seed, scale=scale, reset=reset, log=log)
        except DomainError as exc:
            raise CommandError(str(exc)) from None

        out = self.stdout.write
        out(_("Demo data loaded: seed %(seed)s, %(scale)s scale, in %(seconds).1f s, peak memory %(mb).0f MB.") % {
            "seed": report.seed, "scale": report.scale, "seconds": report.seconds, "mb": report.peak_memory_mb,
        })
        out("")
        width = max(text_width(name) for name in report.counts)
        for name, n in report.counts.items():
            out(f"  {text_pad(name, width)}  {n:>10,}")
        out("")
        out(_("Demo logins (password for every account: %(password)s):") % {"password": report.password})
        widths = [max(text_width(row[i]) for row in report.accounts) for i in range(3)]
        for row in report.accounts:
            out("  " + "  ".join(text_pad(cell, w) for cell, w in zip(row, widths, strict=False)) + "  " + row[3])
        for note in report.notes:
            out(f"  {note}")
        out(_("This password is for the demo only; never load demo data into a real deployment."))
