"""The warehouse's use cases, shared by the REST routes, the GraphQL resolvers and the consumer.

Every change bumps the item's `version` and writes, in its own transaction, `item.created` /
`item.updated` (the whole item after the change) and, when the stock moved, `stock.adjusted`
with the delta: the shop's copy adds deltas to its sellable counter, so a restock and a sale
never lose each other. Setting a quantity is sent as the delta from the quantity known here.
"""

import uuid
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Annotated, Any

from fedshop_common.database import transaction
from fedshop_common.errors import Conflict, InvalidInput, NotFound
from fedshop_common.events import CatalogItem, ItemChange, ItemChanged, StockAdjusted
from fedshop_common.ids import parse_int_id
from fedshop_common.outbox import add_event
from fedshop_common.pages import Page, PageRequest
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.utils.str_converters import to_camel_case

from fedshop_inventory import repository
from fedshop_inventory.models import Item

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Description = Annotated[str, StringConstraints(max_length=2000)]
PriceIn = Annotated[Decimal, Field(ge=0, le=Decimal("99999999.99"), decimal_places=2)]
Quantity = Annotated[int, Field(ge=0, le=1_000_000_000, strict=True)]
Delta = Annotated[int, Field(ge=-1_000_000_000, le=1_000_000_000)]


class NewItem(BaseModel):
    """A new item: active, its stock untracked (unlimited) unless a quantity is given."""

    model_config = ConfigDict(extra="forbid")

    name: Name = Field(examples=["Parrot food"])
    price: PriceIn = Field(examples=[12.5])
    description: Description = ""
    quantity: Quantity | None = Field(default=None, examples=[10])


class ItemPatch(BaseModel):
    """Only the fields given change. `quantity: null` stops tracking the stock (unlimited)."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    price: PriceIn | None = None
    description: Description | None = None
    quantity: Quantity | None = None


def validated(model: type[BaseModel], values: dict[str, Any]) -> Any:
    """For the GraphQL door: the same model, its first error as BAD_USER_INPUT naming the field."""
    try:
        return model(**values)
    except ValidationError as error:
        first = error.errors()[0]
        field = to_camel_case(str(first["loc"][0])) if first["loc"] else "input"
        raise InvalidInput(f"{field}: {first['msg']}", field=field) from error


def snapshot(item: Item) -> CatalogItem:
    assert item.id is not None
    return CatalogItem(
        id=item.id,
        name=item.name,
        description=item.description,
        price=item.price,
        quantity=item.quantity,
        active=item.active,
        version=item.version,
    )


class InventoryService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        outbox_written: Callable[[], None] = lambda: None,
    ) -> None:
        self._sessions = sessions
        self._outbox_written = outbox_written

    async def list_items(self) -> list[CatalogItem]:
        async with self._sessions() as session:
            return [snapshot(item) for item in await repository.list_items(session)]

    async def catalog(self, page: PageRequest) -> Page[CatalogItem]:
        async with self._sessions() as session:
            return (await repository.page_of_items(session, page)).map(snapshot)

    async def items_by_ids(self, ids: list[int]) -> list[CatalogItem | None]:
        async with self._sessions() as session:
            found = {i.id: snapshot(i) for i in await repository.items_by_ids(session, ids)}
        return [found.get(item_id) for item_id in ids]

    async def get_item(self, raw_id: object) -> CatalogItem:
        item_id = parse_int_id(raw_id)
        item = (await self.items_by_ids([item_id]))[0] if item_id else None
        if item is None:
            raise NotFound(f"item {raw_id} not found")
        return item

    async def create_item(self, new: NewItem) -> CatalogItem:
        item = Item(
            name=new.name,
            description=new.description,
            price=new.price,
            tracked=new.quantity is not None,
            adjusted=new.quantity or 0,
        )
        try:
            async with transaction(self._sessions) as session:
                session.add(item)
                await session.flush()
                created = snapshot(item)
                add_event(session, ItemChanged(change=ItemChange.CREATED, item=created))
        except IntegrityError as error:
            raise Conflict(f"an item named {new.name!r} already exists", field="name") from error
        self._outbox_written()
        return created

    async def update_item(self, raw_id: object, patch: ItemPatch) -> CatalogItem:
        given = patch.model_fields_set

        def change(item: Item, session: AsyncSession) -> None:
            for name in ("name", "description", "price"):
                if name in given and getattr(patch, name) is not None:
                    setattr(item, name, getattr(patch, name))
            if "quantity" in given:
                if patch.quantity is None:
                    item.tracked = False
                else:
                    _adjust(session, item, _delta_to(item, patch.quantity), "quantity set")

        return await self._change(raw_id, change)

    async def set_active(self, raw_id: object, active: bool | None) -> CatalogItem:
        """`active` None: toggle."""

        def change(item: Item, session: AsyncSession) -> None:
            item.active = (not item.active) if active is None else active

        return await self._change(raw_id, change)

    async def adjust_stock(self, raw_id: object, delta: int, reason: str) -> CatalogItem:
        checked = validated(_Adjustment, {"delta": delta, "reason": reason})

        def change(item: Item, session: AsyncSession) -> None:
            on_hand = item.quantity or 0
            if on_hand + checked.delta < 0:
                raise Conflict(
                    f"item {item.id} has {on_hand} on hand: cannot remove {-checked.delta}",
                    field="delta",
                )
            _adjust(session, item, checked.delta, checked.reason)

        return await self._change(raw_id, change)

    async def _change(self, raw_id: object, change: Callable[[Item, AsyncSession], None]):
        item_id = parse_int_id(raw_id)
        try:
            async with transaction(self._sessions) as session:
                item = await repository.item_for_update(session, item_id) if item_id else None
                if item is None:
                    raise NotFound(f"item {raw_id} not found")
                change(item, session)
                item.version += 1
                await session.flush()
                updated = snapshot(item)
                add_event(session, ItemChanged(change=ItemChange.UPDATED, item=updated))
        except IntegrityError as error:
            raise Conflict("another item already has that name", field="name") from error
        self._outbox_written()
        return updated

    async def record_sale(self, event_id: uuid.UUID, lines: Sequence[tuple[int, int]]) -> bool:
        """Count what one sale event sold, (item id, units) per line, once per event id."""
        async with transaction(self._sessions) as session:
            return await repository.record_sale(session, event_id, lines)


class _Adjustment(BaseModel):
    delta: Delta
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""


def _delta_to(item: Item, quantity: int) -> int:
    return quantity - (item.quantity or 0)


def _adjust(session: AsyncSession, item: Item, delta: int, reason: str) -> None:
    """Move the stock by `delta`; an untracked item starts being tracked from 0 on hand."""
    if not item.tracked:
        item.tracked = True
        item.adjusted = item.sold
    item.adjusted += delta
    assert item.id is not None
    add_event(session, StockAdjusted(item_id=item.id, delta=delta, reason=reason))
