"""Who may publish what: each routing key belongs to the service that owns it.

The publisher stamps every message with its broker user (AMQP `user_id`), which RabbitMQ checks
against the connection's user, so it cannot be forged. A consumer given `EVENT_PUBLISHERS`
(`purchase.*=purchases,email.*=email-worker`) dead-letters an event whose `user_id` is not the
owner of its routing key: never handled, parked with why."""

from urllib.parse import unquote, urlparse

from aio_pika.abc import AbstractIncomingMessage


def broker_user(amqp_url: str) -> str:
    """The user an AMQP URL connects as (`guest` when it names none, as the broker assumes)."""
    return unquote(urlparse(amqp_url).username or "guest")


def topic_matches(pattern: str, routing_key: str) -> bool:
    """AMQP topic matching: `*` is one word, `#` zero or more."""

    def match(words: list[str], keys: list[str]) -> bool:
        if not words:
            return not keys
        head, rest = words[0], words[1:]
        if head == "#":
            return any(match(rest, keys[i:]) for i in range(len(keys) + 1))
        return bool(keys) and head in ("*", keys[0]) and match(rest, keys[1:])

    return match(pattern.split("."), routing_key.split("."))


class PublisherRules:
    def __init__(self, spec: str, own_user: str) -> None:
        self._rules: list[tuple[str, str]] = []
        self._own_user = own_user
        for entry in filter(None, (part.strip() for part in spec.split(","))):
            pattern, sep, user = entry.partition("=")
            if not sep or not pattern.strip() or not user.strip():
                raise ValueError(
                    f"EVENT_PUBLISHERS: {entry!r} is not `<routing key pattern>=<user>`"
                )
            self._rules.append((pattern.strip(), user.strip()))

    @property
    def enabled(self) -> bool:
        return bool(self._rules)

    def owner_of(self, routing_key: str) -> str | None:
        for pattern, user in self._rules:
            if topic_matches(pattern, routing_key):
                return user
        return None

    def refusal(self, message: AbstractIncomingMessage, events_exchange: str) -> str | None:
        """Why `message` must not be handled, or None. A copy this consumer parked itself (a
        retry, a replay) comes back through the default exchange stamped with its own user."""
        if not self._rules:
            return None
        from_events = message.exchange == events_exchange
        key = (message.routing_key if from_events else message.type) or ""
        owner = self.owner_of(key)
        if owner is None or message.user_id == owner:
            return None
        if not from_events and message.user_id == self._own_user:
            return None
        return f"event {key!r} published by {message.user_id!r}, but only {owner!r} publishes it"
