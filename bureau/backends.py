"""The portal's authentication backend: Django's ModelBackend, loading the user once per request
with what every page shows of it.

Every page's header names the user's department and district (templates/base.html); loaded
with the user, they cost no query of their own.
"""

from django.contrib.auth.backends import ModelBackend

# The path a view names when it logs a user in itself (login(..., backend=PORTAL_BACKEND)).
PORTAL_BACKEND = "bureau.backends.PortalBackend"
# What every page reads of the logged-in user besides its own row.
USER_RELATED = ("department", "district")


class PortalBackend(ModelBackend):
    def get_user(self, user_id):
        user = self._user_queryset().filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    @staticmethod
    def _user_queryset():
        from django.contrib.auth import get_user_model

        return get_user_model()._default_manager.select_related(*USER_RELATED)
