"""Where a request comes from: one answer for lockouts, rate limits and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address for lockouts and rate limits (the one place it is decided): REMOTE_ADDR, or
    behind RECTIFY_PROXY_COUNT trusted reverse proxies the entry they appended to X-Forwarded-For (entries
    further left can be forged)."""
    proxies = getattr(settings, "RECTIFY_PROXY_COUNT", 0)
    if proxies > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR")
