"""Text messages and captions (forwarded posts too): new articles, links, questions, long pastes.

In groups only messages meant for the bot count: ones that mention it or reply to one of
its messages. Links hidden in `text_link` entities count like links in the text.
"""

from __future__ import annotations

import logging
import re

from telegram import Bot, Message, MessageEntity, Update
from telegram.constants import ChatType
from telegram.ext import Application, ContextTypes, MessageHandler, TypeHandler, filters

from bot.conversation.replies import APOLOGY, text_reply
from handlers.common import Runtime, deliver, respond, runtime, translator
from handlers.pastes import Paste

logger = logging.getLogger(__name__)

def message_text(message: Message) -> str:
    return message.text or message.caption or ""


def links_of(message: Message) -> tuple[str, ...]:
    """Links in `url` and `text_link` entities of the text or the caption, in order."""
    kinds = [MessageEntity.URL, MessageEntity.TEXT_LINK]
    found = message.parse_entities(kinds) if message.text else message.parse_caption_entities(kinds)
    links = []
    for entity, text in sorted(found.items(), key=lambda item: item[0].offset):
        url = entity.url if entity.type == MessageEntity.TEXT_LINK else text
        if url:
            links.append(url)
    return tuple(dict.fromkeys(links))


def addressed_to_bot(message: Message, bot: Bot) -> bool:
    """A group message meant for the bot: it mentions the bot or replies to one of its messages."""
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == bot.id:
        return True
    kinds = [MessageEntity.MENTION, MessageEntity.TEXT_MENTION]
    found = message.parse_entities(kinds) if message.text else message.parse_caption_entities(kinds)
    username = f"@{bot.username}".lower()
    for entity, text in found.items():
        if entity.type == MessageEntity.TEXT_MENTION and entity.user is not None and entity.user.id == bot.id:
            return True
        if text.lower() == username:
            return True
    return False


def without_mention(text: str, bot: Bot) -> str:
    return re.sub(rf"@{re.escape(bot.username)}\b", " ", text, flags=re.IGNORECASE).strip()


def replied_article(rt: Runtime, message: Message) -> int | None:
    """The article of the bot's message this message replies to, if any."""
    replied = message.reply_to_message
    if replied is None:
        return None
    return rt.articles.article_for(message.chat_id, replied.message_id)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Save an article, fetch links or answer a question; gather the parts of a long paste."""
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if message is None or chat is None or user is None:
        return
    rt = runtime(context)
    text = message_text(message)
    group = chat.type != ChatType.PRIVATE
    continuing = rt.pastes is not None and rt.pastes.pending(chat.id, user.id)
    if group and not continuing:
        if not addressed_to_bot(message, context.bot):
            return
        text = without_mention(text, context.bot)
    reply_to = message.message_id if group else None
    article = replied_article(rt, message)
    links = links_of(message)
    if rt.pastes is not None and rt.pastes.add(chat.id, user.id, text, links=links, reply_to=reply_to,
                                               reply_to_article=article, language=user.language_code):
        return
    await answer_text(context.bot, rt, chat.id, user.id, text, links=links, reply_to=reply_to,
                      reply_to_article=article, language=user.language_code)


async def answer_text(bot: Bot, rt: Runtime, chat_id: int, user_id: int, text: str, *, links: tuple[str, ...] = (),
                      reply_to: int | None = None, reply_to_article: int | None = None,
                      language: str | None = None) -> None:
    # The conversation reads the chat's language with the answer; the status message (only for slow
    # work) reads it on its own.
    work = rt.conversation.handle_message(chat_id, text, user_id=user_id, reply_to_article=reply_to_article,
                                          links=links, user_language=language)
    reading = len(text) > 500 or bool(links)

    async def status() -> str:
        tr = await translator(rt, chat_id, language)
        return tr.gettext("Reading…") if reading else tr.gettext("Looking…")

    await respond(bot, rt, chat_id, work, status_text=status, reply_to=reply_to)


async def flush_paste(bot: Bot, rt: Runtime, paste: Paste) -> None:
    """Hand a gathered paste to the conversation as one message (runs outside any update)."""
    try:
        await answer_text(bot, rt, paste.chat_id, paste.user_id, paste.text, links=tuple(dict.fromkeys(paste.links)),
                          reply_to=paste.reply_to, reply_to_article=paste.reply_to_article, language=paste.language)
    except Exception:
        # No update carries this work, so the application's error handler would not tell the user.
        logger.exception("handling a pasted article in chat %s failed", paste.chat_id)
        try:
            apology = rt.conversation.catalogs.choose(paste.language).render(APOLOGY)
            await deliver(bot, rt, paste.chat_id, [text_reply(apology, error=True)])
        except Exception as error:  # the apology is best effort
            logger.warning("could not apologise in chat %s: %s", paste.chat_id, error)


async def flush_pending_pastes(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Before any other update of a chat, hand on the chat's unfinished pastes, keeping order."""
    rt = runtime(context)
    chat, user, message = update.effective_chat, update.effective_user, update.message
    if rt.pastes is None or chat is None or not rt.pastes.has_chat(chat.id):
        return
    text = message_text(message) if message is not None else ""
    if user is not None and text and not text.startswith("/") and message is not None \
            and message.document is None and rt.pastes.pending(chat.id, user.id):
        return  # the next part of this user's paste: on_text adds it
    await rt.pastes.flush_chat(chat.id)


def register(application: Application) -> None:
    """Unfinished pastes go first, before any other update of their chat; then text and captions."""
    application.add_handler(TypeHandler(Update, flush_pending_pastes), group=-1)
    new_messages = filters.UpdateType.MESSAGE  # an edited message is not a new article or question
    application.add_handler(MessageHandler(new_messages & (filters.TEXT | filters.CAPTION) & ~filters.COMMAND, on_text))
