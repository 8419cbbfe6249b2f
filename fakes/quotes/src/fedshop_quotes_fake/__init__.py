"""A stand-in for a third party: CoinMarketCap's quotes API, and a chain's transaction lookup."""
