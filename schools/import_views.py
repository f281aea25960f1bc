# Placeholder, replaced by the import/export work in this same change.
from django.http import HttpResponse

from bureau.permissions import DATA_KEEPERS, roles_required


@roles_required(*DATA_KEEPERS)
def import_start(request):
    return HttpResponse("")
