"""The purchases use cases, shared by the REST routes, the GraphQL resolvers and the consumers."""

import uuid
from collections.abc import Callable, Sequence
from decimal import Decimal

from fedshop_common.batching import MicroBatcher
from fedshop_common.cache import Cache, Generation
from fedshop_common.database import transaction
from fedshop_common.errors import Conflict, NotFound
from fedshop_common.events import (
    EmailSent,
    ItemSnapshot,
    PurchaseCompleted,
    PurchaseReason,
    PurchaseStatus,
)
from fedshop_common.ids import parse_int_id, parse_uuid
from fedshop_common.pages import Page, PageRequest, pages_by_request
from pydantic import AliasChoices, BaseModel, ConfigDict, Field
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fedshop_purchases import repository, stock
from fedshop_purchases.idempotency import IdempotencyKeyReused, check_key
from fedshop_purchases.models import Item, Purchase
from fedshop_purchases.pricing import decide_status
from fedshop_purchases.users_client import UsersClient

# The email reports in hand (the email-status queue's prefetch bounds them) stored at once.
REPORTS_BATCH_SIZE = 100
# How long the first report waits for others: a transaction costs the same CPU for one report as
# for fifty, and the reports come at the pace of the purchases.
REPORTS_LINGER_SECONDS = 0.02


class ItemRecord(BaseModel):
    """An item as every door shows it, and as the cache keeps it (the price exact). `quantity`
    is the sellable stock (None: untracked, unlimited)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    price: Decimal
    description: str = ""
    active: bool = True
    quantity: int | None = Field(default=None, validation_alias=AliasChoices("quantity", "stock"))


class NotForSale(Conflict):
    def __init__(self, item_id: int) -> None:
        super().__init__(f"item {item_id} is not for sale", field="itemId")


class PurchasesService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        users: UsersClient,
        cache: Cache,
        outbox_written: Callable[[], None] = lambda: None,
    ) -> None:
        self._sessions = sessions
        self._users = users
        self._cache = cache
        self._outbox_written = outbox_written
        # The items change with every catalog event and every sale of a counted unit.
        self._items_generation = Generation(cache, "items")
        self._emails_in_one_statement = MicroBatcher(
            self._record_emails, max_size=REPORTS_BATCH_SIZE, linger_seconds=REPORTS_LINGER_SECONDS
        )

    async def _item_key(self, *parts: object) -> str:
        return self._cache.key("items", await self._items_generation.current(), *parts)

    async def list_items(self) -> list[ItemRecord]:
        """The active items (cached)."""

        async def load() -> list[dict]:
            async with self._sessions() as session:
                return [_as_json(item) for item in await repository.list_items(session)]

        items = await self._cache.get_or_load(await self._item_key("all"), load)
        return [ItemRecord(**item) for item in items]

    async def page_of_items(self, page: PageRequest) -> Page[ItemRecord]:
        """The active items, a page at a time (by id)."""
        async with self._sessions() as session:
            found = await repository.page_of_items(session, page)
        return found.map(ItemRecord.model_validate)

    async def forget_item(self, item_id: int) -> None:
        """The copy of an item changed (committed): the cached items are replaced."""
        await self.forget_items()

    async def forget_items(self) -> None:
        """Items changed (committed: a copy, a counter): the cached items are replaced."""
        await self._items_generation.bump()

    async def items_by_ids(self, ids: Sequence[int]) -> list[ItemRecord | None]:
        """Many items in one cache round trip plus, for the misses, one query (DataLoader batch)."""

        async def load_missing(positions: list[int]) -> list[dict | None]:
            wanted = [ids[p] for p in positions]
            async with self._sessions() as session:
                rows = {i.id: _as_json(i) for i in await repository.items_by_ids(session, wanted)}
            return [rows.get(item_id) for item_id in wanted]

        prefix = await self._item_key("id")
        keys = [f"{prefix}:{item_id}" for item_id in ids]
        found = await self._cache.get_many_or_load(keys, load_missing)
        return [ItemRecord(**item) if item else None for item in found]

    async def purchases_by_ids(self, ids: Sequence[uuid.UUID]) -> list[Purchase | None]:
        async with self._sessions() as session:
            found = {p.id: p for p in await repository.purchases_by_ids(session, ids)}
        return [found.get(purchase_id) for purchase_id in ids]

    async def get_purchase(self, raw_id: object) -> Purchase:
        purchase_id = parse_uuid(raw_id)
        purchase = (await self.purchases_by_ids([purchase_id]))[0] if purchase_id else None
        if purchase is None:
            raise NotFound(f"purchase {raw_id} not found")
        return purchase

    async def purchase_pages(self, keys: Sequence[tuple[int, PageRequest]]) -> list[Page[Purchase]]:
        """A page of each user's purchases (the DataLoader's batch)."""

        async def load(user_ids: list[int], page: PageRequest) -> dict[int, Page[Purchase]]:
            async with self._sessions() as session:
                return await repository.purchase_pages(session, user_ids, page)

        return await pages_by_request(keys, load)

    async def purchase(
        self,
        raw_user_id: object,
        raw_item_id: object,
        idempotency_key: str | None = None,
        authorization: str | None = None,  # the buyer's, for the users service (access.py)
    ) -> Purchase:
        """Buy an item: the price rule decides the status; the purchase and its event are stored
        together. A repeat with the same idempotency key returns the first purchase."""
        check_key(idempotency_key)
        # The item is read once, in the transaction below: no cached copy is asked first (two
        # Redis round trips on every purchase for an answer the transaction gives anyway).
        item_id = parse_int_id(raw_item_id)
        if item_id is None:
            raise NotFound(f"item {raw_item_id} not found")
        user_id = parse_int_id(raw_user_id)
        if user_id is None:
            raise NotFound(f"user {raw_user_id} not found")
        if idempotency_key is not None and (
            earlier := await self._repeat(idempotency_key, user_id, item_id)
        ):
            return earlier
        user = await self._users.buyer(user_id, authorization)
        units = 1
        try:
            async with transaction(self._sessions) as session:
                # The price and the stock as the database has them, in this transaction.
                current = await stock.item_for_sale(session, item_id)
                if current is None:
                    raise NotFound(f"item {raw_item_id} not found")
                if not current.active:
                    raise NotForSale(item_id)
                status, reason = decide_status(current.price), None
                if status == PurchaseStatus.REJECTED:
                    reason = PurchaseReason.PRICE_LIMIT
                elif current.stock is not None and not await stock.take(session, item_id, units):
                    status, reason = PurchaseStatus.REJECTED, PurchaseReason.OUT_OF_STOCK
                tracked = current.stock is not None
                purchase = Purchase(
                    user_id=user_id,
                    item_id=item_id,
                    price=current.price,
                    status=status,
                    reason=reason,
                    quantity=units,
                    idempotency_key=idempotency_key,
                )
                event = PurchaseCompleted(
                    purchase_id=purchase.id,
                    status=status,
                    user=user,
                    item=ItemSnapshot(id=item_id, name=current.name, price=current.price),
                    quantity=units,
                    reason=reason,
                )
                repository.add_with_event(session, purchase, event)
        except IntegrityError:
            # The same key committed by a concurrent request first: that purchase is the answer.
            if idempotency_key and (
                earlier := await self._repeat(idempotency_key, user_id, item_id)
            ):
                return earlier
            raise
        self._outbox_written()
        if tracked and status == PurchaseStatus.SUCCEEDED:
            await self.forget_item(item_id)
        return purchase

    async def _repeat(self, idempotency_key: str, user_id: int, item_id: int) -> Purchase | None:
        """The user's purchase made earlier with this key, if any; it must be the same purchase."""
        async with self._sessions() as session:
            earlier = await repository.purchase_by_idempotency_key(
                session, user_id, idempotency_key
            )
        if earlier and earlier.item_id != item_id:
            raise IdempotencyKeyReused(idempotency_key)
        return earlier

    async def record_email(self, email: EmailSent) -> bool:
        """Store the email the worker reported; False for a repeat. Unknown purchase: NotFound.
        The reports in hand are stored together, in one statement."""
        recorded = await self._emails_in_one_statement.submit(email)
        if recorded is None:
            raise NotFound(f"purchase {email.purchase_id} not found")
        return recorded

    async def _record_emails(self, emails: Sequence[EmailSent]) -> list[bool | None]:
        """For each report: True when it stored the email, False for a repeat (within the batch
        too), None for an unknown purchase."""
        async with transaction(self._sessions) as session:
            recorded = await repository.record_emails(session, emails)
            asked = {email.purchase_id for email in emails}
            unknown = await repository.unknown_purchases(session, asked - recorded)
        results: list[bool | None] = []
        for email in emails:
            results.append(None if email.purchase_id in unknown else email.purchase_id in recorded)
            recorded.discard(email.purchase_id)
        return results


def _as_json(item: Item) -> dict:
    return ItemRecord.model_validate(item).model_dump(mode="json")
