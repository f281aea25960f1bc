"""One upload through the portal's import path, in a process of its own, for
bench_upload_bombs.py: prints one JSON line with the outcome and the process's peak memory.

    python -m tests.benchmarks.upload_probe setup            # district, 80 schools, a staff user
    python -m tests.benchmarks.upload_probe validate FILE    # upload → estimate → read → validate
    python -m tests.benchmarks.upload_probe import FILE      # … and confirm: the rows are written

The database (DATABASE_URL, a SQLite file) and the settings come from the environment the
benchmark gives; files larger than IMPORT_ASYNC_ROW_THRESHOLD are still run in this process
(the benchmark sets the threshold high), so that the figure is the import's, not a worker's.
"""

import json
import os
import re
import resource
import subprocess
import sys
import time


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def high_water_mb():
    """The same peak as the kernel keeps it for this program's memory alone (VmHWM)."""
    with open("/proc/self/status") as status:
        return int(re.search(r"VmHWM:\s+(\d+)", status.read()).group(1)) / 1024


def setup():
    from bureau.models import Role, User
    from schools.models import District, School

    district = District.objects.create(code="320402", name="天宁区")
    School.objects.bulk_create(
        School(code=f"{3204000000 + n:010d}", name=f"基准第{n}小学", stage="primary", location="urban",
               district=district)
        for n in range(80)
    )
    User.objects.create_user(username="bench-staff", password=None, role=Role.STAFF, district=district)
    return {"outcome": "ready"}


def upload(path, confirm):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from bureau.errors import DomainError
    from bureau.models import User
    from bureau.sheets import jobs

    user = User.objects.get(username="bench-staff")
    with open(path, "rb") as handle:
        data = handle.read()
    name = os.path.basename(path)
    file = SimpleUploadedFile(name, data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    del data
    try:
        job = jobs.import_job_create(kind="teachers", upload=file, by=user, language="en")
    except DomainError as exc:
        return {"outcome": f"refused on upload: {exc}"}
    if confirm and job.status == job.Status.VALIDATED:
        job = jobs.import_job_confirm(job=job, by=user)
    if job.status in (job.Status.VALIDATED, job.Status.DONE):
        return {"outcome": f"{job.get_status_display().lower()}: {job.counts}"}
    message = job.message or f"{job.error_count} row errors, e.g. {job.errors[:1]}"
    return {"outcome": f"job {job.status}: {message}"}


def main():
    import django

    django.setup()
    idle = peak_mb()
    start = time.perf_counter()
    if sys.argv[1] == "setup":
        result = setup()
    else:
        result = upload(sys.argv[2], confirm=sys.argv[1] == "import")
    result.update(idle_mb=round(idle), peak_mb=round(peak_mb()), hwm_mb=round(high_water_mb()),
                  seconds=round(time.perf_counter() - start, 2))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    if os.environ.get("UPLOAD_PROBE_RUN") == "1":
        main()
    else:
        # On Linux a process's ru_maxrss starts at its parent's peak (fork copies the
        # high-water mark, exec keeps it): started by the benchmark's big pytest process, the
        # probe would report pytest's memory. So it runs one process further, from this small one.
        env = {**os.environ, "UPLOAD_PROBE_RUN": "1"}
        sys.exit(subprocess.run([sys.executable, "-m", "tests.benchmarks.upload_probe", *sys.argv[1:]],
                                env=env).returncode)
