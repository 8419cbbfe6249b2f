"""The inventory subgraph: `Item` (shared with the shop), `catalog`, and the admin's writes."""

from typing import Any

import strawberry
from fedshop_common.auth.doors import AuthContext
from fedshop_common.errors import graphql_errors
from fedshop_common.events import CatalogItem
from fedshop_common.ids import parse_int_id
from fedshop_common.pages import DEFAULT_PAGE, Connection, PageRequest
from strawberry.dataloader import DataLoader
from strawberry.extensions import ParserCache, ValidationCache

from fedshop_inventory.access import authorize_catalog_write
from fedshop_inventory.service import InventoryService, ItemPatch, NewItem, validated


class Context(AuthContext):
    def __init__(self, service: InventoryService) -> None:
        super().__init__()
        self.service = service
        self.item_loader: DataLoader[int, CatalogItem | None] = DataLoader(service.items_by_ids)


Info = strawberry.Info[Context, Any]


@strawberry.federation.type(keys=["id"])
class Item:
    id: strawberry.ID
    name: str = strawberry.federation.field(shareable=True)
    description: str = strawberry.federation.field(shareable=True)
    price: float = strawberry.federation.field(shareable=True)
    quantity: int | None = strawberry.federation.field(
        shareable=True, description="Units left; null: untracked (unlimited)."
    )
    active: bool = strawberry.federation.field(shareable=True)
    version: int = strawberry.field(description="Grows with every change of the item.")

    @classmethod
    def of(cls, item: CatalogItem) -> "Item":
        return cls(
            id=strawberry.ID(str(item.id)),
            name=item.name,
            description=item.description,
            price=float(item.price),
            quantity=item.quantity,
            active=item.active,
            version=item.version,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> "Item | None":
        item_id = parse_int_id(id)
        item = await info.context.item_loader.load(item_id) if item_id else None
        return cls.of(item) if item else None


@strawberry.input
class NewItemInput:
    name: str
    price: float
    description: str = ""
    quantity: int | None = strawberry.field(
        default=None, description="Units on hand; null: untracked (unlimited)."
    )


@strawberry.input(description="Only the fields given change; `quantity: null` untracks stock.")
class ItemPatchInput:
    name: str | None = strawberry.UNSET
    price: float | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    quantity: int | None = strawberry.UNSET


def _given(values: object) -> dict[str, Any]:
    return {k: v for k, v in vars(values).items() if v is not strawberry.UNSET}


@strawberry.type
class Query:
    @strawberry.field(description="Every item, active or not, a page at a time (by id).")
    async def catalog(
        self, info: Info, first: int = DEFAULT_PAGE, after: str | None = None
    ) -> Connection[Item]:
        page = await info.context.service.catalog(PageRequest.asked_in(info, first, after))
        return Connection.of(page, Item.of)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Admins: a new active item.")
    async def create_item(self, info: Info, input: NewItemInput) -> Item:
        await authorize_catalog_write(info.context.auth)
        new = validated(NewItem, _given(input))
        return Item.of(await info.context.service.create_item(new))

    @strawberry.mutation(description="Admins: change name, price, description or quantity.")
    async def update_item(self, info: Info, id: strawberry.ID, input: ItemPatchInput) -> Item:
        await authorize_catalog_write(info.context.auth)
        patch = validated(ItemPatch, _given(input))
        return Item.of(await info.context.service.update_item(id, patch))

    @strawberry.mutation(description="Admins: make an item sellable or not.")
    async def set_item_active(self, info: Info, id: strawberry.ID, active: bool) -> Item:
        await authorize_catalog_write(info.context.auth)
        return Item.of(await info.context.service.set_active(id, active))

    @strawberry.mutation(description="Admins: add (or, negative, remove) units on hand.")
    async def adjust_stock(
        self, info: Info, item_id: strawberry.ID, delta: int, reason: str = ""
    ) -> Item:
        await authorize_catalog_write(info.context.auth)
        return Item.of(await info.context.service.adjust_stock(item_id, delta, reason))


schema = strawberry.federation.Schema(
    query=Query,
    mutation=Mutation,
    extensions=[
        graphql_errors(),
        lambda: ParserCache(maxsize=512),
        lambda: ValidationCache(maxsize=512),
    ],
)
