"""Checkout and orders: several items bought at once, paid through the payment service.

A checkout reserves every line's sellable stock in one transaction (all or nothing) and stores
the order `awaiting_payment` with its `order.placed` event. The payment worker's outcome
(`payment.succeeded` / `payment.failed`, queue `purchases.payments`) settles it: `paid`, or
`cancelled` with the stock back; so does the payment timeout. Every change is announced live.
"""
