"""The durable inbox on python-telegram-bot's own machinery (the rules are in bot/deliveries.py).

- `InboxQueue` is the Application's update queue. PTB's Updater puts every fetched update
  into it before it asks for the next batch (which confirms this one to Telegram), and its
  webhook server puts the update into it before it answers 200: recording the update in
  `put` is therefore recording it before Telegram forgets it.
- `Inbox.guard` wraps the handling of each update (called by the update processor): claim it,
  keep the claim's lease alive, wait for the chat's turn, handle it, mark it finished. A lone
  poller only handles and finishes: its record is its claim, and its chats are in order in memory.
- `Inbox.replay` (polling, at start-up) and `Inbox.sweep` (webhook workers, now and then)
  queue again the updates a dead process left unfinished.

Every call to the deliveries runs on the inbox's own lane (bot/lanes.py), when given one: a thread
that does not take the interpreter lock from the answers' at each write.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Coroutine, Hashable
from typing import Any

from telegram import Bot, Update

from bot.deliveries import Deliveries
from bot.lanes import Lane, run_on

logger = logging.getLogger(__name__)


def ordering_key(update: object) -> Hashable | None:
    """What an update must wait for: its chat. Inline queries and the rest wait for nothing."""
    if isinstance(update, Update) and update.inline_query is None and update.effective_chat is not None:
        return update.effective_chat.id
    return None


def chat_of(update: Update) -> int | None:
    key = ordering_key(update)
    return key if isinstance(key, int) else None


class InboxQueue(asyncio.Queue[object]):
    """The update queue that records each update in the inbox before queueing it.

    An update finished before (Telegram re-sent it after a lost confirmation) is dropped here.
    """

    def __init__(self, deliveries: Deliveries, lane: Lane | None = None) -> None:
        super().__init__()
        self._deliveries = deliveries
        self.lane = lane

    async def put(self, item: object) -> None:
        if isinstance(item, Update):
            payload = json.dumps(item.to_dict(), ensure_ascii=False)
            try:
                fresh = await run_on(self.lane, self._deliveries.record, item.update_id, chat_of(item), payload)
            except Exception:
                # Better handle an update without a record than lose it while the database hiccups.
                logger.exception("could not record update %s; handling it anyway", item.update_id)
                fresh = True
            if not fresh:
                logger.info("update %s was already handled; dropped", item.update_id)
                return
        await super().put(item)

    async def requeue(self, update: Update) -> None:
        """Queue an update that is recorded already (left unfinished by a dead process)."""
        await super().put(update)


class FinishedMarks:
    """Marks handled updates finished, those that finish together in one transaction (a group commit).

    A wave of answers finishes within milliseconds: one write for all of them instead of one each.
    `mark` returns once its update's mark is committed (or raises what the write raised).
    """

    def __init__(self, deliveries: Deliveries, lane: Lane | None = None) -> None:
        self._deliveries = deliveries
        self._lane = lane
        self._waiting: list[tuple[int, asyncio.Future[None]]] = []
        self._writer: asyncio.Future[None] | None = None

    async def mark(self, update_id: int) -> None:
        done = asyncio.get_running_loop().create_future()
        self._waiting.append((update_id, done))
        if self._writer is None:
            self._writer = asyncio.ensure_future(self._write())
        await done

    async def _write(self) -> None:
        """Write what is waiting, then what came meanwhile, until nothing waits."""
        try:
            while self._waiting:
                batch, self._waiting = self._waiting, []
                try:
                    await run_on(self._lane, self._deliveries.finish_many, [update_id for update_id, _ in batch])
                except Exception as error:
                    for _update_id, done in batch:
                        if not done.done():
                            done.set_exception(error)
                else:
                    for _update_id, done in batch:
                        if not done.done():
                            done.set_result(None)
        finally:
            self._writer = None


class Inbox:
    """Claims, leases, turns and finished marks around the handling of each update."""

    def __init__(self, deliveries: Deliveries, queue: InboxQueue, *, turn_poll: float = 0.05,
                 max_turn_wait: float = 120.0) -> None:
        self.deliveries = deliveries
        self.queue = queue
        self._lane = queue.lane  # the queue's: records, claims and marks on one thread
        self._finished = FinishedMarks(deliveries, self._lane)
        self._turn_poll = turn_poll
        # Waiting longer than this for an earlier update of the chat means it is stuck: go ahead.
        self._max_turn_wait = max_turn_wait

    async def guard(self, update: object, handling: Coroutine[Any, Any, Any]) -> None:
        """Handle `update` with `handling` unless it is a duplicate; mark it finished when done."""
        if not isinstance(update, Update):
            await handling
            return
        update_id = update.update_id
        single = self.deliveries.policy.single_worker
        # A lone poller's record is its claim: no other process handles its updates, and its own
        # updates of one chat are already in order in memory (ChatOrderedProcessor). Webhook
        # workers claim each update and wait for its chat's turn in the database.
        if not single:
            try:
                claimed = await run_on(self._lane, self.deliveries.claim, update_id)
            except Exception:
                logger.exception("could not claim update %s; handling it anyway", update_id)
                claimed = True
            if not claimed:
                handling.close()
                logger.info("update %s was already handled; dropped", update_id)
                return
        renewal = None if single else asyncio.ensure_future(self._renew(update_id))
        try:
            chat_id = chat_of(update)
            if chat_id is not None and not single:
                await self._wait_for_turn(update_id, chat_id)
            await handling
        except BaseException:
            handling.close()  # a no-op once it ran; never awaited when waiting for the turn was cancelled
            raise
        finally:
            if renewal is not None:
                renewal.cancel()
        # Only a finished handling is marked: cancelled or killed, the update is handled again.
        try:
            await self._finished.mark(update_id)
        except Exception:
            logger.exception("could not mark update %s as handled", update_id)

    async def _renew(self, update_id: int) -> None:
        """Keep this worker's claim alive while it works; a failed renewal is tried again next time."""
        while True:
            await asyncio.sleep(self.deliveries.policy.renew_every)
            try:
                await run_on(self._lane, self.deliveries.renew, update_id)
            except Exception:
                logger.exception("could not renew the claim of update %s", update_id)

    async def _wait_for_turn(self, update_id: int, chat_id: int) -> None:
        deadline = time.monotonic() + self._max_turn_wait
        pause = self._turn_poll
        while True:
            try:
                if await run_on(self._lane, self.deliveries.take_turn, update_id, chat_id):
                    return
            except Exception:
                logger.exception("could not take the turn of update %s; handling it now", update_id)
                return
            if time.monotonic() > deadline:
                logger.warning("update %s waited %.0f s for an earlier update of chat %s; handling it now",
                               update_id, self._max_turn_wait, chat_id)
                return
            await asyncio.sleep(pause)
            pause = min(pause * 1.5, 0.5)

    async def replay(self, bot: Bot) -> int:
        """Queue again, oldest first, the unfinished updates a previous process left; how many."""
        pending = await run_on(self._lane, self.deliveries.unfinished)
        for item in pending:
            await self.queue.requeue(Update.de_json(json.loads(item.payload), bot))
        if pending:
            logger.info("handling again %d update(s) left unfinished: %s", len(pending),
                        ", ".join(str(item.update_id) for item in pending[:20]))
        return len(pending)

    async def sweep(self, bot: Bot) -> int:
        """Queue the updates whose worker died (lease run out, or never claimed); how many."""
        try:
            pending = await run_on(self._lane, self.deliveries.abandoned)
        except Exception:  # the database hiccups: the next sweep tries again
            logger.exception("could not look for updates left by dead workers")
            return 0
        for item in pending:
            logger.info("update %s was left by its worker; handling it here", item.update_id)
            await self.queue.requeue(Update.de_json(json.loads(item.payload), bot))
        return len(pending)
