"""The shop's own copy of the warehouse's catalog, fed by `item.*` and `stock.*` events.

An item event carries the whole item and its version: a newer version wins, an older one never
overwrites. A stock delta is added to the sellable counter once per event id. The counter itself
(`stock.py`) is decremented only by a purchase, in the purchase's transaction.
"""
