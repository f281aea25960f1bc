from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework import routers

from bureau.api_auth import ObtainTokenView
from bureau.permissions import ALL_ROLES
from schools import api as schools_api


class APIRootView(routers.APIRootView):
    """The list of endpoints, for any logged-in account (the endpoints check their own roles)."""

    allowed_roles = ALL_ROLES


class Router(routers.DefaultRouter):
    APIRootView = APIRootView


router = Router()
schools_api.register(router)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api_schema"), name="api_docs"),
    path("v1/auth/token/", ObtainTokenView.as_view(), name="api_token"),
    path("v1/", include((router.urls, "api"), namespace="api")),
]
