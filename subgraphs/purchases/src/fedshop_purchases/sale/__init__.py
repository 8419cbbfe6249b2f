"""The flash sale: one item, at a sale price, a number of units, for a while; first come, first
served, one unit per user.

A signed-in user enters the sale's queue and gets a queue token (`enter`), written with its
place (`seq`) and its `sale.entered` event in one transaction. The sale worker (its own process,
`worker.py`) decides the entries strictly in their order: a purchase token while units remain,
sold out after. A purchase token buys the one unit at the sale price, through the checkout's
payment step (an order awaiting payment). Tokens are JWTs this service signs (`tokens.py`);
only those it wrote down are honoured.
"""
