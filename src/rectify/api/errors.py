"""One exception handler: every API error is `{"code", "message", "field"}` with a message for the user.

The message is Chinese unless the caller chose English (the `django_language` cookie of a web session):
a token client without that cookie always gets Chinese.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from rectify.errors import (
    Forbidden,
    InvalidTransition,
    NotVisible,
    RectifyError,
    StaleWrite,
    ValidationFailed,
)

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger(__name__)


class ApiError(Exception):
    """An error the API itself raises (authentication, tokens), with its HTTP status and stable code."""

    def __init__(self, status: int, code: str, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field


STATUS: dict[type[RectifyError], int] = {
    NotVisible: 404,
    Forbidden: 403,
    InvalidTransition: 409,
    StaleWrite: 409,
    ValidationFailed: 422,
}

HTTP_CODES: dict[int, tuple[str, str]] = {
    400: ("bad_request", gettext_noop("请求无法解析，请检查请求体格式")),
    401: ("unauthenticated", gettext_noop("请先登录或提供有效的接口令牌")),
    403: ("forbidden", gettext_noop("您无权执行此操作")),
    404: ("not_found", gettext_noop("未找到该记录")),
    405: ("method_not_allowed", gettext_noop("不支持该请求方法")),
    429: ("throttled", gettext_noop("请求过于频繁，请稍后再试")),
}


def body(code: str, message: str, field: str | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "field": field}


def field_label(name: str) -> str:
    """The label of an input field (Chinese by default), taken from the models' verbose names where they have one."""
    from rectify.api.labels import LABELS

    return str(LABELS.get(name, name))


def describe(error: dict[str, Any]) -> tuple[str | None, str]:
    """(field, message) for one pydantic/ninja validation error."""
    loc = [part for part in error.get("loc", ()) if isinstance(part, str)]
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    # loc is (source, parameter, field…): the body as a whole when only the parameter is named.
    field = loc[-1] if len(loc) >= 2 else None
    if kind in {"json_invalid", "model_attributes_type", "dict_type", "model_type"} or (
        loc and loc[0] == "body" and len(loc) <= 2 and kind != "missing"
    ):
        return None, _("请求体格式不正确，应为 JSON 对象")
    # Translators: a field's name quoted inside a validation message
    label = _("「%(label)s」") % {"label": field_label(field or "")}
    messages: dict[str, str] = {
        "missing": _("缺少必填项%(label)s"),
        "string_too_long": _("%(label)s不能超过 %(max_length)s 个字符"),
        "string_too_short": _("%(label)s不能为空"),
        "string_type": _("%(label)s应为文本"),
        "int_parsing": _("%(label)s应为整数"),
        "int_type": _("%(label)s应为整数"),
        "int_from_float": _("%(label)s应为整数"),
        "greater_than_equal": _("%(label)s不能小于 %(ge)s"),
        "greater_than": _("%(label)s应大于 %(gt)s"),
        "less_than_equal": _("%(label)s不能大于 %(le)s"),
        "less_than": _("%(label)s应小于 %(lt)s"),
        "bool_parsing": _("%(label)s应为 true 或 false"),
        "bool_type": _("%(label)s应为 true 或 false"),
        "enum": _("%(label)s取值无效，可选：%(expected)s"),
        "literal_error": _("%(label)s取值无效，可选：%(expected)s"),
        "list_type": _("%(label)s应为列表"),
        "too_long": _("%(label)s最多 %(max_length)s 项"),
        "decimal_parsing": _("%(label)s应为数值"),
        "decimal_type": _("%(label)s应为数值"),
        "decimal_max_digits": _("%(label)s最多 %(max_digits)s 位数字"),
        "decimal_max_places": _("%(label)s最多 %(decimal_places)s 位小数"),
        "decimal_whole_digits": _("%(label)s整数部分过长"),
        "finite_number": _("%(label)s应为有限数值"),
        "text_control": _("%(label)s含有不允许的控制字符"),
        "date_range": _("%(label)s超出允许的日期范围（1900-01-01 至 2999-12-31）"),
    }
    template = messages.get(kind)
    if template is None and kind.startswith("date"):
        template = _("%(label)s应为日期，格式 YYYY-MM-DD")
    if template is None:
        template = _("%(label)s的值无效")
    values = {"label": label, **{k: ctx.get(k, "") for k in ("max_length", "ge", "gt", "le", "lt", "expected",
                                                          "max_digits", "decimal_places")}}
    return field, template % values


def _respond(api: NinjaAPI, request: HttpRequest, status: int, payload: dict[str, Any]) -> HttpResponse:
    return api.create_response(request, payload, status=status)


def install(api: NinjaAPI) -> None:
    """Register the handlers: domain errors, API errors, validation (422), authentication (401)."""

    def on_rectify_error(request: HttpRequest, exc: RectifyError) -> HttpResponse:
        status = next((code for cls, code in STATUS.items() if isinstance(exc, cls)), 400)
        return _respond(api, request, status, body(exc.code, exc.message, exc.field))

    def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        response = _respond(api, request, exc.status, body(exc.code, exc.message, exc.field))
        if exc.status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="rectify"'
        return response

    def on_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        described = [describe(error) for error in exc.errors] or [(None, _("输入无效"))]
        message = _("；").join(dict.fromkeys(text for _field, text in described))
        return _respond(api, request, 422, body("invalid", message, described[0][0]))

    def on_django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            field, errors = next(iter(exc.error_dict.items()))
            message = _("；").join(str(m) for e in errors for m in e.messages)
            label = field_label(field)
            text = _("「%(label)s」%(message)s") % {"label": label, "message": message}
            return _respond(api, request, 422, body("invalid", text, field))
        return _respond(api, request, 422, body("invalid", _("；").join(exc.messages), None))

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code, message = HTTP_CODES.get(exc.status_code, ("error", gettext_noop("请求失败")))
        return _respond(api, request, exc.status_code, body(code, _(message)))

    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        code, message = HTTP_CODES[401]
        response = _respond(api, request, 401, body(code, _(message)))
        response["WWW-Authenticate"] = 'Bearer realm="rectify"'
        return response

    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return _respond(api, request, 404, body("not_found", _("未找到该记录")))

    def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return _respond(api, request, 403, body("forbidden", str(exc) or _("您无权执行此操作")))

    def on_integrity_error(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
        # The database's constraints are the last check: a write a service let through is refused, not a 500.
        logger.warning("API write refused by a database constraint: %s", exc)
        return _respond(api, request, 409, body("constraint", _("保存失败：该操作与现有数据的约束冲突，请刷新后检查")))

    api.add_exception_handler(RectifyError, on_rectify_error)
    api.add_exception_handler(IntegrityError, on_integrity_error)
    api.add_exception_handler(ApiError, on_api_error)
    api.add_exception_handler(NinjaValidationError, on_validation)
    api.add_exception_handler(DjangoValidationError, on_django_validation)
    api.add_exception_handler(AuthenticationError, on_unauthenticated)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(PermissionDenied, on_permission_denied)
