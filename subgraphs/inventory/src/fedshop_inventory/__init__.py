"""fedshop inventory: the warehouse."""
