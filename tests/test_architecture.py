"""The layout the design card fixes holds: apps depend one way, no file grows past ~600 lines.

`bin/test` runs import-linter (`lint-imports`, contracts in .importlinter) before the suite;
these tests keep that configuration honest: every app of the project is under contract.
"""

import configparser
import re
import subprocess
from pathlib import Path

from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# "About 600 lines": a little slack, so that a file is split by idea rather than to a count.
MAX_LINES = 650


def _config():
    parser = configparser.ConfigParser()
    parser.read(ROOT / ".importlinter")
    return parser


def local_apps():
    return {
        config.name for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(ROOT) and "site-packages" not in Path(config.path).parts
        and not config.name.startswith("tests.")
    }


def test_every_app_of_the_project_is_under_contract():
    config = _config()
    roots = set(config["importlinter"]["root_packages"].split())
    assert roots == local_apps()
    layers = config["importlinter:contract:one-way"]["layers"]
    named = set(re.findall(r"[a-z_]+", layers))
    assert local_apps() <= named, "add the app to a layer of the one-way contract in .importlinter"


def test_the_contracts_hold():
    lint = ROOT / ".venv" / "bin" / "lint-imports"
    command = [str(lint)] if lint.exists() else ["lint-imports"]
    result = subprocess.run([*command, "--no-logo", "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]


def _project_files():
    tracked = subprocess.run(["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    if not tracked:  # not a git checkout: look at the tree
        tracked = [str(path.relative_to(ROOT)) for path in ROOT.rglob("*.py") if ".venv" not in path.parts]
    return tracked


def test_no_file_outside_tests_and_migrations_is_over_about_600_lines():
    fat = []
    for name in _project_files():
        parts = Path(name).parts
        if parts[0] == "tests" or "migrations" in parts:
            continue
        path = ROOT / name
        if path.exists() and (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES:
            fat.append(f"{name} ({lines} lines)")
    assert not fat, f"split these by idea: {fat}"


def test_every_pdf_goes_through_the_portal_fetcher():
    """WeasyPrint only in bureau/pdf.py: its URL fetcher refuses files and outside addresses,
    which a direct `HTML(string=…)` would follow."""
    direct = [name for name in _project_files()
              if Path(name).parts[0] != "tests" and name != "bureau/pdf.py"
              and "weasyprint" in (ROOT / name).read_text(encoding="utf-8")]
    assert not direct, f"render PDFs with bureau.pdf.render_pdf / html_to_pdf: {direct}"
