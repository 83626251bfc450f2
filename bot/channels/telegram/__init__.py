"""Telegram connectors: the same conversation on aiogram 3 or python-telegram-bot 22.

- ``common``, ``port``, ``delivery``, ``bridge``, ``staff``: framework-neutral (limits, text
  splitting, rate limiting, retries, albums, de-duplication, the staff group).
- ``keyboards``: inline keyboards for both frameworks, callback data checked in one place.
- ``aiogram_app.make_router(app)`` / ``ptb_app.add_handlers(application, app)``: mount the
  conversation into an existing bot. ``bot.channels.telegram_runner.run_telegram`` runs it:
  on aiogram (``BOT_FRAMEWORK=aiogram``, the default: aiogram's ``Bot`` loaded once the bot
  receives, updates read by our own reader, see ``aiogram_run``), on PTB (``ptb``), or on
  ``wire`` (``wire``: the Bot API's JSON read and posted directly, no framework imported;
  issue 9: start-up and CPU per update).

Nothing here is imported at package import time: each framework is imported only by its own
module.
"""
