"""Login security: headers (CSP without inline scripts), password rules, lockout, second factor,
forced password changes."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from rectify.language import chosen_language
from rectify.network import client_ip

log = logging.getLogger("rectify.security")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


class RequestSizeMiddleware:
    """Refuse a request body larger than RECTIFY_REQUEST_MAX_BYTES before any of it is read (413),
    so an oversized upload never reaches the views that read files into memory."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        length = request.META.get("CONTENT_LENGTH") or "0"
        limit = settings.RECTIFY_REQUEST_MAX_BYTES
        if length.isdigit() and int(length) > limit:
            log.warning("request body of %s bytes refused on %s", length, request.path)
            # This runs before the language middleware: use the user's language here.
            with translation.override(chosen_language(request)):
                message = _("提交的内容过大（超过 %(mb)d MB），请减少或压缩附件后分次上传") % {"mb": limit // (1024 * 1024)}
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class NulCharacterMiddleware:
    """Refuse (400) a query string carrying a NUL character: no user types one, and PostgreSQL text cannot
    hold it, so it would otherwise fail deep inside a query as a server error."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            log.warning("refused a query string with a NUL character: %s", request.path)
            return render(request, "400.html", status=400)
        return self.get_response(request)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


def redirect_page(request: HttpRequest, url: str) -> HttpResponse:
    """Send the user to `url`. An htmx request (a row's 编辑, a poll, a boosted form) would swap the page it
    is redirected to into its row or fragment, so it is told to load `url` as the whole page (HX-Redirect)."""
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def page_asked_for(request: HttpRequest) -> str:
    """The page to come back to: for an htmx request the page the user was on (not the fragment it asked for)."""
    current = getattr(request, "htmx", None) and request.htmx.current_url  # type: ignore[attr-defined]
    if current:
        parts = urlsplit(current)
        if url_has_allowed_host_and_scheme(current, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
            return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.get_full_path()


class ForcePasswordChangeMiddleware:
    """Accounts created by an administrator (or the demo) must set their own password first, outside demo mode."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None and user.is_authenticated and getattr(user, "must_change_password", False)
            and not settings.RECTIFY_DEMO
        ):
            # The language switch stays usable: the page asking for the new password has it too.
            allowed = {reverse("password_change"), reverse("logout"), reverse("set_language")}
            if request.path not in allowed and not request.path.startswith(settings.STATIC_URL):
                return redirect_page(request, reverse("password_change"))
        return self.get_response(request)


class SecondFactorMiddleware:
    """A session that logged in with the password but still owes its authenticator code reaches
    only the code page and logout; the API treats it as not logged in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from rectify.totp.services import second_factor_pending

        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and second_factor_pending(request):
            if request.path.startswith("/api/"):
                request.user = AnonymousUser()
            elif request.path not in {reverse("totp_verify"), reverse("logout"), reverse("set_language")} and not request.path.startswith(
                settings.STATIC_URL
            ):
                return redirect_page(request, f"{reverse('totp_verify')}?{urlencode({'next': page_asked_for(request)})}")
        return self.get_response(request)


class CharacterClassesValidator:
    """Password rule: characters from at least `min_classes` of upper case, lower case, digits, symbols."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        classes = [
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(self._message(), code="password_too_simple")

    def get_help_text(self) -> str:
        return self._message()

    def _message(self) -> str:
        return _("密码须包含大写字母、小写字母、数字、符号四类中的至少 %(count)d 类") % {"count": self.min_classes}


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check for every login through a web request (the login page, the admin).

    Authentication without a request (management commands, the test client's `login()`) has no
    address to lock, so it is left to the next backend instead of failing.
    """

    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> None:
        if request is None:
            return None
        if settings.AXES_ENABLED and address_failures(request) >= settings.RECTIFY_LOCKOUT_ADDRESS_FAILURES:
            # A password tried across many accounts from one address (a spray) locks the address.
            from axes.helpers import get_credentials
            from axes.signals import user_locked_out

            credentials = get_credentials(username, **kwargs)
            request.axes_locked_out = True  # type: ignore[attr-defined]
            request.axes_credentials = credentials  # type: ignore[attr-defined]
            if not getattr(request, "rectify_address_locked", False):
                request.rectify_address_locked = True  # type: ignore[attr-defined]
                user_locked_out.send("rectify", request=request, username=username, ip_address=client_ip(request))
            raise AxesBackendPermissionDenied("address locked out")
        return super().authenticate(request, username=username, password=password, **kwargs)


def address_failures(request: HttpRequest) -> int:
    """Failed logins from the request's address within the cool-off time, over every account tried."""
    from axes.models import AccessAttempt
    from django.db.models import Sum
    from django.utils import timezone

    address = client_ip(request)
    if not address:
        return 0
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    total = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since).aggregate(
        total=Sum("failures_since_start"))["total"]
    return int(total or 0)


def lockout_response(request: HttpRequest, original_response: HttpResponse | None = None,
                     credentials: dict[str, Any] | None = None) -> HttpResponse:
    """The page shown instead of the login form while a user and address are locked out (axes)."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    by_address = getattr(request, "rectify_address_locked", False)
    log.warning("login locked out: user %r from %s%s", username, client_ip(request), " (address)" if by_address else "")
    failures = settings.RECTIFY_LOCKOUT_ADDRESS_FAILURES if by_address else settings.AXES_FAILURE_LIMIT
    return render(request, "registration/locked.html",
                  {"username": username, "minutes": minutes, "failures": failures, "by_address": by_address},
                  status=429)


class NoStoreMiddleware:
    """Pages and downloads of a signed-in user are never kept by the browser or a proxy (Cache-Control:
    no-store): a shared office computer's back button or cache shows nothing after logout. Static files
    and the public pages (no one signed in) keep their own caching."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(settings.STATIC_URL):
            return response
        user = getattr(request, "auth", None) or getattr(request, "user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            response["Cache-Control"] = "private, no-store"
        return response
