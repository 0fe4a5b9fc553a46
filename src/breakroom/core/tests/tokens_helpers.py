"""Drive the token API through Django's test client with the Python token client."""

import json
from typing import Any

from django.test import Client

from breakroom.accounts.models import User
from breakroom.core.tokens.client import TokenClient


class DjangoTransport:
    """The Python client's transport over two test clients: one signed in, one not."""

    def __init__(self, user: User | None) -> None:
        self.session = Client(headers={"Sec-Fetch-Site": "same-origin"})
        if user is not None:
            self.session.force_login(user)
        self.anonymous = Client(headers={"Sec-Fetch-Site": "same-origin"})

    def _client(self, session: bool) -> Client:
        return self.session if session else self.anonymous

    def get_json(self, path: str, *, session: bool) -> tuple[int, Any]:
        response = self._client(session).get(path)
        return response.status_code, json.loads(response.content or b"null")

    def post_json(self, path: str, body: dict[str, Any], *, session: bool) -> tuple[int, Any]:
        response = self._client(session).post(
            path, json.dumps(body), content_type="application/json"
        )
        return response.status_code, json.loads(response.content or b"null")


def token_client(user: User | None, site: str = "durham") -> TokenClient:
    return TokenClient(DjangoTransport(user), site=site)
