"""The running program: settings, composition root, engine, channels and CLI."""
