"""The floor of bench.load: python-telegram-bot alone, with Briefbot's Application and nothing behind it.

    python -m bench.floorbot      (BRIEFBOT_TOKEN, BRIEFBOT_BASE_URL, BRIEFBOT_BASE_FILE_URL as for the bot)

The same ApplicationBuilder settings as `briefbot run` (bot/app.py: AIORateLimiter at 30 messages a
second, concurrent updates with the chats kept in order, long polling of every update type), and one
handler that answers every message at once with a fixed text holding what bench.load waits for ("Saved
as #1" and the answer's name). No inbox, no store, no text work, no translations: what python-telegram-bot
and httpx cost per update on this machine, so that the bot's figure can be read against it.
"""

from __future__ import annotations

import logging
import os

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, ApplicationBuilder, ContextTypes, MessageHandler, filters

from bot.app import ChatOrderedProcessor
from handlers.common import NO_PREVIEW

REPLY = "Saved as #1. <b>Reznikov</b> visited Israel."


async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is not None:
        await context.bot.send_message(message.chat_id, REPLY, parse_mode=ParseMode.HTML,
                                       link_preview_options=NO_PREVIEW)


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    application = (
        ApplicationBuilder()
        .token(os.environ["BRIEFBOT_TOKEN"])
        .base_url(os.environ["BRIEFBOT_BASE_URL"])
        .base_file_url(os.environ["BRIEFBOT_BASE_FILE_URL"])
        .rate_limiter(AIORateLimiter(overall_max_rate=30, group_max_rate=20, max_retries=3))
        .concurrent_updates(ChatOrderedProcessor(256))
        .connect_timeout(10)
        .read_timeout(30)
        .write_timeout(60)
        .pool_timeout(30)
        .get_updates_read_timeout(40)
        .build()
    )
    application.add_handler(MessageHandler(filters.ALL, answer))
    application.run_polling(allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    main()
