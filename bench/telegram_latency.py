"""Reply latency of the Telegram front end against the fake Bot API (support/fakebotapi.py).

    python -m bench.telegram_latency [--chats 50] [--rounds 5] [--webhook-chats 30] [--webhook-waves 5]
                                     [--postgres-url URL] [--output FILE]

The fake Bot API runs in a process of its own (in the bot's process it would share the bot's
interpreter lock and inflate every figure). Measures, for the real Application polling it,
with a SQLite file:

1. 50 chats sending an article at the same moment, then questions (several rounds):
   time from the update being offered to the bot's reply reaching the Bot API, p50/p99/max.
   Once with Telegram's flood limits applied client-side (AIORateLimiter, 30 messages/s:
   the production setting) and once without (the bot's own speed).
2. One chat sending a 2 MB document while the 49 others keep asking questions: how long the
   others wait, compared with the same questions alone.
3. Webhook workers (`briefbot run` processes) on one PostgreSQL schema, with the bench playing
   Telegram: in each wave every one of 30 chats sends a question and then /help, the two to
   different workers; answers per second with two workers against one, every update answered
   exactly once and each chat's two answers in the order sent.

It reads no evaluation set: the articles are tests/data/seed-article.txt and long-article.txt, read by path
(bench/evaldata.py).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.evaldata import LONG_ARTICLE, SEED_ARTICLE, shipped_file
from bot.app import AppOptions
from storage.schemas import temporary_schema
from support.fakebotapi import fake_in_own_process, running_bot
from support.webhooks import free_port, post_update

QUESTION = "Who visited Israel?"
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SECRET = "bench-secret"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def summary(values: list[float]) -> dict[str, float]:
    return {"n": len(values), "p50": percentile(values, 0.5), "p99": percentile(values, 0.99), "max": max(values),
            "mean": statistics.fmean(values)}


async def replies(api: Any, sent: dict[int, float], contains: str, since: int,
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


async def wave(api: Any, chats: list[int], text: str, contains: str) -> list[float]:
    mark = api.mark()
    sent = {}
    for chat in chats:
        sent[chat] = time.monotonic()
        api.send_text(chat, text)
    return list((await replies(api, sent, contains, mark)).values())


async def concurrent_chats(chats: int, rounds: int, options: Any) -> dict[str, dict[str, float]]:
    with tempfile.TemporaryDirectory() as directory, fake_in_own_process() as api:
        async with running_bot(Path(directory), options=options, api=api) as bot:
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
    with tempfile.TemporaryDirectory() as directory, fake_in_own_process() as fake:
        async with running_bot(Path(directory), options=options, max_file_bytes=20_000_000, api=fake) as bot:
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


# -- webhook workers on PostgreSQL ------------------------------------------------------------


@contextlib.contextmanager
def webhook_workers(api: Any, database_url: str, count: int) -> Iterator[list[str]]:
    """`count` `briefbot run` processes taking webhooks on one database; their webhook URLs."""
    token, base_url, base_file_url = api.endpoints()
    environ = {name: value for name, value in os.environ.items() if not name.startswith("BRIEFBOT_")}
    environ.update({"BRIEFBOT_TOKEN": token, "BRIEFBOT_BASE_URL": base_url, "BRIEFBOT_BASE_FILE_URL": base_file_url,
                    "BRIEFBOT_DATABASE_URL": database_url, "BRIEFBOT_WEBHOOK_SECRET": SECRET,
                    "BRIEFBOT_LOG_LEVEL": "WARNING"})
    hooks, processes = [], []
    try:
        for _worker in range(count):
            port = free_port()
            hook = f"http://127.0.0.1:{port}/telegram-hook"
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "bot", "run"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                env={**environ, "BRIEFBOT_WEBHOOK_URL": hook, "BRIEFBOT_WEBHOOK_PORT": str(port)}))
            hooks.append(hook)
        deadline = time.monotonic() + 60
        for hook in hooks:  # until each listens: an update without the secret is refused
            while True:
                try:
                    request = urllib.request.Request(hook, b"{}", {"Content-Type": "application/json"})
                    urllib.request.urlopen(request, timeout=5)
                except urllib.error.HTTPError:
                    break
                except urllib.error.URLError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)
        yield hooks
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


class Telegram:
    """The bench as Telegram: numbers updates and posts each chat's to the workers in turn."""

    def __init__(self, api: Any, hooks: list[str]) -> None:
        self.api = api
        self.hooks = hooks
        self.next_id = 1

    async def send(self, chat: int, text: str, worker: int) -> int:
        update_id, self.next_id = self.next_id, self.next_id + 1
        update = {"update_id": update_id, "message": self.api.text_message(chat, text)}
        status = await asyncio.to_thread(post_update, self.hooks[worker % len(self.hooks)], SECRET, update, timeout=60)
        if status != 200:
            raise RuntimeError(f"the webhook answered {status}")
        return update_id


async def answers(api: Any, expected: dict[int, list[str]], since: int, timeout: float = 300) -> dict[int, list[Any]]:
    """Each chat's replies (sendMessage, or edits of status messages) until every expected one came."""
    got: dict[int, list[Any]] = {chat: [] for chat in expected}
    deadline = time.monotonic() + timeout
    cursor = since

    def complete() -> bool:
        return all(all(any(marker in call.text for call in got[chat]) for marker in markers)
                   for chat, markers in expected.items())

    while not complete():
        calls = api.calls_of(None, since=cursor)
        cursor += len(calls)
        for call in calls:
            if call.chat_id in got and call.ok and call.method in ("sendMessage", "editMessageText"):
                got[call.chat_id].append(call)
        if time.monotonic() > deadline:
            raise TimeoutError("some chats got no answer")
        await asyncio.sleep(0.01)
    await asyncio.sleep(1.0)  # late duplicates would show now
    for call in api.calls_of(None, since=cursor):
        if call.chat_id in got and call.ok and call.method in ("sendMessage", "editMessageText"):
            got[call.chat_id].append(call)
    return got


async def webhook_run(api: Any, database_url: str, workers: int, chats: int, waves: int) -> dict[str, Any]:
    """Waves of a question and /help from every chat, over `workers` workers: throughput and checks."""
    with webhook_workers(api, database_url, workers) as hooks:
        telegram = Telegram(api, hooks)
        ids = list(range(9001, 9001 + chats))
        mark = api.mark()
        await asyncio.gather(*(telegram.send(chat, SEED_ARTICLE.read_text("utf-8"), chat) for chat in ids))
        await answers(api, {chat: ["Saved as #1"] for chat in ids}, mark)
        handled_twice = out_of_order = 0
        seconds = 0.0
        for _wave in range(waves):
            mark = api.mark()
            started = time.monotonic()

            async def ask(chat: int) -> None:
                await telegram.send(chat, QUESTION, chat)  # recorded once the webhook answered 200
                await telegram.send(chat, "/help", chat + 1)  # the other worker

            await asyncio.gather(*(ask(chat) for chat in ids))
            got = await answers(api, {chat: ["Reznikov", "I keep the articles"] for chat in ids}, mark)
            seconds += max(call.at for calls in got.values() for call in calls) - started
            for calls in got.values():
                answer = [call for call in calls if "Reznikov" in call.text]
                helped = [call for call in calls if "I keep the articles" in call.text]
                handled_twice += (len(answer) > 1) + (len(helped) > 1)
                out_of_order += answer[0].at > helped[0].at
        return {"workers": workers, "answers": 2 * chats * waves, "seconds": seconds,
                "per_second": 2 * chats * waves / seconds, "handled_twice": handled_twice,
                "out_of_order": out_of_order}


async def webhook_comparison(chats: int, waves: int, postgres_url: str) -> list[dict[str, Any]]:
    results = []
    for workers in (1, 2):
        with fake_in_own_process() as api, temporary_schema(postgres_url, "bench") as database_url:
            results.append(await webhook_run(api, database_url, workers, chats, waves))
            print(f"{workers} webhook worker(s):", results[-1], file=sys.stderr)
    return results


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


def webhook_rows(results: list[dict[str, Any]]) -> str:
    return "\n".join(f"| {r['workers']} | {r['answers']} | {r['seconds']:.1f} s | {r['per_second']:.1f} | "
                     f"{r['handled_twice']} | {r['out_of_order']} |" for r in results)


def report(args: argparse.Namespace, limited: dict[str, Any], unlimited: dict[str, Any], huge: dict[str, Any],
           webhooks: list[dict[str, Any]]) -> str:
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
is a private chat with its own library. The fake server runs in a process of its own, so it
does not share the bot's interpreter lock; it does share the machine's cores. Real Telegram
would add the network round trips.

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

## Webhook workers on one PostgreSQL

`briefbot run` processes take webhooks on one PostgreSQL schema; the bench plays Telegram.
{args.webhook_chats} chats each save the seed article, then {args.webhook_waves} waves: in each,
every chat sends "{QUESTION}" to one worker and, once that worker has answered 200 (the update is
recorded), /help to the other. Answers per second = answers of all waves / the time from each
wave's first update to its last answer, summed. "Handled twice" counts updates answered more than
once; "out of order" counts chats whose /help was answered before their question.

| workers | answers | time | answers/s | handled twice | out of order |
|---|---|---|---|---|---|
{webhook_rows(webhooks)}

Both rows were measured in the same run, one after the other, each on a fresh schema.
"""


async def main_async(args: argparse.Namespace) -> str:
    if args.only_webhooks:
        webhooks = await webhook_comparison(args.webhook_chats, args.webhook_waves, args.postgres_url)
        return ("| workers | answers | time | answers/s | handled twice | out of order |\n"
                "|---|---|---|---|---|---|\n" + webhook_rows(webhooks))
    production = AppOptions()  # what `briefbot run` uses
    unthrottled = AppOptions(overall_max_rate=0, group_max_rate=0)
    limited = await concurrent_chats(args.chats, args.rounds, production)
    print("with limits:", limited, file=sys.stderr)
    unlimited = await concurrent_chats(args.chats, args.rounds, unthrottled)
    print("without limits:", unlimited, file=sys.stderr)
    huge = await beside_a_huge_document(args.chats, unthrottled)
    print("2 MB document:", huge, file=sys.stderr)
    webhooks = await webhook_comparison(args.webhook_chats, args.webhook_waves, args.postgres_url)
    return report(args, limited, unlimited, huge, webhooks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.telegram_latency", description=__doc__.split("\n\n")[0])
    parser.add_argument("--chats", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--webhook-chats", type=int, default=30)
    parser.add_argument("--webhook-waves", type=int, default=5)
    parser.add_argument("--postgres-url", default=POSTGRES_URL, help="PostgreSQL for the webhook workers")
    parser.add_argument("--only-webhooks", action="store_true", help="run the webhook comparison only")
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
