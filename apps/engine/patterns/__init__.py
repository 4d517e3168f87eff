"""Protocol-level algorithms that are not node kinds (pure data structures and functions)."""
