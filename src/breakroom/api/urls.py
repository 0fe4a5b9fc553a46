from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("sites/<slug:slug>/token-keys", views.token_keys, name="token-keys"),
    path("sites/<slug:slug>/tokens/issue", views.tokens_issue, name="tokens-issue"),
    path("sites/<slug:slug>/tokens/spend", views.tokens_spend, name="tokens-spend"),
    path(
        "sites/<slug:slug>/tokens/<str:purpose>/<str:period>/spent",
        views.tokens_spent_audit,
        name="tokens-spent",
    ),
]
