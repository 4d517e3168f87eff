"""Protocol-level algorithms that are not a node kind (overlays, DHTs, swarms)."""
