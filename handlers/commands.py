"""Commands: /start /help /summary /ask /list /open /delete /search /settings /export /forget."""

from __future__ import annotations

import re

from telegram import BotCommand, Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from handlers.common import respond, runtime
from handlers.messages import message_text, replied_article

# (command, description) as the Telegram menu shows them; registered with setMyCommands.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "What I do"),
    ("help", "What I do and the commands"),
    ("summary", "Summary of an article: /summary [N] [sentences] [algorithm]"),
    ("ask", "Answer a question from your library"),
    ("search", "Every sentence that matches some words"),
    ("list", "Your articles"),
    ("open", "Show article N"),
    ("delete", "Delete article N"),
    ("settings", "Summary defaults for this chat"),
    ("export", "Your library as a Markdown file"),
    ("forget", "Delete your whole library"),
)
COMMAND_NAMES = tuple(name for name, _description in COMMANDS)
_COMMAND_RE = re.compile(r"/([^\s@]+)(?:@\S+)?\s*(.*)", re.DOTALL)


def bot_commands() -> list[BotCommand]:
    return [BotCommand(name, description) for name, description in COMMANDS]


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
    work = rt.conversation.handle_command(chat.id, command, args, user_id=user.id if user else None,
                                          reply_to_article=replied_article(rt, message))
    await respond(context.bot, rt, chat.id, work, status_text="Working…",
                  reply_to=message.message_id if group else None)
