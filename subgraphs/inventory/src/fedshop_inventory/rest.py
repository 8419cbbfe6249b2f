"""REST: the warehouse's own API, exactly as documented, plus `PATCH /api/items/{id}`."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fedshop_common.auth.doors import RequestAuth, principal_dependency
from fedshop_common.events import CatalogItem
from fedshop_common.pages import MAX_PAGE, PAGE_RESPONSES, PageRequest, link_next
from pydantic import BaseModel, ConfigDict, Field

from fedshop_inventory.access import authorize_catalog_write
from fedshop_inventory.service import InventoryService, ItemPatch, NewItem


class ItemOut(BaseModel):
    id: int = Field(examples=[11])
    name: str = Field(examples=["Parrot food"])
    description: str = Field(examples=[""])
    price: float = Field(examples=[12.5])
    quantity: int | None = Field(examples=[10], description="On hand; null: untracked, unlimited")
    active: bool

    @classmethod
    def of(cls, item: CatalogItem) -> "ItemOut":
        return cls(
            id=item.id,
            name=item.name,
            description=item.description,
            price=float(item.price),
            quantity=item.quantity,
            active=item.active,
        )


class NewItemRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item: NewItem


router = APIRouter(
    tags=["warehouse"],
    dependencies=[Depends(principal_dependency())],
    responses={401: {"description": "A bad or expired access token, or none for a write"}},
)
WRITE = {403: {"description": "Not an admin"}, 404: {"description": "No such item"}}
NAMED = {409: {"description": "Another item has that name"}}


def _service(request: Request) -> InventoryService:
    return request.app.state.inventory


@router.get("/api/items", response_model=list[ItemOut], responses=PAGE_RESPONSES)
async def list_items(
    request: Request,
    response: Response,
    limit: Annotated[int | None, Query(ge=1, le=MAX_PAGE)] = None,
    after: str | None = None,
) -> list[ItemOut]:
    """Every item, active or not. With `limit` (and `after`), a page: `Link` names the next."""
    if limit is None and after is None:
        return [ItemOut.of(item) for item in await _service(request).list_items()]
    page_request = PageRequest(limit or MAX_PAGE, after, "limit", counted=False)
    page = await _service(request).catalog(page_request)
    link_next(request, response, page, page_request.first)
    return [ItemOut.of(item) for item in page.rows]


@router.post("/api/item", status_code=201, response_model=ItemOut, responses=WRITE | NAMED)
async def create_item(body: NewItemRequest, request: Request) -> ItemOut:
    await authorize_catalog_write(RequestAuth.of(request))
    return ItemOut.of(await _service(request).create_item(body.item))


@router.put("/api/items/{item_id}/toggle_status", response_model=str, responses=WRITE)
async def toggle_status(item_id: str, request: Request) -> str:
    await authorize_catalog_write(RequestAuth.of(request))
    await _service(request).set_active(item_id, None)
    return "ok"


@router.patch("/api/items/{item_id}", response_model=ItemOut, responses=WRITE | NAMED)
async def update_item(item_id: str, patch: ItemPatch, request: Request) -> ItemOut:
    await authorize_catalog_write(RequestAuth.of(request))
    return ItemOut.of(await _service(request).update_item(item_id, patch))
