from django.urls import path

from rectify.reports import views

app_name = "reports"
urlpatterns = [
    path("inspection/<int:inspection_id>/", views.inspection_reports, name="inspection"),
    path("inspection/<int:inspection_id>/generate/", views.generate, name="generate"),
    path("inspection/<int:inspection_id>/jobs/<int:job>/", views.generate_job, name="generate_job"),
    path("<int:report_id>/", views.detail, name="detail"),
    path("<int:report_id>/jobs/<int:job>/", views.file_job, name="file_job"),
    path("<int:report_id>/jobs/<int:job>/file", views.job_file, name="job_file"),
    path("<int:report_id>/title/", views.rename, name="rename"),
    path("<int:report_id>/sections/<int:section_id>/", views.edit_section, name="section"),
    path("<int:report_id>/publish/", views.publish, name="publish"),
    path("<int:report_id>/draft.<str:fmt>", views.download_draft, name="draft_download"),
    path("<int:report_id>/versions/", views.versions, name="versions"),
    path("<int:report_id>/versions/<int:number>/", views.version, name="version"),
    path("<int:report_id>/versions/<int:number>/download.<str:fmt>", views.download, name="download"),
    path("<int:report_id>/compare/", views.compare, name="compare"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:feedback_id>/handle/", views.handle, name="handle"),
]
