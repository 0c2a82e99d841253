from django.contrib import admin
from django.urls import include, path

from rectify.inspections import urls as inspections_urls
from rectify.ledger import urls as ledger_urls

urlpatterns = [
    path("", include("rectify.organizations.urls")),
    path("", include("rectify.totp.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("rectify.api.urls")),
    path("reports/", include("rectify.reports.urls")),
    path("supervision/", include("rectify.supervision.urls")),
    path("portal/", include("rectify.reports.portal_urls")),
    # The notice import is an inspections page that writes ledger rows: the ledger serves it, under the
    # inspections' names, so inspections never imports the ledger.
    path("", include((inspections_urls.urlpatterns + ledger_urls.inspection_urlpatterns, inspections_urls.app_name))),
    path("", include("rectify.spreadsheets.urls")),
    path("", include("rectify.ledger.urls")),
]
