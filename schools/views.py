"""Pages of the schools registry: lists, the school and teacher records, and their edit forms.

Every view: declare the roles (roles_required) → load through the one access helper
(get_visible_or_404: missing and out of scope both 404) → selector or service → render or
redirect. Edit forms are shown by GET views and written by separate POST-only views, so a
GET never changes anything; leaders and inspectors are not among the roles of either (403).
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bureau import refcache, scope
from bureau.home import record_panels_for
from bureau.models import Role
from bureau.permissions import (
    DATA_KEEPERS,
    SCHOOL_READERS,
    get_visible_or_404,
    require,
    roles_required,
)
from bureau.selectors import audit_for_object
from bureau.templatetags.numbers import number
from bureau.webforms import run_service
from schools import selectors, services
from schools.forms import (
    RotationForm,
    SchoolClassForm,
    SchoolCreateForm,
    SchoolFilterForm,
    SchoolForm,
    SchoolStatusForm,
    SchoolYearStatForm,
    TeacherFilterForm,
    TeacherForm,
    TrainingRecordForm,
)
from schools.models import School, SchoolClass, SchoolStage, SchoolYear, SchoolYearStat
from schools.permissions import can_add_school, can_change_school_status, can_edit_school, can_see_personal_data
from schools.templatetags.school_rules import verdict_badge

# Who keeps school records: bureau staff and admins (their districts), principals (their school).
EDITORS = DATA_KEEPERS | {Role.PRINCIPAL}

TABS = (
    ("profile", gettext_lazy("Profile")),
    ("classes", gettext_lazy("Classes")),
    ("teachers", gettext_lazy("Teachers")),
    ("statistics", gettext_lazy("Statistics")),
    ("history", gettext_lazy("History")),
)


def _page(request, queryset, per_page):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def _save(form, write):
    """Run a service with the form's data; on a domain or validation error put it on the form."""
    return run_service(form, lambda: write(form.cleaned_data))


def _form_page(request, *, form, title, action, cancel_url, school=None, history=None, note=""):
    return render(request, "schools/form_page.html", {
        "form": form, "title": title, "action": action, "cancel_url": cancel_url, "school": school,
        "history": history, "note": note,
    })


def _school_for_edit(request, pk):
    school = get_visible_or_404(selectors.school_detail_queryset(), request.user, pk=pk)
    require(can_edit_school(request.user, school))
    return school


# ---- schools ----------------------------------------------------------------------


@roles_required(*SCHOOL_READERS)
@require_GET
def school_list(request):
    now = selectors.term_now()
    stats_year = selectors.stats_school_year(current=now.school_year)
    page = _school_list_page(request, now=now, stats_year=stats_year)
    # The page in the context as a view without the cache would give it: a paginator over the count alone.
    page_obj = Paginator(range(page["count"]), selectors.SCHOOLS_PER_PAGE).page(page["number"])
    page_obj.object_list = page["rows"]
    return render(request, "schools/school_list.html", {"body": page["html"], "page_obj": page_obj})


def _school_list_page(request, *, now, stats_year):
    """The school list's page as printed ({"html", "count", "number", "rows"}).

    Cached per reach, language, query and the year and term shown (bureau.refcache.cached_for):
    readers of the same district share it, and any change to a school, its statistics or
    classes, a group or a district forgets every page at once (schools/apps.py).
    """
    user = request.user

    def compute():
        districts = list(selectors.district_list(user=user))
        form = SchoolFilterForm(request.GET or None, groups=list(selectors.group_list(user=user)), districts=districts)
        schools = selectors.school_list(user=user, filters=form.filters(), school_year=stats_year, term=now.term)
        page_obj = _page(request, schools, selectors.SCHOOLS_PER_PAGE)
        page_obj.object_list = rows = _school_rows(page_obj)
        html = render_to_string("schools/includes/school_list_body.html", {
            "form": form,
            "page_obj": page_obj,
            "show_district": len(districts) > 1,
            "stats_year": stats_year,
            "current_year": now.school_year,
            "stats_outdated": selectors.is_older(stats_year, now.school_year),
            "can_add_school": can_add_school(user),
        }, request=request)
        return {"html": html, "count": page_obj.paginator.count, "number": page_obj.number, "rows": rows}

    reach = scope.reach_key(user, *selectors.SCHOOL_LIST_MODELS)
    part = None if reach is None else "|".join((
        reach, get_language(), *(str(x and x.pk) for x in (now.term, now.school_year, stats_year)),
        urlencode(sorted(request.GET.lists()), doseq=True),
    ))
    return refcache.cached_for(selectors.SCHOOL_LIST_CACHE, part, compute)


@dataclass(frozen=True)
class SchoolRow:
    """One row of the school list as it prints: plain values, cached as they are."""

    pk: int
    code: str
    name: str
    district: str
    group: str
    url: str
    status: str
    stage: str
    location: str
    students: str
    verdict: str
    has_big_class: bool


def _school_rows(page_obj):
    """[SchoolRow] of a page of the school list, worked out once.

    On a page of 50 schools the template's own url tags, choice labels (each a lazy
    translation looked up again) and verdict badges were most of the page's time.
    """
    stages, locations, statuses = (
        {value: str(label) for value, label in field.choices}
        for field in (SchoolStage, School.Location, School.Status)
    )
    return [SchoolRow(
        pk=school.pk,
        code=school.code,
        name=school.name,
        district=school.district.name,
        group=school.group.name if school.group_id else "",
        url=reverse("schools:school_detail", args=[school.pk]),
        status="" if school.status == School.Status.OPEN else statuses.get(school.status, school.status),
        stage=stages.get(school.stage, school.stage),
        location=locations.get(school.location, school.location),
        students=number(school.students),
        verdict=verdict_badge(school.meets_standard, school.met_count, school.weakest, school.weakest_percent,
                              explain=True),
        has_big_class=school.has_big_class,
    ) for school in page_obj]


def _profile_tab(request, school):
    return selectors.school_profile_tab(school=school)


def _classes_tab(request, school):
    return selectors.school_classes_tab(school=school, term_id=request.GET.get("term"))


def _teachers_tab(request, school):
    return selectors.school_teachers_tab(school=school)


def _statistics_tab(request, school):
    return selectors.school_statistics_tab(school=school, year=request.GET.get("year"))


def _history_tab(request, school):
    return {"history": audit_for_object(instance=school, user=request.user)}


TAB_LOADERS = {
    "profile": _profile_tab,
    "classes": _classes_tab,
    "teachers": _teachers_tab,
    "statistics": _statistics_tab,
    "history": _history_tab,
}


@roles_required(*SCHOOL_READERS)
@require_GET
def school_detail(request, pk):
    user = request.user
    school = get_visible_or_404(selectors.school_detail_queryset(), user, pk=pk)
    tab = request.GET.get("tab")
    if tab not in TAB_LOADERS:
        tab = "profile"
    context = {
        "school": school,
        "tabs": TABS,
        "tab": tab,
        "can_edit": can_edit_school(user, school),
        "can_change_status": can_change_school_status(user, school),
        "can_see_personal": can_see_personal_data(user),
        # What other apps show on a school's page (inspections: its open rectification notices;
        # complaints: the vetoes of substantiated complaints), on its profile.
        "panels": record_panels_for("school", user, school) if tab == "profile" else [],
        **TAB_LOADERS[tab](request, school),
    }
    return render(request, "schools/school_detail.html", context)


def _school_form_page(request, school, form):
    return _form_page(
        request, form=form, school=school,
        title=_("Edit the profile of %(school)s") % {"school": school},
        action=reverse("schools:school_save", args=[school.pk]),
        cancel_url=reverse("schools:school_detail", args=[school.pk]),
        note=_("The school code cannot be changed here.") if "name" in form.fields
        else _("Other fields of the profile are kept by the bureau."),
    )


@roles_required(*EDITORS)
@require_GET
def school_edit(request, pk):
    school = _school_for_edit(request, pk)
    return _school_form_page(request, school, SchoolForm(instance=school, user=request.user))


@roles_required(*EDITORS)
@require_POST
def school_save(request, pk):
    school = _school_for_edit(request, pk)
    form = SchoolForm(request.POST, instance=school, user=request.user)
    if form.is_valid() and _save(form, lambda data: services.school_update(school=school, data=data, by=request.user)):
        messages.success(request, _("The school profile was saved."))
        return redirect("schools:school_detail", pk=school.pk)
    return _school_form_page(request, school, form)


# ---- a new school; closing, merging and reopening one --------------------------------


def _school_create_page(request, form):
    return _form_page(
        request, form=form, title=_("New school"), action=reverse("schools:school_create_save"),
        cancel_url=reverse("schools:school_list"),
        note=_("The school opens when it is saved. Its classes, teachers and statistics are added on its page."),
    )


@roles_required(*DATA_KEEPERS)
@require_GET
def school_create(request):
    require(can_add_school(request.user))
    return _school_create_page(request, SchoolCreateForm(user=request.user))


@roles_required(*DATA_KEEPERS)
@require_POST
def school_create_save(request):
    require(can_add_school(request.user))
    form = SchoolCreateForm(request.POST, user=request.user)
    if form.is_valid() and (school := _save(form, lambda data: services.school_create(data=data, by=request.user))):
        messages.success(request, _("%(school)s was added.") % {"school": school})
        return redirect("schools:school_detail", pk=school.pk)
    return _school_create_page(request, form)


def _school_for_status(request, pk):
    school = get_visible_or_404(selectors.school_detail_queryset(), request.user, pk=pk)
    require(can_change_school_status(request.user, school))
    return school


def _school_status_page(request, school, form):
    return render(request, "schools/school_status.html", {
        "school": school, "form": form, "history": audit_for_object(instance=school, user=request.user),
    })


@roles_required(*DATA_KEEPERS)
@require_GET
def school_status(request, pk):
    """The confirmation page: close or merge an open school, reopen one that is not open."""
    school = _school_for_status(request, pk)
    return _school_status_page(request, school, SchoolStatusForm(user=request.user, school=school))


@roles_required(*DATA_KEEPERS)
@require_POST
def school_status_save(request, pk):
    school = _school_for_status(request, pk)
    form = SchoolStatusForm(request.POST, user=request.user, school=school)

    def write(data):
        by, note = request.user, data["note"]
        if school.status != school.Status.OPEN:
            return services.school_reopen(school=school, by=by, note=note)
        if data["action"] == SchoolStatusForm.MERGE:
            return services.school_merge(school=school, into=data["into"], by=by, note=note)
        return services.school_close(school=school, by=by, note=note)

    if form.is_valid() and (changed := _save(form, write)):
        messages.success(request, _("%(school)s is now %(status)s.") % {
            "school": changed, "status": changed.get_status_display(),
        })
        return redirect("schools:school_detail", pk=school.pk)
    return _school_status_page(request, school, form)


# ---- yearly statistics ------------------------------------------------------------


def _stat_for(school, year):
    school_year = get_object_or_404(SchoolYear, start_year=year)
    stat = SchoolYearStat.objects.filter(school=school, school_year=school_year).first()
    return school_year, stat


def _stat_form_page(request, school, school_year, stat, form):
    return _form_page(
        request, form=form, school=school,
        title=_("Statistics of %(school)s for %(year)s") % {"school": school, "year": school_year},
        action=reverse("schools:stat_save", args=[school.pk, school_year.start_year]),
        cancel_url=reverse("schools:school_detail", args=[school.pk]) + f"?tab=statistics&year={school_year.start_year}",
        history=audit_for_object(instance=stat, user=request.user) if stat else None,
        note=_("Saving re-evaluates the seven resource indicators of the school."),
    )


@roles_required(*EDITORS)
@require_GET
def stat_edit(request, pk, year):
    school = _school_for_edit(request, pk)
    school_year, stat = _stat_for(school, year)
    return _stat_form_page(request, school, school_year, stat, SchoolYearStatForm(instance=stat))


@roles_required(*EDITORS)
@require_POST
def stat_save(request, pk, year):
    school = _school_for_edit(request, pk)
    school_year, stat = _stat_for(school, year)
    form = SchoolYearStatForm(request.POST, instance=stat)
    if form.is_valid() and _save(form, lambda data: services.school_year_stat_save(
        school=school, school_year=school_year, data=data, by=request.user
    )):
        messages.success(request, _("The statistics for %(year)s were saved.") % {"year": school_year})
        return redirect(reverse("schools:school_detail", args=[school.pk]) + f"?tab=statistics&year={year}")
    return _stat_form_page(request, school, school_year, stat, form)


# ---- classes ----------------------------------------------------------------------


def _class_form_page(request, school, form, school_class=None):
    if school_class is None:
        title = _("New class at %(school)s") % {"school": school}
        action = reverse("schools:class_create_save", args=[school.pk])
        back = reverse("schools:school_detail", args=[school.pk]) + "?tab=classes"
    else:
        title = _("Class %(cls)s, %(term)s, %(school)s") % {"cls": school_class, "term": school_class.term, "school": school}
        action = reverse("schools:class_save", args=[school_class.pk])
        back = reverse("schools:school_detail", args=[school.pk]) + f"?tab=classes&term={school_class.term_id}"
    return _form_page(
        request, form=form, school=school, title=title, action=action, cancel_url=back,
        history=audit_for_object(instance=school_class, user=request.user) if school_class else None,
    )


def _class_for_edit(request, pk):
    school_class = get_visible_or_404(
        SchoolClass.objects.select_related("school", "term__school_year", "head_teacher"), request.user, pk=pk
    )
    require(can_edit_school(request.user, school_class.school))
    return school_class


@roles_required(*EDITORS)
@require_GET
def class_create(request, pk):
    school = _school_for_edit(request, pk)
    term = request.GET.get("term") or getattr(selectors.current_term(), "pk", None)
    form = SchoolClassForm(initial={"term": term}, user=request.user, school=school)
    return _class_form_page(request, school, form)


@roles_required(*EDITORS)
@require_POST
def class_create_save(request, pk):
    school = _school_for_edit(request, pk)
    form = SchoolClassForm(request.POST, user=request.user, school=school)

    def write(data):
        data = dict(data)
        term = data.pop("term")
        return services.school_class_save(school=school, term=term, data=data, by=request.user)

    if form.is_valid() and (school_class := _save(form, write)):
        messages.success(request, _("Class %(cls)s was added.") % {"cls": school_class})
        return redirect(reverse("schools:school_detail", args=[school.pk]) + f"?tab=classes&term={school_class.term_id}")
    return _class_form_page(request, school, form)


@roles_required(*EDITORS)
@require_GET
def class_edit(request, pk):
    school_class = _class_for_edit(request, pk)
    form = SchoolClassForm(instance=school_class, user=request.user, school=school_class.school)
    return _class_form_page(request, school_class.school, form, school_class)


@roles_required(*EDITORS)
@require_POST
def class_save(request, pk):
    school_class = _class_for_edit(request, pk)
    school = school_class.school
    form = SchoolClassForm(request.POST, instance=school_class, user=request.user, school=school)
    if form.is_valid() and _save(form, lambda data: services.school_class_save(
        school=school, term=school_class.term, school_class=school_class, data=data, by=request.user
    )):
        messages.success(request, _("Class %(cls)s was saved.") % {"cls": school_class})
        return redirect(reverse("schools:school_detail", args=[school.pk]) + f"?tab=classes&term={school_class.term_id}")
    return _class_form_page(request, school, form, school_class)


# ---- teachers ---------------------------------------------------------------------


@roles_required(*SCHOOL_READERS)
@require_GET
def teacher_list(request):
    user = request.user
    form = TeacherFilterForm(request.GET or None, schools=list(selectors.school_choices(user=user)))
    teachers = selectors.teacher_list_with_training(selectors.teacher_list(user=user, filters=form.filters()))
    page = _page(request, teachers, selectors.TEACHERS_PER_PAGE)
    page.object_list = selectors.mark_training(list(page.object_list))
    return render(request, "schools/teacher_list.html", {
        "form": form, "page_obj": page, "training_required": selectors.training_hours_required(),
    })


def _teacher_detail_page(request, teacher, *, training_form=None, rotation_form=None):
    user = request.user
    can_edit = can_edit_school(user, teacher.school)
    context = {
        "teacher": teacher,
        "school": teacher.school,
        "can_edit": can_edit,
        "can_see_personal": can_see_personal_data(user),
        "history": audit_for_object(instance=teacher, user=user),
        **selectors.teacher_detail_data(teacher=teacher),
        # What other apps show on a teacher's page (complaints: vetoes against the teacher).
        "panels": record_panels_for("teacher", user, teacher),
    }
    if can_edit:
        context["training_form"] = training_form or TrainingRecordForm()
        context["rotation_form"] = rotation_form or RotationForm(user=user, teacher=teacher)
    return render(request, "schools/teacher_detail.html", context)


@roles_required(*SCHOOL_READERS)
@require_GET
def teacher_detail(request, pk):
    teacher = get_visible_or_404(selectors.teacher_detail_queryset(), request.user, pk=pk)
    return _teacher_detail_page(request, teacher)


def _teacher_for_edit(request, pk):
    teacher = get_visible_or_404(selectors.teacher_detail_queryset(), request.user, pk=pk)
    require(can_edit_school(request.user, teacher.school))
    return teacher


def _teacher_form_page(request, school, form, teacher=None):
    if teacher is None:
        title = _("New teacher at %(school)s") % {"school": school}
        action = reverse("schools:teacher_create_save", args=[school.pk])
        back = reverse("schools:school_detail", args=[school.pk]) + "?tab=teachers"
    else:
        title = _("Edit %(teacher)s") % {"teacher": teacher}
        action = reverse("schools:teacher_save", args=[teacher.pk])
        back = reverse("schools:teacher_detail", args=[teacher.pk])
    return _form_page(request, form=form, school=school, title=title, action=action, cancel_url=back)


@roles_required(*EDITORS)
@require_GET
def teacher_create(request, pk):
    school = _school_for_edit(request, pk)
    return _teacher_form_page(request, school, TeacherForm(user=request.user, school=school))


@roles_required(*EDITORS)
@require_POST
def teacher_create_save(request, pk):
    school = _school_for_edit(request, pk)
    form = TeacherForm(request.POST, user=request.user, school=school)
    if form.is_valid() and (teacher := _save(form, lambda data: services.teacher_create(
        school=school, data=data, by=request.user
    ))):
        messages.success(request, _("%(teacher)s was added.") % {"teacher": teacher})
        return redirect("schools:teacher_detail", pk=teacher.pk)
    return _teacher_form_page(request, school, form)


@roles_required(*EDITORS)
@require_GET
def teacher_edit(request, pk):
    teacher = _teacher_for_edit(request, pk)
    form = TeacherForm(instance=teacher, user=request.user, school=teacher.school)
    return _teacher_form_page(request, teacher.school, form, teacher)


@roles_required(*EDITORS)
@require_POST
def teacher_save(request, pk):
    teacher = _teacher_for_edit(request, pk)
    form = TeacherForm(request.POST, instance=teacher, user=request.user, school=teacher.school)
    if form.is_valid() and _save(form, lambda data: services.teacher_update(teacher=teacher, data=data, by=request.user)):
        messages.success(request, _("%(teacher)s was saved.") % {"teacher": teacher})
        return redirect("schools:teacher_detail", pk=teacher.pk)
    return _teacher_form_page(request, teacher.school, form, teacher)


@roles_required(*EDITORS)
@require_POST
def training_add(request, pk):
    teacher = _teacher_for_edit(request, pk)
    form = TrainingRecordForm(request.POST)
    if form.is_valid() and _save(form, lambda data: services.training_record_create(
        teacher=teacher, data=data, by=request.user
    )):
        messages.success(request, _("The training record was added."))
        return redirect("schools:teacher_detail", pk=teacher.pk)
    return _teacher_detail_page(request, teacher, training_form=form)


@roles_required(*EDITORS)
@require_POST
def rotation_add(request, pk):
    teacher = _teacher_for_edit(request, pk)
    form = RotationForm(request.POST, user=request.user, teacher=teacher)
    if form.is_valid() and _save(form, lambda data: services.rotation_create(teacher=teacher, data=data, by=request.user)):
        messages.success(request, _("The rotation was added."))
        return redirect("schools:teacher_detail", pk=teacher.pk)
    return _teacher_detail_page(request, teacher, rotation_form=form)

