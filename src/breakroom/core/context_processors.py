"""Template context every page uses."""

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info


def languages(request: HttpRequest) -> dict[str, object]:
    """The language switcher's links: this page in every other language."""
    current = get_language()
    path = request.get_full_path()
    return {
        "language_links": [
            {
                # Each language is named in itself: a Polish reader looks for "Polski".
                "code": code,
                "name": str(get_language_info(code)["name_local"]).capitalize(),
                "url": translate_url(path, code),
            }
            for code, _name in settings.LANGUAGES
            if code != current
        ]
    }
