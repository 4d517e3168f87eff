"""Protocol-level algorithms that are not node kinds (transports, checkers, logs)."""
