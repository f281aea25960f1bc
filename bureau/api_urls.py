from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import exceptions, routers
from rest_framework.renderers import JSONRenderer

from bureau.api_auth import ObtainTokenView
from bureau.permissions import ALL_ROLES


class APIRootView(routers.APIRootView):
    """The list of endpoints, for any logged-in account (the endpoints check their own roles)."""

    allowed_roles = ALL_ROLES


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema (YAML, or JSON when asked), for logged-in accounts. Its errors
    are JSON like every other answer under /api/, not YAML."""

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI: a page for people, so one who is not logged in is sent to log in."""

    def handle_exception(self, exc):
        if isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
            return redirect_to_login(self.request.get_full_path())
        return super().handle_exception(exc)


class Router(routers.DefaultRouter):
    APIRootView = APIRootView


router = Router()
# Each app that serves an API has an `api` module with `register(router)`; found here by
# name so that bureau imports no domain app.
for app_config in apps.get_app_configs():
    ours = Path(app_config.path).is_relative_to(settings.BASE_DIR) and "site-packages" not in Path(app_config.path).parts
    if ours and find_spec(f"{app_config.name}.api") is not None:
        register = getattr(import_module(f"{app_config.name}.api"), "register", None)
        if register is not None:
            register(router)

urlpatterns = [
    path("schema/", SchemaView.as_view(), name="api_schema"),
    # The split view serves its script as a file: the Content-Security-Policy allows no inline script.
    path("docs/", DocsView.as_view(url_name="api_schema"), name="api_docs"),
    path("v1/auth/token/", ObtainTokenView.as_view(), name="api_token"),
    path("v1/", include((router.urls, "api"), namespace="api")),
]
