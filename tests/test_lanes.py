"""Lanes (bot/lanes.py): calls of one kind on threads of their own, and who uses which."""

from __future__ import annotations

import asyncio
import contextvars
import threading
from pathlib import Path

import pytest

from bot.lanes import Lane, run_on
from bot.services import Services
from support.fakebotapi import running_bot
from tests.helpers import seed_article

REQUEST = contextvars.ContextVar("REQUEST", default="none")


def where() -> tuple[str, str]:
    return threading.current_thread().name, REQUEST.get()


def fail() -> None:
    raise LookupError("from the lane")


async def test_a_lane_runs_calls_on_its_own_threads_in_the_callers_context() -> None:
    lane = Lane("tests", threads=2)
    try:
        REQUEST.set("question 7")
        seen = {await lane.run(where) for _ in range(20)}
        assert {context for _name, context in seen} == {"question 7"}
        names = {name for name, _context in seen}
        assert names and all(name.startswith("briefbot-tests_") for name in names)
        assert len(names) <= 2
        with pytest.raises(LookupError, match="from the lane"):
            await lane.run(fail)
        assert await lane.run(divmod, 17, 5) == (3, 2)
    finally:
        lane.close()
    with pytest.raises(RuntimeError):
        await lane.run(where)


async def test_without_a_lane_a_call_runs_on_asyncios_default_pool() -> None:
    REQUEST.set("no lane")
    name, context = await run_on(None, where)
    assert context == "no lane"
    assert name != threading.main_thread().name and not name.startswith("briefbot-")
    lane = Lane("given")
    try:
        assert (await run_on(lane, where))[0] == "briefbot-given_0"
    finally:
        lane.close()


def test_a_lane_needs_a_thread() -> None:
    with pytest.raises(ValueError, match="at least one thread"):
        Lane("none", threads=0)


def lane_threads(prefix: str) -> set[str]:
    return {thread.name for thread in threading.enumerate() if thread.name.startswith(prefix)}


async def test_questions_are_answered_on_the_answers_lane(services: Services) -> None:
    assert services.answers.threads == services.settings.answer_threads == 1
    await services.conversation.handle_message(1, seed_article())
    [reply] = await services.conversation.handle_message(1, "Who visited Israel?")
    assert "Reznikov" in reply.plain
    # One thread, whatever the questions: the answers never take the interpreter lock from one another.
    replies = await asyncio.gather(*(services.conversation.handle_message(1, question)
                                     for question in ("Who visited Israel?", "drone manufacturer", "penguins?") * 5))
    assert ["Aeronautics" in reply.plain for [reply] in replies[:3]] == [False, True, False]
    assert lane_threads("briefbot-answers_") == {"briefbot-answers_0"}


async def test_the_bots_inbox_writes_on_its_own_lane(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        api = bot.api
        api.send_text(42, seed_article())
        await api.wait_for_text(42, "Saved as #1", timeout=20)
        api.send_text(42, "Who visited Israel?")
        await api.wait_for_text(42, "Reznikov", timeout=20)
        assert lane_threads("briefbot-inbox_") == {"briefbot-inbox_0"}
        assert api.violations == []
