from django.urls import path

from . import diary, openapi, pulse, views, voice

app_name = "api"

urlpatterns = [
    path("openapi.json", openapi.openapi, name="openapi"),
    path("sites/<slug:slug>/token-keys", views.token_keys, name="token-keys"),
    path("sites/<slug:slug>/tokens/issue", views.tokens_issue, name="tokens-issue"),
    path("sites/<slug:slug>/tokens/spend", views.tokens_spend, name="tokens-spend"),
    path(
        "sites/<slug:slug>/tokens/<str:purpose>/<str:period>/spent",
        views.tokens_spent_audit,
        name="tokens-spent",
    ),
    path("sites/<slug:slug>/reports", voice.report_send, name="report-send"),
    path("sites/<slug:slug>/reports/thread", voice.report_thread, name="report-thread"),
    path(
        "sites/<slug:slug>/reports/thread/reply",
        voice.report_thread_reply,
        name="report-thread-reply",
    ),
    path("sites/<slug:slug>/report-figures", voice.report_figures, name="report-figures"),
    path("sites/<slug:slug>/pulse/questions", pulse.questions, name="pulse-questions"),
    path("sites/<slug:slug>/pulse/checkin", pulse.checkin, name="pulse-checkin"),
    path("sites/<slug:slug>/pulse/dashboard", pulse.dashboard, name="pulse-dashboard"),
    path("pulse/dashboard", pulse.campaign_dashboard, name="pulse-campaign-dashboard"),
    path("sites/<slug:slug>/diary/summaries", diary.summary_contribute, name="diary-summaries"),
    path("sites/<slug:slug>/diary/figures", diary.figures, name="diary-figures"),
    path("sites/<slug:slug>/inbox", voice.inbox, name="inbox"),
    path("sites/<slug:slug>/inbox/<uuid:report_id>", voice.inbox_report, name="inbox-report"),
    path("sites/<slug:slug>/inbox/<uuid:report_id>/reply", voice.inbox_reply, name="inbox-reply"),
    path(
        "sites/<slug:slug>/inbox/<uuid:report_id>/status", voice.inbox_status, name="inbox-status"
    ),
]
