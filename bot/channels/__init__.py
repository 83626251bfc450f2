"""Channels: the console chat, Telegram via aiogram, Telegram via python-telegram-bot."""
