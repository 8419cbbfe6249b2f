"""What the email says: a confirmation for a successful purchase, a rejection otherwise (its
own wording when the item was sold out: `out_of_stock.*`).

Each kind has two templates beside this module, `<kind>.txt` and `<kind>.html`; the text one
also sets the subject. The HTML ones escape every value, since names come from users.
"""

from dataclasses import dataclass

from fedshop_common.events import EmailKind, PurchaseCompleted, PurchaseReason, PurchaseStatus
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

templates = Environment(
    loader=PackageLoader("fedshop_email_worker", "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,  # a misspelt value fails the render instead of vanishing
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
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
