from django.contrib.auth import views as auth_views
from django.urls import path

from rectify.organizations.views import password_change, people

# Account pages keep their un-namespaced names: Django's LOGIN_URL and the templates use "login".
urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", password_change, name="password_change"),
    path("units/<int:pk>/people/", people, name="people"),
]
