"""The allow-list: with BRIEFBOT_ALLOWED_USERS set, other users get a short refusal and nothing else."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import Application, ApplicationHandlerStop, ContextTypes, TypeHandler

from bot.i18n import lazy
from handlers.common import runtime, user_language

REFUSAL = lazy("Sorry, this Briefbot is private.")


async def check_access(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stop every update of a user who is not on the allow-list (when there is one)."""
    allowed = runtime(context).settings.allowed_user_ids
    user = update.effective_user
    if not allowed or (user is not None and user.id in allowed):
        return
    # No chat settings are read for a stranger: their own Telegram language is enough.
    refusal = runtime(context).conversation.catalogs.choose(user_language(update)).render(REFUSAL)
    if update.callback_query is not None:
        await update.callback_query.answer(refusal)
    elif update.inline_query is not None:
        await update.inline_query.answer([], cache_time=60, is_personal=True)
    elif update.message is not None and update.effective_chat is not None:
        message = update.message
        # In groups, say it only to commands: the group's other talk is not for the bot.
        if update.effective_chat.type == ChatType.PRIVATE or (message.text or "").startswith("/"):
            await message.reply_text(refusal)
    raise ApplicationHandlerStop


def register(application: Application) -> None:
    application.add_handler(TypeHandler(Update, check_access), group=-2)
