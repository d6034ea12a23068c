"""The PostgreSQL server the tests use (an admin URL: scratch schemas are made under it)."""

import os

PG_ADMIN_URL = os.environ.get(
    "VEILLE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
