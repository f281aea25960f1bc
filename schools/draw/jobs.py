"""Background work of the class draws, through the job kit (bureau/jobs.py): a draw run by a
worker (a city's schools drawing on one morning, through the API), and the nightly erasure of
rosters past retention (beat, "class-roster-erase"), and the between-class balance of every
school stored for the term (beat, "class-balance"). All are safe to run twice."""

from bureau import jobs
from bureau.models import User
from schools.draw.services import draw_run, require_drawable, rosters_erase
from schools.draw.teachers import class_balance_store
from schools.models import ClassDraw, School


@jobs.handler("schools.draw")
def _draw_job(run):
    draw = ClassDraw.objects.filter(pk=run.payload["draw"]).first()
    if draw is None or draw.status == ClassDraw.Status.DRAWN:
        return  # drawn already (a second delivery): the draw is made once
    draw_run(draw=draw, by=User.objects.get(pk=run.payload["by"]))


@jobs.handler("schools.class_balance")
def _balance_job(run):
    """Nightly: the between-class balance of every open school in the current term, stored."""
    from schools.selectors import term_now

    term = term_now().term
    if term is None:
        return
    for school in School.objects.filter(status=School.Status.OPEN, classes__term=term).distinct().order_by("pk"):
        class_balance_store(school=school, term=term)


@jobs.handler("schools.roster_erase")
def _erase_job(run):
    rosters_erase()


def draw_enqueue(*, draw, by):
    """Queue the draw for a worker; the checks run now and again when it runs."""
    require_drawable(draw, by)
    return jobs.job_enqueue(kind="schools.draw", key=f"class-draw:{draw.pk}", payload={"draw": draw.pk, "by": by.pk})
