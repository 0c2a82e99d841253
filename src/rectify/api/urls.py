from django.urls import path

from rectify.api.main import api

urlpatterns = [path("", api.urls)]
