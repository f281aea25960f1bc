"""Writes of the gate sign (挂牌): an inspector keeps its card (photo, public telephone)."""

from django.db import transaction
from django.utils.translation import gettext as _

from bureau import uploads
from bureau.errors import DomainError
from bureau.services import model_create, model_update
from inspections.models import InspectorCard
from inspections.permissions import looks_after_zones

PHOTO_KINDS = frozenset({"jpeg", "png", "webp"})


@transaction.atomic
def card_update(*, user, phone, photo=None, by):
    """Set the inspector's card; a new photo replaces the old one (checked by its content)."""
    if by.pk != user.pk or not looks_after_zones(user):
        raise DomainError(_("An inspector keeps its own card."))
    card = InspectorCard.objects.select_for_update().filter(user=user).first()
    data = {"phone": phone.strip()}
    old_photo = card.photo.name if card is not None else ""
    if photo is not None:
        kind = uploads.upload_check(photo)
        if kind.code not in PHOTO_KINDS:
            raise uploads.UploadError(_("Use a JPEG, PNG or WebP photo for the sign."))
        data.update(photo=uploads.upload_store(photo, folder="signs", kind=kind), photo_kind=kind.code)
    if card is None:
        card = model_create(model=InspectorCard, data={"user": user, **data}, by=by)
    else:
        card, _changed = model_update(instance=card, data=data, by=by)
    if photo is not None and old_photo:
        transaction.on_commit(lambda: uploads.upload_delete(old_photo))
    return card
