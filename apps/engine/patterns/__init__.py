"""Protocol-level algorithms that are not node kinds (see BRIEF: one module per pattern)."""
