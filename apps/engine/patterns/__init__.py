"""Protocol-level algorithms that are not node kinds (one module per pattern)."""
