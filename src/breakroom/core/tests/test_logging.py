import logging

from django.test import RequestFactory

from breakroom.core.logging import DropRequestDetails


def test_the_filter_removes_the_request_from_log_records() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Canary/1.0")
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found", (), None
    )
    record.request = request
    record.server_time = "28/Nov/2026 10:00:00"

    kept = DropRequestDetails().filter(record)

    assert kept is True
    assert not hasattr(record, "request")
    assert not hasattr(record, "server_time")
