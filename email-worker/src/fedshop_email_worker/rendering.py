"""What the email says: a confirmation for a successful purchase, a rejection otherwise."""

from dataclasses import dataclass

from fedshop_common.events import PurchaseCompleted


@dataclass(frozen=True)
class RenderedEmail:
    kind: str
    recipient: str
    subject: str
    body: str


def render_email(event: PurchaseCompleted) -> RenderedEmail:
    user, item = event.user, event.item
    if event.status == "succeeded":
        kind = "confirmation"
        subject = f"Your purchase of {item.name} is confirmed"
        outcome = f"your purchase of {item.name} for {item.price:.2f} went through."
    else:
        kind = "rejection"
        subject = f"Your purchase of {item.name} could not be completed"
        outcome = f"we could not complete your purchase of {item.name} for {item.price:.2f}."
    body = f"Hello {user.first_name},\n\n{outcome}\n\nPurchase {event.purchase_id}\n\nfedshop\n"
    return RenderedEmail(kind=kind, recipient=user.email, subject=subject, body=body)
