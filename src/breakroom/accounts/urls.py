from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("signin/", views.signin, name="signin"),
    path("signout/", views.signout, name="signout"),
    path("signin/second-factor/", views.second_factor_step, name="second-factor"),
    path("me/", views.my_sites, name="my-sites"),
    path("me/passphrase/", views.passphrase_change, name="passphrase-change"),
    path("me/contact/", views.contact_edit, name="contact-edit"),
    path("me/join/", views.site_join, name="site-join"),
    path("me/sites/<slug:slug>/", views.membership_detail, name="membership"),
    path("me/sites/<slug:slug>/code/", views.membership_code, name="membership-code"),
    path("me/sites/<slug:slug>/tokens/", views.membership_tokens, name="membership-tokens"),
    path("organise/<slug:slug>/verify/", views.verify, name="verify"),
    path("manage/sites/<slug:slug>/people/", views.site_people, name="site-people"),
    path(
        "manage/sites/<slug:slug>/people/<int:membership_id>/remove/",
        views.site_person_remove,
        name="site-person-remove",
    ),
]
