"""How an email leaves: over SMTP when `SMTP_URL` is set, otherwise into the log."""

from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from urllib.parse import unquote, urlsplit

import aiosmtplib
import structlog
from fedshop_common.faults import Faults
from opentelemetry import trace
from prometheus_client import Histogram

from fedshop_email_worker.models import StoredEmail

SEND_SECONDS = Histogram("fedshop_email_send_seconds", "Time to hand one email to SMTP or the log")

log = structlog.get_logger()
tracer = trace.get_tracer("fedshop_email_worker")


@dataclass(frozen=True)
class Delivery:
    message_id: str
    smtp_response: str | None  # None when the email was only logged


class EmailSender:
    def __init__(self, smtp_url: str, timeout_seconds: float, from_address: str) -> None:
        self._from = from_address
        self._domain = parseaddr(from_address)[1].rpartition("@")[2] or "fedshop.example"
        self._smtp: dict | None = None
        self.faults: Faults | None = None
        if smtp_url:
            url = urlsplit(smtp_url)
            if url.scheme not in ("smtp", "smtps"):
                raise ValueError(f"SMTP_URL must be smtp:// or smtps://, not {url.scheme}://")
            tls = url.scheme == "smtps"
            self._smtp = {
                "hostname": url.hostname,
                "port": url.port or (465 if tls else 25),
                "username": unquote(url.username) if url.username else None,
                "password": unquote(url.password) if url.password else None,
                "use_tls": tls,
                "timeout": timeout_seconds,
            }

    @property
    def uses_smtp(self) -> bool:
        return self._smtp is not None

    async def send(self, email: StoredEmail) -> Delivery:
        with SEND_SECONDS.time():
            if self._smtp is None:  # logged: no MIME to build
                log.info(
                    "email sent",
                    to="log",
                    **_about(email),
                    kind=email.kind,
                    recipient=email.recipient,
                    subject=email.subject,
                )
                return Delivery(self._message_id(email), None)
            message = self._mime(email)
            # A span per send (off: the API's no-op tracer): the end of a purchase's trace.
            with tracer.start_as_current_span(
                "smtp send",
                kind=trace.SpanKind.CLIENT,
                attributes={
                    "server.address": self._smtp["hostname"] or "",
                    "server.port": self._smtp["port"],
                    f"fedshop.{email.about}_id": str(email.key),
                    "fedshop.email_kind": email.kind,
                },
            ):
                if self.faults is not None:
                    self.faults.refuse_smtp()
                _, response = await aiosmtplib.send(message, **self._smtp)
        log.info(
            "email sent",
            to="smtp",
            **_about(email),
            kind=email.kind,
            recipient=email.recipient,
            smtp_response=response,
        )
        return Delivery(message["Message-ID"], response)

    async def check(self) -> None:
        """Raise unless the SMTP server answers (health report)."""
        if self._smtp is not None:
            async with aiosmtplib.SMTP(**self._smtp) as smtp:
                await smtp.noop()

    def _message_id(self, email: StoredEmail) -> str:
        # One Message-ID per purchase or order: a re-send after a crash is the same email to
        # mail clients.
        return f"<{email.about}-{email.key}@{self._domain}>"

    def _mime(self, email: StoredEmail) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self._from
        message["To"] = email.recipient
        message["Subject"] = email.subject
        message["Date"] = format_datetime(email.reserved_at)
        message["Message-ID"] = self._message_id(email)
        message.set_content(email.body)
        message.add_alternative(email.html_body, subtype="html")
        return message


def _about(email: StoredEmail) -> dict[str, str]:
    """What the email is about, for the log: `purchase_id=…` or `order_id=…`."""
    return {f"{email.about}_id": str(email.key)}
