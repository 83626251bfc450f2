"""Persistence: SQLAlchemy 2 async models, the session store, media files, migrations."""
