"""The one exception an action raises to refuse a request."""

from django_stubs_ext import StrOrPromise


class ActionError(Exception):
    """An action refused: `message` is translatable text to show the person.

    `field` names the form field at fault, if there is one. `status` is the HTTP
    status a view should answer with, and `code` a stable machine-readable name for
    the API's error responses.
    """

    def __init__(
        self,
        message: StrOrPromise,
        *,
        field: str | None = None,
        status: int = 400,
        code: str = "invalid",
    ):
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.status = status
        self.code = code
