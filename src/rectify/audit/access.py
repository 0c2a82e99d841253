"""Auditing who got in and what left the system: logins, failed logins, lockouts, exports, downloads.

These happen outside the services (Django's login, django-axes, file responses), so they are recorded
here: the login events from the authentication signals Django and django-axes send for every login
form (the site's and the admin's), the exports and downloads by a middleware that sees every attachment
a signed-in user receives, from a page or the API. Each event names the client's address.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.http import HttpRequest, HttpResponse

from rectify.audit import services as audit
from rectify.network import client_ip

# Views whose attachment is one evidence file (the page and the API): the event names that file.
EVIDENCE_VIEWS = {"ledger:evidence", "api:download_evidence"}
# Views whose attachment is one unit's data: the model the URL names, the URL's keyword for it, and the path
# from it to the unit. The export event carries that unit, so the unit's office sees it in the audit log;
# an export across units (the overview, the common problems) stays on the system chain.
UNIT_EXPORTS = {
    "spreadsheets:export_ledger": ("inspections.Inspection", "pk", "target_id"),
    "reports:draft_download": ("reports.Report", "report_id", "inspection__target_id"),
    "reports:download": ("reports.Report", "report_id", "inspection__target_id"),
    "supervision:dispatch_download": ("organizations.Organization", "pk", "pk"),
    "supervision:order_docx": ("supervision.Order", "pk", "unit_id"),
}
_FILENAME = re.compile(r"filename\*=utf-8''([^;]+)|filename=\"?([^\";]*)", re.IGNORECASE)


def _address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return client_ip(request)


def record_login(sender: Any, request: HttpRequest | None = None, user: Any = None, **kwargs: Any) -> None:
    """A successful login (登录)."""
    audit.record(user, "auth.login", user, after={"address": _address(request)},
                 note=(request.path if request is not None else ""))


def record_login_failed(sender: Any, credentials: dict[str, Any] | None = None,
                        request: HttpRequest | None = None, **kwargs: Any) -> None:
    """A failed login (登录失败): the name tried, never the password."""
    username = str((credentials or {}).get("username") or "")[:150]
    audit.record(None, "auth.login_failed", object_type="auth.user", object_id=username[:64],
                 after={"username": username, "address": _address(request)})


def record_lockout(sender: Any, request: HttpRequest | None = None, username: str | None = None,
                   ip_address: str | None = None, **kwargs: Any) -> None:
    """A lockout (账号锁定) after repeated failures, by user and address or by address alone."""
    scope = "address" if getattr(request, "rectify_address_locked", False) else "user_address"
    name = str(username or "")[:150]
    audit.record(None, "auth.lockout", object_type="auth.user", object_id=name[:64],
                 after={"username": name, "address": ip_address or _address(request), "scope": scope})


def _filename(response: HttpResponse) -> str:
    from urllib.parse import unquote

    match = _FILENAME.search(response.get("Content-Disposition", ""))
    if not match:
        return ""
    return unquote(match.group(1)) if match.group(1) else match.group(2)


class AccessAuditMiddleware:
    """Record every attachment a signed-in user receives: an evidence download or an export (导出)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 200 and response.get("Content-Disposition", "").startswith("attachment"):
            user = getattr(request, "auth", None) or getattr(request, "user", None)
            if user is not None and getattr(user, "is_authenticated", False):
                self._record(request, response, user)
        return response

    def _record(self, request: HttpRequest, response: HttpResponse, user: Any) -> None:
        match = request.resolver_match
        view = match.view_name if match else ""
        kwargs = dict(match.kwargs) if match else {}
        details = {"address": _address(request), "path": request.get_full_path()[:500], "file": _filename(response)}
        if view in EVIDENCE_VIEWS:
            # The audit log knows models by name only (it sits below every app).
            Evidence = apps.get_model("ledger", "Evidence")  # noqa: N806
            evidence_id = kwargs.get("pk") or kwargs.get("evidence_id")
            evidence = Evidence.objects.filter(pk=evidence_id).select_related("task").only("pk", "task__unit_id").first()
            audit.record(user, "evidence.download", object_type="ledger.evidence", object_id=evidence_id,
                         unit_id=evidence.task.unit_id if evidence else None, after=details)
            return
        audit.record(user, "export", object_type=view[:64], object_id=",".join(str(v) for v in kwargs.values())[:64],
                     unit_id=_export_unit(view, kwargs), after=details)


def _export_unit(view: str, kwargs: dict[str, Any]) -> int | None:
    """The unit whose data an export holds, or None for an export across units."""
    if view not in UNIT_EXPORTS:
        return None
    label, keyword, path = UNIT_EXPORTS[view]
    unit_id: int | None = (apps.get_model(label).objects.filter(pk=kwargs.get(keyword))
                           .values_list(path, flat=True).first())
    return unit_id
