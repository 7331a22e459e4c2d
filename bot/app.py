"""The Telegram application: built once from settings and services, run by `briefbot run`.

`build_application` wires the handlers of `handlers/` into a python-telegram-bot
Application; `run_bot` runs it with long polling, or a webhook when one is configured,
and stops gracefully on SIGINT/SIGTERM (updates in flight are finished first).

Updates of one chat are handled one after another, in order; different chats in
parallel (`ChatOrderedProcessor`). Blocking work runs in threads inside the conversation.
Every update goes through the durable inbox (bot/inbox.py): recorded before Telegram is told
it arrived, handled once, and handled again after a crash.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import urllib.parse
from collections.abc import AsyncIterator, Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    ContextTypes,
)

from bot.conversation.commands import DESCRIPTION, SHORT_DESCRIPTION
from bot.i18n import DEFAULT_LANGUAGE, Catalogs
from bot.inbox import Inbox, InboxQueue, ordering_key
from bot.services import Services, build_services
from bot.settings import Settings
from handlers import access, callbacks, commands, documents, errors, inline, jobs, messages
from handlers.common import RUNTIME_KEY, Runtime, Timing
from handlers.pastes import PasteBuffer

logger = logging.getLogger(__name__)


# -- ordering --------------------------------------------------------------------------------


class _Slot:
    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = 0


__all__ = ["ChatOrderedProcessor", "build_application", "ordering_key", "run_bot"]


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Runs the updates of one chat in the order they came, and different chats in parallel.

    One asyncio.Lock per chat, created when an update of the chat arrives and dropped when
    no update of the chat is running or waiting (asyncio locks are fair: waiters go in order).
    With an inbox, each update is claimed, handled in its chat's turn across workers, and finished.
    """

    def __init__(self, max_concurrent_updates: int = 256, inbox: Inbox | None = None) -> None:
        super().__init__(max_concurrent_updates)
        self._slots: dict[Hashable, _Slot] = {}
        self.inbox = inbox

    @property
    def active_chats(self) -> int:
        return len(self._slots)

    @contextlib.asynccontextmanager
    async def serialized(self, key: Hashable | None) -> AsyncIterator[None]:
        """Hold the chat's place in line; other work of the same chat waits, other chats do not."""
        if key is None:
            yield
            return
        slot = self._slots.get(key)
        if slot is None:
            slot = self._slots[key] = _Slot()
        slot.users += 1
        try:
            async with slot.lock:
                yield
        finally:
            slot.users -= 1
            if slot.users == 0:
                del self._slots[key]

    async def do_process_update(self, update: object, coroutine: Any) -> None:
        async with self.serialized(ordering_key(update)):
            if self.inbox is None:
                await coroutine
            else:
                await self.inbox.guard(update, coroutine)

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass


# -- the token stays out of logs -------------------------------------------------------------


class RedactToken(logging.Filter):
    """Replaces the bot token (and so `bot<token>` in Bot API URLs) in a record's message and traceback."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self._token = token

    def redact(self, text: str) -> str:
        return text.replace(self._token, "<token>") if self._token else text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._token:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a record with bad arguments: logging reports it itself
            return True
        if self._token in message:
            record.msg, record.args = self.redact(message), None
        if record.exc_info and record.exc_info[1] is not None:
            text = record.exc_text or logging.Formatter().formatException(record.exc_info)
            if self._token in text:
                record.exc_text = self.redact(text)
        if record.stack_info and self._token in record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def install_token_redaction(token: str) -> Callable[[], None]:
    """Redact `token` from every log record made from now on; returns the undo.

    A filter on the root logger's handlers covers what is printed now, and the record
    factory covers handlers added later (pytest's caplog, an operator's own handler).
    """
    redactor = RedactToken(token)
    handlers = list(logging.getLogger().handlers)
    for handler in handlers:
        handler.addFilter(redactor)
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        redactor.filter(record)
        return record

    logging.setLogRecordFactory(factory)

    def undo() -> None:
        for handler in handlers:
            handler.removeFilter(redactor)
        if logging.getLogRecordFactory() is factory:
            logging.setLogRecordFactory(previous)

    return undo


# -- the application -------------------------------------------------------------------------


async def register_profile(application: Application, catalogs: Catalogs) -> None:
    """The command menu, description and short description, in every shipped language, once at start-up.

    English is also the default (no language_code) that users of other languages see. These are
    3 calls per language (27 for nine), sent through the application's AIORateLimiter like any other.
    """
    bot = application.bot
    for code in catalogs.languages:
        tr = catalogs.get(code)
        language_code = None if code == DEFAULT_LANGUAGE else code
        try:
            await bot.set_my_commands(commands.bot_commands(tr), language_code=language_code)
            await bot.set_my_description(tr.render(DESCRIPTION), language_code=language_code)
            await bot.set_my_short_description(tr.render(SHORT_DESCRIPTION), language_code=language_code)
        except TelegramError as error:
            logger.warning("could not register the %s command menu and description with Telegram: %s", code, error)



@dataclass(frozen=True)
class AppOptions:
    """How the application is tuned; the defaults are for Telegram itself, tests relax them."""

    timing: Timing = field(default_factory=Timing)
    # Telegram allows about 30 messages a second overall and 20 a minute in a group.
    overall_max_rate: float = 30
    group_max_rate: float = 20
    max_retries: int = 3  # retries of a call answered 429 (flood control), after its retry_after
    max_concurrent_updates: int = 256
    close_services: bool = True  # post_shutdown closes the services (the store)
    # Longest wait for an earlier update of the same chat (handled by another worker) to finish.
    max_turn_wait: float = 120.0


def build_application(settings: Settings, services: Services, options: AppOptions | None = None) -> Application:
    """The Telegram application of Briefbot, wired to the given services."""
    options = options or AppOptions()
    # Several webhook workers may share the database and get the same update; a lone poller
    # handles again at start-up what it left unfinished (see bot/deliveries.py).
    deliveries = services.deliveries if settings.webhook_url else services.deliveries.single_worker()
    queue = InboxQueue(deliveries, services.inbox)
    inbox = Inbox(deliveries, queue, max_turn_wait=options.max_turn_wait)
    processor = ChatOrderedProcessor(options.max_concurrent_updates, inbox)

    async def post_init(application: Application) -> None:
        await register_profile(application, services.conversation.catalogs)
        if deliveries.policy.single_worker:
            # Queued before polling starts: what a killed predecessor left comes first, in order.
            await inbox.replay(application.bot)
        elif application.job_queue is not None:
            async def sweep(context: ContextTypes.DEFAULT_TYPE) -> None:
                await inbox.sweep(context.bot)

            every = deliveries.policy.renew_every
            application.job_queue.run_repeating(sweep, interval=every, first=every, name="inbox-sweep",
                                                job_kwargs={"max_instances": 1, "coalesce": True})
        else:
            logger.warning("no job queue (install python-telegram-bot[job-queue]): updates left by dead "
                           "workers are handled only when Telegram sends them again")

    undo_redaction = install_token_redaction(settings.token)

    async def post_shutdown(application: Application) -> None:
        if options.close_services:
            await services.aclose()
            await asyncio.to_thread(services.close)
        undo_redaction()

    application = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.base_url)
        .base_file_url(settings.base_file_url)
        .rate_limiter(AIORateLimiter(overall_max_rate=options.overall_max_rate,
                                     group_max_rate=options.group_max_rate, max_retries=options.max_retries))
        .concurrent_updates(processor)
        .update_queue(queue)
        .connect_timeout(10)
        .read_timeout(30)
        .write_timeout(60)
        .media_write_timeout(120)
        .pool_timeout(30)
        .get_updates_read_timeout(40)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    rt = Runtime(services.conversation, settings, timing=options.timing)
    rt.pastes = PasteBuffer(
        lambda paste: messages.flush_paste(application.bot, rt, paste),
        window=options.timing.paste_window,
        start_chars=options.timing.paste_start_chars,
        serialized=processor.serialized,
        spawn=application.create_task,
    )
    rt.feed_round = services.feed_round
    application.bot_data[RUNTIME_KEY] = rt
    add_handlers(application)
    return application


# The order matters within a group: commands, then documents, then text.
HANDLER_MODULES = (access, commands, documents, messages, callbacks, inline, errors, jobs)


def add_handlers(application: Application) -> None:
    """Each handlers module registers its own handlers; this only includes them, in order."""
    for module in HANDLER_MODULES:
        module.register(application)


# -- running ---------------------------------------------------------------------------------


def run_bot(settings: Settings) -> int:
    """Run the bot until SIGINT/SIGTERM: long polling, or a webhook when `webhook_url` is set."""
    services = build_services(settings)
    try:
        application = build_application(settings, services)
    except Exception:
        services.close()
        raise
    # The long-article workers start now, beside the bot, rather than when the first long article arrives.
    services.workers.warm()
    services.upkeep.start()  # stored search terms of an older Briefbot: recomputed in the background
    # run_* stop on SIGINT/SIGTERM/SIGABRT: no new updates are taken, the ones in flight and the
    # tasks they started (pastes being gathered) finish, then post_shutdown closes the services.
    if settings.webhook_url:
        path = urllib.parse.urlsplit(settings.webhook_url).path.lstrip("/")
        logger.info("Briefbot is listening for Telegram's webhook on %s:%s/%s", settings.webhook_listen,
                    settings.webhook_port, path)
        application.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=path,
            webhook_url=settings.webhook_url,
            secret_token=settings.webhook_secret or None,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        logger.info("Briefbot is polling Telegram for updates")
        application.run_polling(allowed_updates=Update.ALL_TYPES)
    return 0
