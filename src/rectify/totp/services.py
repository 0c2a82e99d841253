"""Second factor (两步验证): enrol an authenticator app, check its codes after the password, turn it off."""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import re
import unicodedata
from typing import Any

import pyotp
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from rectify import clock
from rectify.audit import services as audit
from rectify.errors import ValidationFailed
from rectify.organizations.models import User
from rectify.totp.models import TotpDevice

ISSUER = "整改台账"
STEP_SECONDS = 30
# Accept the previous and the next code too: phone clocks drift by a few seconds.
DRIFT_STEPS = 1
MAX_FAILURES = 5
LOCK_MINUTES = 15

SESSION_KEY = "rectify_second_factor"
PENDING, VERIFIED, NOT_REQUIRED = "pending", "verified", "not_required"

log = logging.getLogger("rectify.security")


def active_device(user: User) -> TotpDevice | None:
    """The user's confirmed authenticator (两步验证设备), if they turned the second factor on."""
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def pending_device(user: User) -> TotpDevice | None:
    """An authenticator being enrolled: its secret is shown until a first code confirms it."""
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=True).first()


def provisioning_uri(device: TotpDevice) -> str:
    """The otpauth:// URI an authenticator app accepts (typed or pasted in: no QR code is drawn)."""
    return pyotp.TOTP(device.secret).provisioning_uri(name=device.user.username, issuer_name=ISSUER)


@transaction.atomic
def start_enrolment(actor: User) -> TotpDevice:
    """Create a new secret for the actor's authenticator (启用两步验证, step one); inactive until confirmed."""
    device = TotpDevice.objects.select_for_update().filter(user=actor).first()
    if device is not None and device.confirmed:
        raise ValidationFailed(_("两步验证已启用；如需更换验证器，请先停用再重新启用"), field="code")
    device = device or TotpDevice(user=actor)
    device.secret = pyotp.random_base32()
    device.created_at = clock.now()
    device.last_step = device.failures = 0
    device.locked_until = None
    device.save()
    return device


def confirm_enrolment(actor: User, *, code: str) -> TotpDevice:
    """Turn the second factor on once the authenticator shows a correct code (启用两步验证, step two)."""

    def enable(device: TotpDevice) -> None:
        device.confirmed_at = clock.now()
        device.save(update_fields=["confirmed_at"])
        audit.record(actor, "user.totp_enable", actor, after={"username": actor.username, "totp": True})
        log.info("second factor enabled for user %s", actor.username)

    return _use_code(actor, code, confirmed=False, on_success=enable)


def disable_totp(actor: User, *, code: str) -> None:
    """Turn the second factor off (停用两步验证); a current code proves the authenticator is at hand."""

    def remove(device: TotpDevice) -> None:
        device.delete()
        audit.record(actor, "user.totp_disable", actor, after={"username": actor.username, "totp": False})
        log.info("second factor disabled for user %s", actor.username)

    _use_code(actor, code, confirmed=True, on_success=remove)


def verify_code(user: User, *, code: str) -> None:
    """Check the code asked for after the password (两步验证); ValidationFailed says why it is refused."""
    _use_code(user, code, confirmed=True)


def _use_code(user: User, code: str, *, confirmed: bool, on_success: Any = None) -> TotpDevice:
    device, error = _consume(user, code, confirmed=confirmed, on_success=on_success)
    # Raised after the transaction above committed, so a wrong code still counts as a failure.
    if error:
        raise ValidationFailed(error, field="code")
    return device  # type: ignore[return-value]


@transaction.atomic
def _consume(user: User, code: str, *, confirmed: bool, on_success: Any) -> tuple[TotpDevice | None, str]:
    device = TotpDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=not confirmed).first()
    if device is None:
        return None, _("尚未启用两步验证") if confirmed else _("请先生成密钥，再输入验证码")
    now = clock.now()
    if device.locked_until is not None and device.locked_until > now:
        minutes = max(1, int((device.locked_until - now).total_seconds() + 59) // 60)
        return device, _("验证码连续错误次数过多，请 %(minutes)d 分钟后再试") % {"minutes": minutes}
    step = _matching_step(device, code, now)
    if step is None:
        device.failures += 1
        if device.failures >= MAX_FAILURES:
            device.failures = 0
            device.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
            log.warning("second factor locked for user %s after %d wrong codes", user.username, MAX_FAILURES)
        else:
            log.info("wrong second-factor code for user %s", user.username)
        device.save(update_fields=["failures", "locked_until"])
        return device, _("验证码不正确或已使用过，请输入验证器当前显示的 6 位数字")
    device.last_step, device.failures, device.locked_until = step, 0, None
    device.save(update_fields=["last_step", "failures", "locked_until"])
    if on_success is not None:
        on_success(device)
    return device, ""


def _matching_step(device: TotpDevice, code: str, now: dt.datetime) -> int | None:
    """The time step whose code this is, if it is current and not used before."""
    code = re.sub(r"\s", "", unicodedata.normalize("NFKC", code or ""))
    if not re.fullmatch(r"\d{6}", code):
        return None
    totp = pyotp.TOTP(device.secret, interval=STEP_SECONDS)
    current = int(now.timestamp()) // STEP_SECONDS
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if step > device.last_step and hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


# --- the session's second-factor state ------------------------------------------------------------


def start_second_factor(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """On each password login: ask for a code if the user has an authenticator, else nothing."""
    if request is None or not hasattr(request, "session"):
        return
    request.session[SESSION_KEY] = PENDING if active_device(user) else NOT_REQUIRED


def second_factor_pending(request: HttpRequest) -> bool:
    """Whether this logged-in session still owes the code after the password."""
    state = request.session.get(SESSION_KEY)
    if state is None:
        # A session that began without the login hook: decide once, failing closed.
        state = PENDING if active_device(request.user) else NOT_REQUIRED  # type: ignore[arg-type]
        request.session[SESSION_KEY] = state
    return state == PENDING


def mark_verified(request: HttpRequest) -> None:
    request.session[SESSION_KEY] = VERIFIED
    request.session.cycle_key()
