"""Per-supplier pseudonyms: how a supplier tells candidates apart without knowing them."""
