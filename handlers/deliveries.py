"""An update already claimed (by another webhook worker, or finished before a restart) is dropped."""

from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, ContextTypes, TypeHandler

from handlers.common import runtime

logger = logging.getLogger(__name__)


async def claim_update(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """First of all handlers: stop a re-delivered update that is (being) handled elsewhere."""
    deliveries = runtime(context).deliveries
    if deliveries is None:
        return
    try:
        claimed = await asyncio.to_thread(deliveries.claim, update.update_id)
    except Exception:
        # Better handle an update twice than lose it while the database hiccups.
        logger.exception("could not claim update %s; handling it anyway", update.update_id)
        return
    if not claimed:
        logger.info("update %s was already handled; dropped", update.update_id)
        raise ApplicationHandlerStop


async def finish_update(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Last of all handlers: the update is done and is never handled again."""
    deliveries = runtime(context).deliveries
    if deliveries is None:
        return
    try:
        await asyncio.to_thread(deliveries.finish, update.update_id)
    except Exception:
        logger.exception("could not mark update %s as handled", update.update_id)


def register(application: Application) -> None:
    """Claims first of all handlers, the finished mark last of all."""
    application.add_handler(TypeHandler(Update, claim_update), group=-3)
    application.add_handler(TypeHandler(Update, finish_update), group=100)
