"""Crypto: item prices in a token from a rate-limited quote API (`quotes`), the tokens the shop
accepts with its addresses (`prices`), and the simulated ledger's demo transactions (`ledger`).
The payment worker, not the shop, checks a crypto order's transaction."""
