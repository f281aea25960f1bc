"""Background work of the class draws: the nightly erasure of rosters past retention (beat,
"class-roster-erase"), and a draw run by a worker (schools.draw.tasks)."""

from bureau import jobs
from schools.draw.services import rosters_erase


@jobs.handler("schools.roster_erase")
def _erase_job(run):
    rosters_erase()
