"""The gate sign (挂牌): a public page per school, found by name or code, and its A4 PDF; and
the inspector's own card (photo, telephone) that the sign prints.

The 2013 national rules on responsible inspectors (责任督学挂牌督导) put a sign at every school
with its inspector's name, photo and contact, so that parents know whom to tell. These
pages need no login, are rate-limited per address, and show nothing but the sign.
"""

import base64

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from bureau import uploads
from bureau.models import Role
from bureau.pdf import render_pdf
from bureau.permissions import public, roles_required
from bureau.ratelimit import public_rate_limited
from bureau.webforms import run_service
from inspections import selectors
from inspections import services as sign_services
from inspections.forms import InspectorCardForm, SignSearchForm
from inspections.models import InspectorCard


@public
@public_rate_limited("sign")
@require_GET
def sign_search(request):
    form = SignSearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    return render(request, "inspections/sign_search.html", {"form": form, "q": q,
                                                            "schools": selectors.sign_search(q=q)})


def _sign_context(pk):
    school, zone, inspectors = selectors.sign_for(pk=pk)
    return {"school": school, "zone": zone, "inspectors": inspectors}


@public
@public_rate_limited("sign")
@require_GET
def sign_page(request, pk):
    return render(request, "inspections/sign.html", _sign_context(pk))


def _data_uri(card):
    if not card or not card.photo:
        return ""
    kind = uploads.KINDS_BY_CODE.get(card.photo_kind)
    with default_storage.open(card.photo.name, "rb") as handle:
        return f"data:{kind.content_type};base64,{base64.b64encode(handle.read()).decode()}"


@public
@public_rate_limited("sign")
@require_GET
def sign_pdf(request, pk):
    """The sign as an A4 page (WeasyPrint, Noto CJK fonts): what the school prints for its gate."""
    context = _sign_context(pk)
    for inspector in context["inspectors"]:
        inspector.photo_uri = _data_uri(getattr(inspector, "inspector_card", None))
    # The photos are inline; the fetcher reads nothing but the project's static files.
    pdf = render_pdf("inspections/sign_pdf.html", context, stylesheets=["css/sign_pdf.css"], request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="sign-{context["school"].code}.pdf"'
    return response


@public
@public_rate_limited("sign")
@require_GET
def sign_photo(request, pk):
    card = selectors.sign_photo(card_pk=pk)
    return uploads.upload_response(name=card.photo.name, kind=uploads.KINDS_BY_CODE[card.photo_kind],
                                   label=f"{card.pk}{uploads.KINDS_BY_CODE[card.photo_kind].extension}")


@roles_required(Role.INSPECTOR)
def my_card(request):
    card = InspectorCard.objects.filter(user=request.user).first()
    form = InspectorCardForm(request.POST or None, request.FILES or None,
                             initial={"phone": card.phone if card else request.user.mobile})
    if request.method == "POST" and form.is_valid():
        def action():
            sign_services.card_update(user=request.user, phone=form.cleaned_data["phone"],
                                      photo=form.cleaned_data["photo"], by=request.user)

        if run_service(form, action):
            messages.success(request, _("Your card is saved: the signs of your schools show it."))
            return redirect("inspections:my_card")
    schools = [link.school for zone in selectors.my_zones(user=request.user) for link in zone.school_links.all()]
    return render(request, "inspections/my_card.html", {"form": form, "card": card, "schools": schools},
                  status=400 if form.is_bound else 200)
