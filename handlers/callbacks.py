"""Buttons: a press runs the button's action and edits the message it was under."""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, ContextTypes

from bot.conversation.actions import STALE_BUTTON, decode_action
from handlers.common import deliver, retrying, runtime, translator, user_language

logger = logging.getLogger(__name__)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Run a button's action; replace the message with the result and show the notice."""
    query = update.callback_query
    if query is None:
        return
    message = query.message
    rt = runtime(context)
    if not isinstance(message, Message) or update.effective_chat is None:
        # An inline message (no chat to look in) or one too old for Telegram to show us.
        await query.answer(rt.conversation.catalogs.choose(user_language(update)).render(STALE_BUTTON))
        return
    chat_id = update.effective_chat.id
    tr = await translator(rt, chat_id, user_language(update))
    action = decode_action(query.data or "")
    if action is None:
        # A client may send any callback data: what this bot did not make is a stale button.
        await query.answer(tr.render(STALE_BUTTON))
        return
    result = await rt.conversation.handle_action(chat_id, action, tr=tr)
    if result.reply is not None:
        await deliver(context.bot, rt, chat_id, [result.reply], into=message.message_id if result.edit else None)
    try:
        await retrying(rt.timing.retry_delays, lambda: query.answer(result.notice or None),
                       what=f"answering a button press in chat {chat_id}")
    except BadRequest as error:
        # Telegram forgets a query after a while; the message already shows the result.
        logger.info("could not answer a button press in chat %s: %s", chat_id, error)


def register(application: Application) -> None:
    application.add_handler(CallbackQueryHandler(on_button))
