from django.urls import path

from rectify.supervision import views

app_name = "supervision"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.inbox_read, name="inbox_read"),
    path("units/<int:pk>/dispatch/", views.dispatch, name="dispatch"),
    path("units/<int:pk>/dispatch/decide/", views.dispatch_decide, name="dispatch_decide"),
    path("units/<int:pk>/dispatch/<str:fmt>/", views.dispatch_download, name="dispatch_download"),
    path("units/<int:pk>/orders/", views.orders, name="orders"),
    path("orders/<int:pk>/", views.order_detail, name="order"),
    path("orders/<int:pk>/docx/", views.order_docx, name="order_docx"),
    path("orders/<int:pk>/<slug:action>/", views.order_action, name="order_action"),
    path("inspections/<int:pk>/review/", views.review, name="review"),
    path("inspections/<int:pk>/review/<slug:action>/", views.review_action, name="review_action"),
    path("inspections/<int:pk>/look-backs/", views.look_backs, name="look_backs"),
    path("look-backs/<int:pk>/record/", views.look_back_record, name="look_back_record"),
    path("tasks/<int:pk>/flags/", views.task_flags, name="task_flags"),
    path("common-problems/", views.common_problems, name="common_problems"),
    path("common-problems/xlsx/", views.common_problems_xlsx, name="common_problems_xlsx"),
]
