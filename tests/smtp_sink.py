"""A real SMTP server, for the tests of the email worker and of the whole system."""

import asyncio
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from tests.support import free_port


class SmtpSink:
    """An aiosmtpd server on a free port that keeps every message it accepts. It can be stopped
    and started again on the same port, as a mail server goes down and comes back."""

    def __init__(self, seconds_per_message: float = 0) -> None:
        self.port = free_port()
        self.url = f"smtp://127.0.0.1:{self.port}"
        self.messages: list[EmailMessage] = []
        self._seconds_per_message = seconds_per_message
        self._lock = threading.Lock()  # the server runs in its own thread
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        await asyncio.sleep(self._seconds_per_message)  # a slow server keeps messages in flight
        with self._lock:
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def received_for(self, purchase_id: object) -> list[EmailMessage]:
        with self._lock:
            return [m for m in self.messages if str(purchase_id) in m["Message-ID"]]
