"""Interactive API docs served entirely from the app's own static files: no CDN on an air-gapped intranet."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase

if TYPE_CHECKING:
    from ninja import NinjaAPI


class LocalSwagger(DocsBase):
    """Swagger UI from `api/static/api/swagger/` (vendored swagger-ui-dist), configured not to call home."""

    template = "api/docs.html"

    def __init__(self, settings: dict[str, Any] | None = None) -> None:
        self.settings: dict[str, Any] = {
            "layout": "BaseLayout",
            "deepLinking": True,
            # Swagger UI would otherwise send the schema to validator.swagger.io.
            "validatorUrl": None,
            "persistAuthorization": False,
            **(settings or {}),
        }

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        config = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        return render(request, self.template, {"api": api, "config": config})
