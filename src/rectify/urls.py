from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from rectify.organizations.views import password_change, people
from rectify.totp.views import totp_settings, totp_verify

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", password_change, name="password_change"),
    path("units/<int:pk>/people/", people, name="people"),
    path("accounts/totp/", totp_settings, name="totp_settings"),
    path("accounts/totp/verify/", totp_verify, name="totp_verify"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("rectify.api.urls")),
    path("reports/", include("rectify.reports.urls")),
    path("supervision/", include("rectify.supervision.urls")),
    path("portal/", include("rectify.reports.portal_urls")),
    path("", include("rectify.ledger.urls")),
]
