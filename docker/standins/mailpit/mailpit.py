#!/usr/bin/env python3
"""A small mailpit: SMTP on 1025 keeps each message in memory; HTTP on 8025 answers
GET /api/v1/messages (newest first, ?start= and ?limit=, default 50, as mailpit pages),
GET /api/v1/message/<ID>, DELETE /api/v1/messages, GET /readyz and GET /livez.
`mailpit readyz` asks the running one, as the real binary's subcommand does."""

import json
import os
import signal
import sys
import threading
import urllib.request
import uuid
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.utils import getaddresses
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from aiosmtpd.controller import Controller

messages: list[dict] = []
lock = threading.Lock()


def addresses(header) -> list[dict]:
    return [{"Name": name, "Address": address} for name, address in getaddresses([header or ""])]


class Sink:
    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = message_from_bytes(envelope.content, policy=policy.default)
        body = message.get_body(preferencelist=("plain",))
        summary = {
            "ID": uuid.uuid4().hex,
            "MessageID": message.get("Message-ID", ""),
            "From": (addresses(message.get("From")) or [{}])[0],
            "To": addresses(message.get("To")),
            "Subject": str(message.get("Subject", "")),
            "Created": datetime.now(UTC).isoformat(),
            "Size": len(envelope.content),
            "Snippet": (body.get_content() if body else "")[:250],
        }
        with lock:
            messages.append(summary)
        return "250 OK"


class Api(BaseHTTPRequestHandler):
    def reply(self, status: int, document) -> None:
        body = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802 (http.server's name)
        url = urlparse(self.path)
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        with lock:
            newest_first = messages[::-1]
        if url.path in ("/readyz", "/livez"):
            self.reply(200, "ok")
        elif url.path == "/api/v1/messages":
            start, limit = int(query.get("start", 0)), int(query.get("limit", 50))
            page = newest_first[start : start + limit]
            self.reply(
                200,
                {
                    "total": len(newest_first),
                    "unread": len(newest_first),
                    "count": len(page),
                    "messages_count": len(newest_first),
                    "start": start,
                    "messages": page,
                },
            )
        elif url.path.startswith("/api/v1/message/"):
            found = [m for m in newest_first if m["ID"] == url.path.rsplit("/", 1)[1]]
            self.reply(200, found[0]) if found else self.reply(404, "not found")
        else:
            self.reply(404, "not found")

    def do_DELETE(self):  # noqa: N802
        if urlparse(self.path).path == "/api/v1/messages":
            with lock:
                messages.clear()
            self.reply(200, "ok")
        else:
            self.reply(404, "not found")

    def log_message(self, format, *args):  # noqa: A002 (http.server's name)
        pass


def main() -> None:
    if sys.argv[1:] == ["readyz"]:
        try:
            urllib.request.urlopen("http://127.0.0.1:8025/readyz", timeout=2)
        except OSError:
            sys.exit(1)
        return
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))  # PID 1 ignores it otherwise
    controller = Controller(Sink(), hostname="0.0.0.0", port=1025)
    controller.start()
    print("[smtpd] accepting SMTP on 0.0.0.0:1025; [http] on 0.0.0.0:8025", flush=True)
    ThreadingHTTPServer(("0.0.0.0", 8025), Api).serve_forever()


if __name__ == "__main__":
    main()
