"""Training scripts of the bundled models (run by hand; reproducible, seeded)."""
