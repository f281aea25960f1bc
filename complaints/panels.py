"""The vetoes (一票否决) of substantiated complaints, on the school and teacher pages
(bureau.home.record_panel: schools asks for them without importing this app), for bureau
staff and leaders."""

from bureau.home import record_panel
from complaints.permissions import reads_handling
from complaints.selectors import complaint_vetoes


@record_panel(page="school", template="complaints/includes/vetoes.html", order=20)
def school_vetoes(user, school):
    if not reads_handling(user):
        return None
    return {"vetoes": list(complaint_vetoes(user=user, school=school)[:20]), "of_school": True}


@record_panel(page="teacher", template="complaints/includes/vetoes.html", order=20)
def teacher_vetoes(user, teacher):
    if not reads_handling(user):
        return None
    return {"vetoes": list(complaint_vetoes(user=user, teacher=teacher)[:20]), "of_school": False}
