from django.urls import path

from . import views

app_name = "workplaces"

urlpatterns = [
    path("manage/", views.manage_home, name="manage-home"),
    path("manage/employers/new/", views.employer_edit, name="employer-create"),
    path("manage/employers/<slug:slug>/", views.employer_edit, name="employer-edit"),
    path("manage/sites/new/", views.site_edit, name="site-create"),
    path("manage/sites/<slug:slug>/", views.site_manage, name="site-manage"),
    path("manage/sites/<slug:slug>/edit/", views.site_edit, name="site-edit"),
    path("manage/sites/<slug:slug>/departments/", views.department_add, name="department-add"),
    path(
        "manage/sites/<slug:slug>/departments/<int:department_id>/remove/",
        views.department_remove,
        name="department-remove",
    ),
    path("manage/sites/<slug:slug>/shifts/new/", views.shift_edit, name="shift-create"),
    path("manage/sites/<slug:slug>/shifts/<int:shift_id>/", views.shift_edit, name="shift-edit"),
    path(
        "manage/sites/<slug:slug>/shifts/<int:shift_id>/remove/",
        views.shift_remove,
        name="shift-remove",
    ),
    path("manage/sites/<slug:slug>/units/new/", views.unit_edit, name="unit-create"),
    path("manage/sites/<slug:slug>/units/<int:unit_id>/", views.unit_edit, name="unit-edit"),
]
