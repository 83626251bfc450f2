"""The redemption backend: a port (``backend.port``) and its adapters (``local``, ``http``)."""
