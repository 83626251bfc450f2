"""Alembic migrations (applied at start by ``storage.migrate.upgrade``)."""
