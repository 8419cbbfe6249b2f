"""What the email says: a confirmation for a successful purchase, a rejection otherwise (its
own wording when the item was sold out: `out_of_stock.*`); for an order, its confirmation once
paid (`order_confirmation.*`: lines, quantities, total) or its cancellation, saying why
(`order_cancellation.*`).

Each kind has two templates beside this module, `<kind>.txt` and `<kind>.html`; the text one
also sets the subject. The HTML ones escape every value, since names come from users.
"""

from dataclasses import dataclass
from decimal import Decimal

from fedshop_common.events import (
    EmailKind,
    OrderCancelReason,
    OrderSettled,
    OrderStatus,
    PurchaseCompleted,
    PurchaseReason,
    PurchaseStatus,
)
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

templates = Environment(
    loader=PackageLoader("fedshop_email_worker", "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,  # a misspelt value fails the render instead of vanishing
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    # The templates ship with the code: no stat of their files on every render.
    auto_reload=False,
)


@dataclass(frozen=True)
class RenderedEmail:
    kind: EmailKind
    recipient: str
    subject: str
    text: str
    html: str


def render_email(event: PurchaseCompleted) -> RenderedEmail:
    kind = (
        EmailKind.CONFIRMATION if event.status == PurchaseStatus.SUCCEEDED else EmailKind.REJECTION
    )
    values = {
        "first_name": event.user.first_name,
        "item": event.item.name,
        "price": f"{event.item.price:.2f}",
        "purchase_id": str(event.purchase_id),
    }
    template = "out_of_stock" if event.reason == PurchaseReason.OUT_OF_STOCK else str(kind)
    text = templates.get_template(f"{template}.txt").make_module(values)
    return RenderedEmail(
        kind=kind,
        recipient=event.user.email or "",  # no address: recorded, not sent (worker)
        subject=text.subject,
        text=str(text),
        html=templates.get_template(f"{template}.html").render(values),
    )


def render_order_email(event: OrderSettled) -> RenderedEmail:
    kind = (
        EmailKind.ORDER_CONFIRMATION
        if event.status == OrderStatus.PAID
        else EmailKind.ORDER_CANCELLATION
    )
    values = {
        "first_name": event.user.first_name,
        "order_id": str(event.order_id),
        "lines": [
            {
                "name": line.name,
                "quantity": line.quantity,
                "unit_price": _money(line.unit_price),
                "line_total": _money(line.unit_price * line.quantity),
            }
            for line in event.lines
        ],
        "total": _money(event.total),
        "why": cancelled_because(event.reason, event.detail),
    }
    text = templates.get_template(f"{kind}.txt").make_module(values)
    return RenderedEmail(
        kind=kind,
        recipient=event.user.email or "",  # no address: recorded, not sent (worker)
        subject=text.subject,
        text=str(text),
        html=templates.get_template(f"{kind}.html").render(values),
    )


def cancelled_because(reason: OrderCancelReason | None, detail: str | None) -> str:
    """Why the order was cancelled, in the buyer's words (the end of "we cancelled it because")."""
    if reason == OrderCancelReason.PAYMENT_TIMEOUT:
        return "it was not paid in time"
    if reason == OrderCancelReason.PAYMENT_FAILED:
        return f"the payment failed: {detail}" if detail else "the payment failed"
    return "it could not be completed"


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"
