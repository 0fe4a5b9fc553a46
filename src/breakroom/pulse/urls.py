from django.urls import path

from . import views

app_name = "pulse"

urlpatterns = [
    path("me/sites/<slug:slug>/checkin/", views.checkin, name="checkin"),
    path("s/<slug:slug>/pulse/", views.dashboard, name="dashboard"),
    path("s/<slug:slug>/pulse/figures.csv", views.figures_csv, name="figures-csv"),
    path("pulse/", views.campaign_dashboard, name="campaign"),
    path("organise/<slug:slug>/pulse/questions/", views.questions, name="questions"),
    path(
        "organise/<slug:slug>/pulse/questions/<int:question_id>/end/",
        views.question_end,
        name="question-end",
    ),
    path("manage/pulse/questions/", views.questions, name="campaign-questions"),
    path(
        "manage/pulse/questions/<int:question_id>/end/",
        views.question_end,
        name="campaign-question-end",
    ),
]
