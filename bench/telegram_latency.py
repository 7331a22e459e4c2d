"""Reply latency of the Telegram front end against the fake Bot API (support/fakebotapi.py).

    python -m bench.telegram_latency [--chats 50] [--rounds 5] [--output FILE]

Measures, for the real Application polling a fake Bot API on 127.0.0.1, with a SQLite file:

1. 50 chats sending an article at the same moment, then questions (several rounds):
   time from the update being offered to the bot's reply reaching the Bot API, p50/p99/max.
   Once with Telegram's flood limits applied client-side (AIORateLimiter, 30 messages/s:
   the production setting) and once without (the bot's own speed).
2. One chat sending a 2 MB document while the 49 others keep asking questions: how long the
   others wait, compared with the same questions alone.

It reads no evaluation set: the articles are tests/data/seed-article.txt and long-article.txt, read by path
(bench/evaldata.py).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.evaldata import LONG_ARTICLE, SEED_ARTICLE, shipped_file
from bot.app import AppOptions
from support.fakebotapi import FakeBotAPI, running_bot

QUESTION = "Who visited Israel?"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def summary(values: list[float]) -> dict[str, float]:
    return {"n": len(values), "p50": percentile(values, 0.5), "p99": percentile(values, 0.99), "max": max(values),
            "mean": statistics.fmean(values)}


async def replies(api: FakeBotAPI, sent: dict[int, float], contains: str, since: int,
                  timeout: float = 300) -> dict[int, float]:
    """Seconds from each chat's update to the first reply containing `contains`."""
    latency: dict[int, float] = {}
    deadline = time.monotonic() + timeout
    cursor = since
    while len(latency) < len(sent):
        calls = api.calls_of(None, since=cursor)
        cursor += len(calls)
        for call in calls:
            chat = call.chat_id
            if chat in sent and chat not in latency and call.ok and contains in call.text and call.method in (
                    "sendMessage", "editMessageText"):
                latency[chat] = call.at - sent[chat]
        if time.monotonic() > deadline:
            raise TimeoutError(f"{len(sent) - len(latency)} chats got no reply")
        await asyncio.sleep(0.005)
    return latency


async def wave(api: FakeBotAPI, chats: list[int], text: str, contains: str) -> list[float]:
    mark = api.mark()
    sent = {}
    for chat in chats:
        sent[chat] = time.monotonic()
        api.send_text(chat, text)
    return list((await replies(api, sent, contains, mark)).values())


async def concurrent_chats(chats: int, rounds: int, options: Any) -> dict[str, dict[str, float]]:
    with tempfile.TemporaryDirectory() as directory:
        async with running_bot(Path(directory), options=options) as bot:
            ids = list(range(5001, 5001 + chats))
            articles = await wave(bot.api, ids, SEED_ARTICLE.read_text("utf-8"), "Saved as #1")
            single: list[float] = []
            for _round in range(20):
                single += await wave(bot.api, ids[:1], QUESTION, "Reznikov")
            questions: list[float] = []
            for _round in range(rounds):
                questions += await wave(bot.api, ids, QUESTION, "Reznikov")
            return {"articles": summary(articles), "single": summary(single), "questions": summary(questions)}


def two_megabytes() -> bytes:
    """About 2 MB of text: numbered copies of the long article (no copy is a duplicate)."""
    text = LONG_ARTICLE.read_text("utf-8")
    copies = []
    while sum(len(copy) for copy in copies) + len(text) < 1_990_000:
        copies.append(f"Part {len(copies) + 1}.\n\n{text}")
    return "\n\n".join(copies).encode("utf-8")


async def beside_a_huge_document(chats: int, options: Any) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as directory:
        async with running_bot(Path(directory), options=options, max_file_bytes=20_000_000) as bot:
            api = bot.api
            ids = list(range(7001, 7001 + chats))
            huge_chat, others = ids[0], ids[1:]
            await wave(api, ids, SEED_ARTICLE.read_text("utf-8"), "Saved as #1")
            alone: list[float] = []
            for _round in range(3):
                alone += await wave(api, others, QUESTION, "Reznikov")

            document = two_megabytes()
            mark = api.mark()
            started = time.monotonic()
            api.send_document(huge_chat, document, "two-megabytes.txt")
            done = asyncio.ensure_future(replies(api, {huge_chat: started}, "Saved as #2", mark))
            during: list[float] = []
            waves = 0
            await asyncio.sleep(0.1)
            while not done.done():
                during += await wave(api, others, QUESTION, "Reznikov")
                waves += 1
            document_seconds = (await done)[huge_chat]
            return {"document_bytes": len(document), "document_seconds": document_seconds, "waves": waves,
                    "alone": summary(alone), "during": summary(during)}


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.system()} {platform.release()}, {os.cpu_count()} CPUs ({model or platform.machine()}), " \
           f"Python {platform.python_version()}"


def ms(value: float) -> str:
    return f"{value * 1000:.0f} ms"


def row(name: str, stats: dict[str, float]) -> str:
    return f"| {name} | {stats['n']:.0f} | {ms(stats['p50'])} | {ms(stats['p99'])} | {ms(stats['max'])} |"


def report(args: argparse.Namespace, limited: dict[str, Any], unlimited: dict[str, Any], huge: dict[str, Any]) -> str:
    today = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    command = "python -m bench.telegram_latency " + " ".join(sys.argv[1:])
    return f"""# Telegram front end: reply latency

Command: `{command.strip()}`
Date: {today}
Machine: {machine()}

The real python-telegram-bot Application long-polls the fake Bot API of `support/fakebotapi.py`
on 127.0.0.1 and keeps its library in a SQLite file. Latency is from the moment an update is
offered to the bot (`getUpdates` can return it) to the moment the fake has answered the call
that carries the reply (`sendMessage`, or the edit of a "Reading…" status message). Each chat
is a private chat with its own library. The fake server runs in the same Python process (a
thread), so its own work shares the GIL with the bot's: real Telegram would take that load off,
and add the network round trips instead.

## {args.chats} chats at once

Each chat sends the seed article (2.8 KB) at the same moment; then one chat asks the question
"{QUESTION}" 20 times alone; then {args.rounds} rounds of the same question from every chat at once.

| with Telegram's flood limits (30 messages/s, production) | replies | p50 | p99 | max |
|---|---|---|---|---|
{row("article → summary", limited["articles"])}
{row("question → answer, one chat alone", limited["single"])}
{row("question → answer", limited["questions"])}

| without client-side limits (the bot's own speed) | replies | p50 | p99 | max |
|---|---|---|---|---|
{row("article → summary", unlimited["articles"])}
{row("question → answer, one chat alone", unlimited["single"])}
{row("question → answer", unlimited["questions"])}

With the limits on, a wave of {args.chats} replies (plus their "typing…" actions) cannot leave
faster than Telegram allows, so the p99 there is the rate limiter's queue, not the bot's work.

## One chat sends a 2 MB document

Chat 1 sends a {huge["document_bytes"] / 1e6:.2f} MB .txt document; meanwhile the other
{args.chats - 1} chats keep asking the question, wave after wave ({huge["waves"]} waves), without
client-side rate limits.

| | replies | p50 | p99 | max |
|---|---|---|---|---|
{row("questions, nothing else running", huge["alone"])}
{row("questions while the document is read", huge["during"])}

The document itself was answered after {huge["document_seconds"]:.2f} s (download, parsing,
saving {huge["document_bytes"] / 1e6:.1f} MB of sentences, and a summary; the summarizer's time
budget falls back to a cheaper algorithm for text this long). The other chats are never queued
behind it — updates of different chats run in parallel and the work runs in threads — but
they do share two cores and the GIL with it, which is what the difference between the two rows is.
"""


async def main_async(args: argparse.Namespace) -> str:
    production = AppOptions()  # what `briefbot run` uses
    unthrottled = AppOptions(overall_max_rate=0, group_max_rate=0)
    limited = await concurrent_chats(args.chats, args.rounds, production)
    print("with limits:", limited, file=sys.stderr)
    unlimited = await concurrent_chats(args.chats, args.rounds, unthrottled)
    print("without limits:", unlimited, file=sys.stderr)
    huge = await beside_a_huge_document(args.chats, unthrottled)
    print("2 MB document:", huge, file=sys.stderr)
    return report(args, limited, unlimited, huge)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.telegram_latency", description=__doc__.split("\n\n")[0])
    parser.add_argument("--chats", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--output", type=Path, default=Path("-"),
                        help="also write the Markdown report to this file (default: print it only; "
                             "docs/benchmarks.md holds the last results)")
    args = parser.parse_args(argv)
    shipped_file(SEED_ARTICLE)
    shipped_file(LONG_ARTICLE)
    text = asyncio.run(main_async(args))
    print(text)
    if str(args.output) != "-":
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
