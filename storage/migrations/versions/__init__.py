"""Alembic revision scripts: 0001 bot tables, 0002 embedded backend tables, ..."""
