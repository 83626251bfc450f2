"""Test tools for the Telegram connectors: a Bot API spec validator and a fake Bot API server.

from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.spec import BotApiSpec
"""
