"""The vetoes (一票否决) of substantiated complaints, on the school and teacher pages
(schools/panels.py), for bureau staff and leaders."""

from complaints.permissions import reads_handling
from complaints.selectors import complaint_vetoes
from schools import panels


@panels.panel(page=panels.SCHOOL, template="complaints/includes/vetoes.html", order=10)
def school_vetoes(user, school):
    if not reads_handling(user):
        return None
    return {"vetoes": list(complaint_vetoes(user=user, school=school)[:20]), "of_school": True}


@panels.panel(page=panels.TEACHER, template="complaints/includes/vetoes.html", order=10)
def teacher_vetoes(user, teacher):
    if not reads_handling(user):
        return None
    return {"vetoes": list(complaint_vetoes(user=user, teacher=teacher)[:20]), "of_school": False}
