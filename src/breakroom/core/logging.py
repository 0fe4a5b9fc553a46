"""Logging that never records where a request came from."""

import logging


class DropRequestDetails(logging.Filter):
    """Strip the request and socket that Django attaches to log records.

    Django passes `request` (and, for its development server, the client socket) in
    a record's `extra`; a formatter or a handler such as an admin mailer could print
    the client's address or user agent from them. Removing them here makes that
    impossible whatever formatter an operator configures.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        for name in ("request", "server_time", "client_address"):
            if hasattr(record, name):
                delattr(record, name)
        return True
