"""Documents: .txt, .md, .html and .pdf files become articles; others and too-large ones are refused."""

from __future__ import annotations

import asyncio
import logging

from telegram import Bot, Document, Update
from telegram.constants import ChatType
from telegram.error import BadRequest
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from bot.conversation.replies import Reply, text_reply
from bot.errors import BriefbotError
from bot.i18n import Translator, lazy
from bot.sources.kinds import READABLE_NAMES, human_size, is_readable, is_text_name
from bot.sources.loading import load_document
from handlers.common import GaveUp, Runtime, deliver, respond, retrying, runtime, translator, user_language
from handlers.messages import addressed_to_bot

logger = logging.getLogger(__name__)

DOWNLOAD_FAILED = lazy("I could not download that file from Telegram; please send it again.")


def refusal(document: Document, max_bytes: int, tr: Translator) -> str | None:
    """Why a document is not read, decided before downloading it; None: read it."""
    name = document.file_name or tr.gettext("that file")
    if not is_readable(name):
        return tr.gettext("I can read %(kinds)s files; %(name)s is not one of them.", kinds=READABLE_NAMES,
                          name=name)
    if document.file_size is not None and document.file_size > max_bytes:
        return tr.gettext("%(name)s is too large (%(size)s); the limit is %(limit)s. Send a smaller file or a link.",
                          name=name, size=human_size(document.file_size), limit=human_size(max_bytes))
    return None


async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Read a document and save it as an article."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None or message.document is None:
        return
    group = chat.type != ChatType.PRIVATE
    if group and not addressed_to_bot(message, context.bot):
        return
    rt = runtime(context)
    reply_to = message.message_id if group else None
    tr = await translator(rt, chat.id, user_language(update))
    reason = refusal(message.document, rt.settings.max_file_bytes, tr)
    if reason is not None:
        await deliver(context.bot, rt, chat.id, [text_reply(reason, error=True)], reply_to=reply_to)
        return
    await respond(context.bot, rt, chat.id, read_document(context.bot, rt, chat.id, message.document, tr),
                  status_text=tr.gettext("Reading…"), reply_to=reply_to)


async def download(bot: Bot, document: Document) -> bytes:
    """The document's bytes: getFile, then the download from Telegram's file server."""
    file = await bot.get_file(document.file_id)
    return bytes(await file.download_as_bytearray())


async def read_document(bot: Bot, rt: Runtime, chat_id: int, document: Document, tr: Translator) -> list[Reply]:
    name = document.file_name or "document.txt"
    limit = rt.settings.max_file_bytes
    try:
        data = await retrying(rt.timing.retry_delays, lambda: download(bot, document),
                              what=f"downloading {name} in chat {chat_id}")
    except GaveUp as error:
        logger.warning("%s", error)
        return [text_reply(tr.render(DOWNLOAD_FAILED), error=True)]
    except BadRequest as error:
        if "too big" in str(error).lower():
            return [text_reply(tr.gettext("%(name)s is too large for a bot to download from Telegram (over 20 MB).",
                                          name=name), error=True)]
        raise
    if len(data) > limit:
        return [text_reply(tr.gettext("%(name)s is too large (%(size)s); the limit is %(limit)s.", name=name,
                                      size=human_size(len(data)), limit=human_size(limit)), error=True)]
    # Telegram often labels .md files application/octet-stream: trust the name for text files.
    content_type = None if is_text_name(name) else document.mime_type
    try:
        loaded = await asyncio.to_thread(load_document, name, data, filename=name, content_type=content_type)
    except BriefbotError as error:
        return [text_reply(tr.render(error.message), error=True)]
    return await rt.conversation.handle_document(chat_id, loaded.text, title=loaded.title, tr=tr)


def register(application: Application) -> None:
    application.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.Document.ALL, on_document))
