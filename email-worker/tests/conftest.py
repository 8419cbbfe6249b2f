"""A real SMTP server for the email worker's tests."""

import pytest

from tests.smtp_sink import SmtpSink


@pytest.fixture(scope="module")
def make_smtp():
    """Start an SMTP sink; `seconds_per_message` makes it a slow one. Stopped after the module."""
    sinks: list[SmtpSink] = []

    def make(seconds_per_message: float = 0) -> SmtpSink:
        sink = SmtpSink(seconds_per_message)
        sink.start()
        sinks.append(sink)
        return sink

    yield make
    for sink in sinks:
        sink.stop()


@pytest.fixture(scope="module")
def smtp(make_smtp):
    return make_smtp()
