"""Pages of the second factor: turning it on or off, and the code asked for after the password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from rectify.errors import ValidationFailed
from rectify.totp import services

ACTIONS = {"start", "confirm", "disable"}


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def totp_settings(request: HttpRequest) -> HttpResponse:
    """Turn the authenticator on (generate a secret, confirm a code) or off (with a code)."""
    action = request.POST.get("action")
    if request.method == "POST" and action in ACTIONS:
        code = request.POST.get("code", "")
        try:
            if action == "start":
                services.start_enrolment(request.user)  # type: ignore[arg-type]
            elif action == "confirm":
                services.confirm_enrolment(request.user, code=code)  # type: ignore[arg-type]
                services.mark_verified(request)
                messages.success(request, _("两步验证已启用，今后登录时需输入验证器中的 6 位验证码"))
            else:
                services.disable_totp(request.user, code=code)  # type: ignore[arg-type]
                messages.success(request, _("两步验证已停用"))
        except ValidationFailed as error:
            messages.error(request, error.message)
        return redirect("totp_settings")
    active = services.active_device(request.user)  # type: ignore[arg-type]
    pending = None if active else services.pending_device(request.user)  # type: ignore[arg-type]
    return render(request, "registration/totp_settings.html", {
        "active": active, "pending": pending,
        "secret_groups": _groups(pending.secret) if pending else [],
        "uri": services.provisioning_uri(pending) if pending else "",
    })


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def totp_verify(request: HttpRequest) -> HttpResponse:
    """After the password: the 6-digit code from the user's authenticator app."""
    target = _safe_next(request)
    if not services.second_factor_pending(request):
        return redirect(target)
    error = ""
    if request.method == "POST":
        try:
            services.verify_code(request.user, code=request.POST.get("code", ""))  # type: ignore[arg-type]
        except ValidationFailed as failure:
            error = failure.message
        else:
            services.mark_verified(request)
            return redirect(target)
    return render(request, "registration/totp_verify.html",
                  {"error": error, "next": target}, status=400 if error else 200)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or "/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


def _groups(secret: str) -> list[str]:
    return [secret[i:i + 4] for i in range(0, len(secret), 4)]
