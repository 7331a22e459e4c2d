"""Background work in the bot process: a JobQueue job runs rounds of due feeds and scheduled briefings.

Each round polls the feeds that are due (each leased by one worker, so several webhook
workers on one database never poll a feed at once), then sends what the round produced:
announcements of new articles, failing feeds reported once, and the briefings this worker
claimed. A message that cannot be sent is logged; the round itself never stops the bot.
"""

from __future__ import annotations

import logging

from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes

from handlers.common import RUNTIME_KEY, deliver, runtime

logger = logging.getLogger(__name__)

JOB_NAME = "feeds-and-briefings"


async def feed_round(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Poll due feeds, send announcements and due briefings, then schedule the next round."""
    rt = runtime(context)
    try:
        await _round(context)
    finally:
        # The next round starts `feed_check_seconds` after this one ended: rounds never overlap.
        if context.job_queue is not None:
            context.job_queue.run_once(feed_round, when=rt.settings.feed_check_seconds, name=JOB_NAME,
                                       job_kwargs=_late_is_fine())


async def _round(context: ContextTypes.DEFAULT_TYPE) -> None:
    rt = runtime(context)
    if rt.feed_round is None:
        return
    try:
        done = await rt.feed_round.run_once()
    except Exception:
        logger.exception("a round of feeds and briefings failed; the next one tries again")
        return
    for item in done.outgoing:
        try:
            await deliver(context.bot, rt, item.chat_id, [item.reply])
        except TelegramError as error:
            logger.warning("could not send a feed message to chat %s: %s", item.chat_id, error)


def _late_is_fine() -> dict[str, object]:
    """Job options under which a round that starts late still runs."""
    # APScheduler drops a job more than a second late, and with it the chain of rounds; start-up
    # registers nine languages' menus (27 Bot API calls) before the job queue runs.
    return {"misfire_grace_time": None}


def register(application: Application) -> None:
    """Start the rounds, `feed_check_seconds` apart (needs python-telegram-bot's job-queue extra)."""
    rt = application.bot_data.get(RUNTIME_KEY)
    interval = rt.settings.feed_check_seconds if rt is not None else 60.0
    if application.job_queue is None:
        logger.warning("python-telegram-bot's job queue is missing (install the job-queue extra): "
                       "feeds are not polled in the bot; use `briefbot feeds poll` from cron")
        return
    application.job_queue.run_once(feed_round, when=interval, name=JOB_NAME, job_kwargs=_late_is_fine())
