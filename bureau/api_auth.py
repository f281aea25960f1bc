"""Token login for API clients: POST a username and password, get the account's token."""

from django.conf import settings
from django.contrib.auth import authenticate, user_logged_in
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions as drf_permissions
from rest_framework import serializers
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau import services


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("Username"), max_length=150)
    password = serializers.CharField(label=_("Password"), style={"input_type": "password"}, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True, help_text=_("Send it as the header `Authorization: Token <token>`."))


class ObtainTokenView(APIView):
    """Exchange a username and password for the account's API token.

    The password check goes through `authenticate(request=...)`, so django-axes counts
    failures here exactly as on the login page and refuses a locked account.
    """

    authentication_classes = []
    permission_classes = [drf_permissions.AllowAny]
    # A rate of its own per address (API_THROTTLE_TOKEN), beside the per-address limit on
    # failed log-ins across user names (bureau/ratelimit.py).
    throttle_scope = "token"
    serializer_class = TokenRequestSerializer

    @extend_schema(
        auth=[],
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description=_("Wrong username or password, or an inactive account.")),
            429: OpenApiResponse(description=_("Too many failed attempts: the account is locked for a while.")),
        },
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            request=request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        # axes flags the request it was given (this DRF request) when the account is locked.
        if getattr(request, "axes_locked_out", False):
            raise Throttled(
                wait=settings.AXES_COOLOFF_TIME.total_seconds() if settings.AXES_COOLOFF_TIME else None,
                detail=gettext("Too many failed login attempts: this account is locked for a while."),
            )
        if user is None or not user.is_active:
            raise ValidationError({"non_field_errors": [_("Unable to log in with the username and password given.")]})
        # A token is a login: record it (last_login) and let axes clear the failures.
        user_logged_in.send(sender=user.__class__, request=request, user=user)
        # The first token of an account is made here or on the token page: both audit it.
        return Response({"token": services.user_token_obtain(user=user).key})
