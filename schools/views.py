# Placeholder views, replaced by the pages work in this same change.
from django.http import HttpResponse

from bureau.permissions import SCHOOL_READERS, roles_required


@roles_required(*SCHOOL_READERS)
def school_list(request):
    return HttpResponse("")


@roles_required(*SCHOOL_READERS)
def school_detail(request, pk):
    return HttpResponse("")


@roles_required(*SCHOOL_READERS)
def teacher_list(request):
    return HttpResponse("")
