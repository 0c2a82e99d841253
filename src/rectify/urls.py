from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("rectify.organizations.urls")),
    path("", include("rectify.totp.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("rectify.api.urls")),
    path("reports/", include("rectify.reports.urls")),
    path("supervision/", include("rectify.supervision.urls")),
    path("portal/", include("rectify.reports.portal_urls")),
    path("", include("rectify.inspections.urls")),
    path("", include("rectify.spreadsheets.urls")),
    path("", include("rectify.ledger.urls")),
]
