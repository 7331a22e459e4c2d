"""Commands (the table is bot.conversation.commands): parse the message, run it, send the reply."""

from __future__ import annotations

import re

from telegram import BotCommand, Update
from telegram.constants import ChatType
from telegram.ext import Application, CommandHandler, ContextTypes, MessageHandler, filters

from bot.conversation.commands import COMMAND_NAMES, menu
from bot.i18n import Translator
from handlers.common import respond, runtime, translator, user_language
from handlers.messages import message_text, replied_article

_COMMAND_RE = re.compile(r"/([^\s@]+)(?:@\S+)?\s*(.*)", re.DOTALL)


def bot_commands(tr: Translator) -> list[BotCommand]:
    """Telegram's command menu in one language, from the one command table."""
    return [BotCommand(name, description) for name, description in menu(tr)]


def parse_command(text: str) -> tuple[str, str]:
    """("summary", "2 5") from "/summary@briefbot 2 5"."""
    match = _COMMAND_RE.match(text.strip())
    if match is None:
        return "", ""
    return match.group(1).lower(), match.group(2).strip()


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Run a command through the conversation and send its reply."""
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if message is None or chat is None:
        return
    rt = runtime(context)
    command, args = parse_command(message_text(message))
    if not command:
        return
    group = chat.type != ChatType.PRIVATE
    tr = await translator(rt, chat.id, user_language(update))
    work = rt.conversation.handle_command(chat.id, command, args, user_id=user.id if user else None,
                                          reply_to_article=replied_article(rt, message), tr=tr)
    await respond(context.bot, rt, chat.id, work, status_text=tr.gettext("Working…"),
                  reply_to=message.message_id if group else None)


def register(application: Application) -> None:
    """Known commands anywhere; in private chats unknown ones too (to say so)."""
    new_messages = filters.UpdateType.MESSAGE  # edited messages are not new commands
    application.add_handlers([
        CommandHandler(COMMAND_NAMES, on_command, filters=new_messages),
        MessageHandler(new_messages & filters.COMMAND & filters.ChatType.PRIVATE, on_command),
    ])
