"""Reports (HTML, PDF, CSV, JSON, offline replay), run comparison and parameter sweeps."""
