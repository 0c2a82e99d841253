"""A step refused while the page sent it through htmx (a boosted form, an inline edit): the answer is the
message with a 4xx status, so htmx leaves the page as it is, what the user typed stays in the form, and the
page's error handler (static/rectify/app.js) shows the message. Without htmx the page is reloaded with it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from rectify.errors import InvalidTransition, RectifyError, StaleWrite


def htmx_refusal(request: HttpRequest, error: RectifyError) -> HttpResponse | None:
    """409 for a step the record's state or version no longer allows, 422 for input that breaks a rule;
    None when the request did not come through htmx."""
    if not getattr(request, "htmx", False):
        return None
    status = 409 if isinstance(error, InvalidTransition | StaleWrite) else 422
    return HttpResponse(error.message, status=status, content_type="text/plain; charset=utf-8")
