"""Protocol-level algorithms that are not node kinds (transports, stores, checkers, logs)."""
