"""The interface language: Chinese unless the user has chosen another one.

Django's LocaleMiddleware also follows the browser's Accept-Language, which would show English to an
official whose office computer happens to run an English system. Rectify speaks Chinese first, so only
the language the user picked with the switch in the page header (the ``set_language`` cookie) counts.
"""

from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

from rectify.rules.messages import Message


def chosen_language(request) -> str:
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # For this request only: the thread goes back to its language afterwards.
        with translation.override(chosen_language(request)):
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


def localize(text: Any) -> Any:
    """A rule's `Message` in the active language (its own Chinese when none is active); anything else unchanged."""
    if not isinstance(text, Message):
        return text
    return text.render(translation.gettext)
