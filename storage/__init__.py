"""Storage: SQLAlchemy models, migrations and repository functions (imports only config)."""
