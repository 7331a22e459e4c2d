"""Inline mode: `@bot words` searches the user's own library (their private chat's) from any chat."""

from __future__ import annotations

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update
from telegram.constants import ParseMode
from telegram.ext import Application, ContextTypes, InlineQueryHandler

from handlers.common import NO_PREVIEW, runtime, translator
from handlers.render import render

MAX_RESULTS = 10


async def on_inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Offer the sentences of the user's library that match the query (their latest summaries if empty)."""
    query = update.inline_query
    if query is None:
        return
    rt = runtime(context)
    # A user's library is their private chat with the bot, whose id is the user's id.
    tr = await translator(rt, query.from_user.id, query.from_user.language_code)
    found = await rt.conversation.search(query.from_user.id, query.query, limit=MAX_RESULTS, tr=tr)
    results = []
    for item in found:
        part = render(item.reply)[0]
        results.append(InlineQueryResultArticle(
            id=item.key[:64],
            title=item.title[:200] or "Briefbot",
            description=item.description[:300],
            input_message_content=InputTextMessageContent(part.html, parse_mode=ParseMode.HTML,
                                                          link_preview_options=NO_PREVIEW),
        ))
    await query.answer(results, cache_time=10, is_personal=True)


def register(application: Application) -> None:
    application.add_handler(InlineQueryHandler(on_inline_query))
