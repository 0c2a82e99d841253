from django.urls import path

from rectify.reports import portal_views

app_name = "portal"
urlpatterns = [
    path("", portal_views.index, name="index"),
    path("lookup/", portal_views.lookup, name="lookup"),
    path("<int:report_id>/", portal_views.notice, name="notice"),
    path("<int:report_id>/download.<str:fmt>", portal_views.download, name="download"),
]
