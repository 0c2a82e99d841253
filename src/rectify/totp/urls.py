from django.urls import path

from rectify.totp.views import totp_settings, totp_verify

urlpatterns = [
    path("accounts/totp/", totp_settings, name="totp_settings"),
    path("accounts/totp/verify/", totp_verify, name="totp_verify"),
]
