from django.urls import path

from . import views

app_name = "voice"

urlpatterns = [
    path("s/<slug:slug>/report/", views.report_create, name="report-create"),
    path("s/<slug:slug>/report/saved/", views.report_saved, name="report-saved"),
    path("s/<slug:slug>/thread/", views.thread_open, name="thread-open"),
    path("s/<slug:slug>/thread/reply/", views.thread_reply, name="thread-reply"),
    path("organise/<slug:slug>/reports/", views.inbox, name="inbox"),
    path("organise/<slug:slug>/reports/access/", views.report_access, name="report-access"),
    path(
        "organise/<slug:slug>/reports/<uuid:report_id>/", views.report_detail, name="report-detail"
    ),
    path(
        "organise/<slug:slug>/reports/<uuid:report_id>/reply/",
        views.report_reply,
        name="report-reply",
    ),
    path(
        "organise/<slug:slug>/reports/<uuid:report_id>/status/",
        views.report_status,
        name="report-status",
    ),
]
