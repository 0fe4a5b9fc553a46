"""Every page lives under a language prefix (none for English): no language cookie."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [path("api/v1/", include("breakroom.api.urls"))]
urlpatterns += i18n_patterns(
    path("", include("breakroom.public.urls")),
    path("", include("breakroom.accounts.urls")),
    path("", include("breakroom.workplaces.urls")),
    path("", include("breakroom.voice.urls")),
    path("", include("breakroom.pulse.urls")),
    path("", include("breakroom.diary.urls")),
    prefix_default_language=False,
)
