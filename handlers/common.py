"""What every handler shares: the runtime they are given, and sending Replies with progress.

`Runtime` is built once by `bot.app.build_application` and kept in `application.bot_data`;
handlers read it with `runtime(context)`. Sending never raises for the things Telegram
users cause (a deleted status message, an edit that changes nothing); network errors of
non-essential calls (chat actions, status messages) are logged and ignored. Calls that carry
a reply are retried on 5xx answers and network errors (`retrying`), then given up with
`GaveUp`, which the error handler logs once.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

from telegram import Bot, InputFile, LinkPreviewOptions, Message, ReplyParameters, Update
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, NetworkError, TelegramError
from telegram.ext import ContextTypes

from bot.conversation.conversation import Conversation
from bot.conversation.feeds import FeedRound
from bot.conversation.replies import Reply
from bot.i18n import Translator
from bot.settings import Settings
from handlers.pastes import PasteBuffer
from handlers.render import Part, render

logger = logging.getLogger(__name__)

RUNTIME_KEY = "briefbot"
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
TYPING_REFRESH = 4.5  # seconds; Telegram shows "typing…" for about five

T = TypeVar("T")


@dataclass(frozen=True)
class Timing:
    """Delays of the Telegram front end; tests shorten them."""

    progress_delay: float = 1.0  # work longer than this gets a "Reading…" status message
    # Work longer than this shows "typing…": most answers come first, and a chat action is a Bot API
    # call as dear as the answer's (and counts against Telegram's 30 messages a second).
    typing_delay: float = 0.3
    paste_window: float = 1.5  # pause that ends a long paste Telegram split into several messages
    paste_start_chars: int = 3000  # a message this long may be the first part of a split paste
    # Pauses between tries of a call that carries a reply, answered 5xx or lost on the network:
    # five tries over about a minute, then the call is given up.
    retry_delays: tuple[float, ...] = (2.0, 6.0, 16.0, 36.0)


class ArticleMemory:
    """Which article each of the bot's messages is about, so a reply to it means that article."""

    def __init__(self, size: int = 20_000) -> None:
        self._size = size
        self._numbers: OrderedDict[tuple[int, int], int] = OrderedDict()

    def remember(self, chat_id: int, message_id: int, number: int | None) -> None:
        if number is None:
            return
        self._numbers[(chat_id, message_id)] = number
        self._numbers.move_to_end((chat_id, message_id))
        while len(self._numbers) > self._size:
            self._numbers.popitem(last=False)

    def article_for(self, chat_id: int, message_id: int) -> int | None:
        return self._numbers.get((chat_id, message_id))


@dataclass
class Runtime:
    """The dependencies of the handlers, built once by the application factory."""

    conversation: Conversation
    settings: Settings
    timing: Timing = field(default_factory=Timing)
    articles: ArticleMemory = field(default_factory=ArticleMemory)
    # Gathers the parts of long pastes (set by the application factory).
    pastes: PasteBuffer | None = None
    # Background rounds of due feeds and scheduled briefings (handlers/jobs.py).
    feed_round: FeedRound | None = None


def runtime(context: ContextTypes.DEFAULT_TYPE) -> Runtime:
    return context.application.bot_data[RUNTIME_KEY]


def user_language(update: object) -> str | None:
    """The IETF tag Telegram gives for the update's user (may be missing)."""
    user = update.effective_user if isinstance(update, Update) else None
    return user.language_code if user is not None else None


async def translator(rt: Runtime, chat_id: int, language_code: str | None) -> Translator:
    """The language to answer in: the chat's choice, else the user's Telegram language, else English."""
    return await rt.conversation.translator_for(chat_id, language_code)


# -- retries ---------------------------------------------------------------------------------


class GaveUp(TelegramError):
    """A Bot API call still failed (5xx, network) after all its tries; its cause is the last error."""


def is_transient(error: Exception) -> bool:
    """Worth another try: a 5xx answer, a timeout, a lost connection; not a refusal (400, 403)."""
    # PTB raises NetworkError for 5xx answers and transport failures; BadRequest subclasses it.
    return isinstance(error, NetworkError) and not isinstance(error, BadRequest)


async def retrying(delays: tuple[float, ...], call: Callable[[], Awaitable[T]], *, what: str) -> T:
    """Await `call()`, trying again after each of `delays` while it fails transiently; then GaveUp.

    A call that timed out may have reached Telegram: a retry can then show a message twice,
    which is better than losing it. 429s are the rate limiter's (it waits retry_after itself).
    """
    for attempt, delay in enumerate((*delays, None), start=1):
        try:
            return await call()
        except TelegramError as error:
            if not is_transient(error):
                raise
            if delay is None:
                raise GaveUp(f"gave up {what} after {attempt} tries: {error}") from error
            logger.debug("%s failed (%s); try %d again in %s s", what, error, attempt + 1, delay)
            await asyncio.sleep(delay)
    raise AssertionError("unreachable")  # the loop returns or raises


# -- sending ---------------------------------------------------------------------------------


async def keep_typing(bot: Bot, chat_id: int, delay: float = 0.0) -> None:
    """After `delay`, show "typing…" until cancelled; a failing chat action is only logged."""
    await asyncio.sleep(delay)
    while True:
        try:
            await bot.send_chat_action(chat_id, ChatAction.TYPING)
        except TelegramError as error:
            logger.debug("chat action failed in chat %s: %s", chat_id, error)
        await asyncio.sleep(TYPING_REFRESH)


async def respond(bot: Bot, rt: Runtime, chat_id: int, work: Awaitable[list[Reply]], *,
                  status_text: str | Callable[[], Awaitable[str]] = "Working…",
                  reply_to: int | None = None) -> list[int]:
    """Run `work` with a typing indicator (and a status message if it is slow), then send its replies.

    `status_text` may be a coroutine function: it is called only when the status message is sent.
    """
    # Not in groups: the rate limiter counts chat actions against a group's 20 messages a minute.
    typing = asyncio.ensure_future(keep_typing(bot, chat_id, rt.timing.typing_delay)) if chat_id > 0 else None
    task = asyncio.ensure_future(work)
    status: Message | None = None
    try:
        done, _pending = await asyncio.wait({task}, timeout=rt.timing.progress_delay)
        if not done:
            if not isinstance(status_text, str):
                status_text = await status_text()
            status = await _send_part(bot, rt, chat_id, Part(html.escape(status_text), len(status_text)),
                                      reply_to=reply_to, essential=False)
        replies = await task
    finally:
        if typing is not None:
            typing.cancel()
        task.cancel()  # a no-op once done; stops the work if sending the status failed badly
    if status is not None and not replies:  # nothing to show: the status message goes away
        with contextlib.suppress(TelegramError):
            await bot.delete_message(chat_id, status.message_id)
        return []
    return await deliver(bot, rt, chat_id, replies, into=status.message_id if status else None, reply_to=reply_to)


async def deliver(bot: Bot, rt: Runtime, chat_id: int, replies: list[Reply], *, into: int | None = None,
                  reply_to: int | None = None) -> list[int]:
    """Send replies as messages and return their ids; the first part is edited into message `into`
    (a status message, or the message a button was under) when there is one."""
    sent: list[int] = []
    for reply in replies:
        for part in render(reply):
            message_id = None
            if into is not None:
                message_id = await edit_part(bot, rt, chat_id, into, part)
                into = None
            if message_id is None:
                message = await _send_part(bot, rt, chat_id, part, reply_to=reply_to)
                message_id = message.message_id if message is not None else None
            if message_id is not None:
                sent.append(message_id)
                rt.articles.remember(chat_id, message_id, reply.article_number)
        for name, content in reply.files:
            document = await retrying(
                rt.timing.retry_delays,
                lambda name=name, content=content: bot.send_document(
                    chat_id, InputFile(content, filename=name), reply_parameters=_reply_parameters(reply_to)),
                what=f"sending {name} to chat {chat_id}")
            sent.append(document.message_id)
    return sent


def _reply_parameters(reply_to: int | None) -> ReplyParameters | None:
    if reply_to is None:
        return None
    return ReplyParameters(reply_to, allow_sending_without_reply=True)


async def _send_part(bot: Bot, rt: Runtime, chat_id: int, part: Part, *, reply_to: int | None = None,
                     essential: bool = True) -> Message | None:
    """Send `part`; an essential one (a reply) is retried, a status message is tried once and may fail."""
    def send() -> Awaitable[Message]:
        return bot.send_message(chat_id, part.html, parse_mode=ParseMode.HTML, reply_markup=part.keyboard,
                                link_preview_options=NO_PREVIEW, reply_parameters=_reply_parameters(reply_to))

    try:
        if not essential:
            return await send()
        return await retrying(rt.timing.retry_delays, send, what=f"sending a message to chat {chat_id}")
    except TelegramError as error:
        if essential:
            raise
        logger.warning("could not send a status message in chat %s: %s", chat_id, error)
        return None


async def edit_part(bot: Bot, rt: Runtime, chat_id: int, message_id: int, part: Part) -> int | None:
    """Edit a message into `part` and return its id; None when it cannot be edited (send instead).

    An edit to identical content is Telegram's 400 "message is not modified": the message
    already shows the part, so that counts as done.
    """
    try:
        await retrying(rt.timing.retry_delays,
                       lambda: bot.edit_message_text(part.html, chat_id=chat_id, message_id=message_id,
                                                     parse_mode=ParseMode.HTML, reply_markup=part.keyboard,
                                                     link_preview_options=NO_PREVIEW),
                       what=f"editing message {message_id} in chat {chat_id}")
    except BadRequest as error:
        if is_not_modified(error):
            return message_id
        logger.info("could not edit message %s in chat %s (%s); sending a new one", message_id, chat_id, error)
        return None
    return message_id


def is_not_modified(error: BadRequest) -> bool:
    return "not modified" in str(error).lower()
