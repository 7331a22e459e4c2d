"""The one error handler: the user gets a short apology, the log gets the traceback.

Network trouble with Telegram (timeouts, connection errors, 5xx) is logged without a
traceback and never stops the bot; PTB retries polling by itself, and calls that carry a
reply were already retried (`handlers.common.retrying`): when those give up, one line says so.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError
from telegram.ext import Application, ContextTypes

from bot.conversation.replies import APOLOGY
from handlers.common import GaveUp, runtime, user_language

logger = logging.getLogger(__name__)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log an error of a handler or of polling, and apologise to the user it happened to."""
    error = context.error
    if isinstance(error, GaveUp):  # Telegram kept failing: an apology would fail the same way
        logger.warning("a reply was lost: %s", error)
        return
    if isinstance(error, NetworkError) and not isinstance(error, BadRequest):
        logger.warning("Telegram could not be reached: %s", error)
        return
    if isinstance(error, Forbidden):
        logger.info("Telegram refused a call (the user blocked the bot?): %s", error)
        return
    logger.error("handling an update failed", exc_info=error)
    if not isinstance(update, Update):
        return
    # The user's own language: the chat's choice is in the database, which may be what failed.
    apology = runtime(context).conversation.catalogs.choose(user_language(update)).render(APOLOGY)
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(apology)
        elif update.inline_query is not None:
            await update.inline_query.answer([], cache_time=0, is_personal=True)
        elif update.effective_chat is not None and update.effective_message is not None:
            await context.bot.send_message(update.effective_chat.id, apology)
    except TelegramError as apology_error:
        logger.warning("could not apologise for the error: %s", apology_error)


def register(application: Application) -> None:
    application.add_error_handler(on_error)
