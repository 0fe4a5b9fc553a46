from django.urls import path

from . import views

app_name = "diary"

urlpatterns = [
    path("me/diary/", views.home, name="home"),
    path("me/diary/shifts/", views.shift_add, name="shift-add"),
    path("me/diary/absences/", views.absence_add, name="absence-add"),
    path("me/diary/entries/<uuid:entry_id>/delete/", views.entry_delete, name="entry-delete"),
    path("me/diary/profile/", views.profile, name="profile"),
    path("me/diary/results/", views.results, name="results"),
    path("me/diary/export.csv", views.export_csv, name="export-csv"),
    path("me/diary/evidence.pdf", views.evidence, name="evidence"),
    path("me/diary/import/", views.import_csv, name="import"),
    path("me/diary/import/template.csv", views.import_template, name="import-template"),
]
