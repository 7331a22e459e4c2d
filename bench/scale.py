"""Answers at scale and ingest throughput.

    python -m bench.scale answers [--sizes 1000,10000,100000] [--backend sqlite|postgresql] [--questions 200]
                                  [--keep LIBRARY.sqlite3] [--postgres-url URL]
    python -m bench.scale ingest [--articles 300]
    python -m bench.scale rss --library LIBRARY.sqlite3 [--questions 50]

Each takes `--eval-dir DIR`: the folder of the evaluation sets, else $BRIEFBOT_EVAL_DIR, else
../shared/data/eval beside the project root (bench/evaldata.py); long-article.txt is read from tests/data/.

`answers` grows one library to each size and times `Library.ask` (the full path:
keywords, full-text candidates, statistics, re-ranking) on SQuAD questions, against
rank_bm25's BM25Okapi ranking the same sentences in memory (the baseline is only
built while it fits in a few GB). The twelve real Wikipedia articles of the QA dev set are
in the library; the other articles are built from a pool of real sentences (QA,
news and long-article text), each with a few made-up names so that vocabularies grow.

`rss` starts `briefbot run` as a process on a library kept by `answers --keep`, against the
fake Bot API of the tests (on 127.0.0.1), asks it questions as a Telegram user would, and
reads the process's resident memory (VmRSS now, VmHWM its peak) from /proc.

`answers --backend postgresql` builds the library in a fresh schema (storage.schemas.temporary_schema)
of the server at `--postgres-url` (default: $BRIEFBOT_TEST_POSTGRES_URL, else the tests' local server),
dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text as sql

from bench.evaldata import LONG_ARTICLE, EvalData, add_eval_dir_argument, shipped_file
from bot.services import build_services
from bot.settings import Settings
from storage.records import NewArticle, NewSentence
from storage.schemas import temporary_schema

CHAT = 1
# The PostgreSQL of `--backend postgresql`: the one the tests use unless told otherwise.
POSTGRES_URL = os.environ.get("BRIEFBOT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
# The evaluation sets each benchmark reads (checked before it runs).
NEEDS: dict[str, tuple[str, ...]] = {
    "answers": ("qa-dev-articles.jsonl", "qa-dev-questions.jsonl", "summaries-dev.jsonl"),
    "ingest": ("summaries-dev.jsonl",),
    "rss": ("qa-dev-questions.jsonl",),
}


def _pool(services, data: EvalData) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(text, terms) of real sentences to build articles from."""
    texts = [r["text"] for r in data.jsonl("summaries-dev.jsonl")]
    texts.append(LONG_ARTICLE.read_text("utf-8"))
    profile = services.languages.profile("en")
    pool = []
    for text in texts:
        for sentence in services.parser.parse(text, title="x", language="en").content_sentences:
            pool.append((sentence.text, " ".join(profile.keywords(sentence.text))))
    return pool


def _synthetic(rng: random.Random, pool: list[tuple[str, str]], serial: int) -> NewArticle:
    names = [f"zx{serial}q{i}" for i in range(3)]
    sentences = []
    for position in range(30):
        text, terms = rng.choice(pool)
        if position % 10 == 0:
            name = names[position // 10]
            text, terms = f"{text} ({name.capitalize()})", f"{terms} {name}"
        sentences.append(NewSentence(position, position // 5, 0, 0, text, False, terms))
    return NewArticle(f"Synthetic {serial}", " ".join(s.text for s in sentences), "en", f"syn-{serial}",
                      tuple(sentences))


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


@contextmanager
def _database(backend: str, sqlite_file: Path, postgres_url: str) -> Iterator[str]:
    """The library's URL: the SQLite file, or a fresh PostgreSQL schema (no dead rows of old runs), dropped after."""
    if backend == "sqlite":
        yield f"sqlite:///{sqlite_file}"
        return
    with temporary_schema(postgres_url, "bench") as url:
        yield url


def bench_answers(data: EvalData, sizes: list[int], backend: str, question_count: int, baseline_limit: int,
                  keep: Path | None = None, postgres_url: str = POSTGRES_URL) -> None:
    from rank_bm25 import BM25Okapi

    rng = random.Random(1)
    with (tempfile.TemporaryDirectory() as tmp,
          _database(backend, keep or Path(tmp) / "scale.sqlite3", postgres_url) as url):
        services = build_services(Settings(database_url=url, chat_id=CHAT))
        library, store = services.library, services.store
        count = library.list(CHAT)[1]
        if count and keep is None:
            library.forget(CHAT)
            count = 0
        if not count:  # a kept library is grown from where it stands
            for record in data.jsonl("qa-dev-articles.jsonl"):
                library.ingest_text(CHAT, record["title"] + "\n\n" + record["text"])
            count = 12
        questions = [q["question"] for q in data.jsonl("qa-dev-questions.jsonl")]
        rng.shuffle(questions)
        questions = questions[:question_count]
        pool = _pool(services, data)
        profile = services.languages.profile("en")
        print("| articles | sentences | Briefbot p50 | Briefbot p99 | rank_bm25 p50 | rank_bm25 p99 | ratio p50 |")
        print("|---:|---:|---:|---:|---:|---:|---:|")
        for size in sizes:
            started = time.perf_counter()
            while count < size:
                store.add_article(CHAT, _synthetic(rng, pool, count))
                count += 1
            load_seconds = time.perf_counter() - started
            if backend == "postgresql":
                # Planner statistics as autovacuum keeps them in a running deployment (a bulk load
                # outruns it: with stale statistics PostgreSQL scans the chat's rows instead).
                with store.engine.begin() as connection:
                    connection.execute(sql("ANALYZE"))
            for question in questions[:5]:
                library.ask(CHAT, question, top=3)  # warm the caches
            ours = []
            for question in questions:
                t0 = time.perf_counter()
                library.ask(CHAT, question, top=3)
                ours.append(time.perf_counter() - t0)
            with store.engine.connect() as connection:
                sentences = int(connection.execute(sql("SELECT count(*) FROM sentences")).scalar() or 0)
            base_p50 = base_p99 = "—"
            ratio = "—"
            if sentences <= baseline_limit:
                corpus = []
                with store.engine.connect() as connection:
                    for (terms,) in connection.execute(sql("SELECT terms FROM sentences")):
                        corpus.append(terms.split())
                model = BM25Okapi(corpus, k1=1.5, b=0.75)
                theirs = []
                for question in questions[: max(20, question_count // 5)]:
                    t0 = time.perf_counter()
                    scores = model.get_scores(profile.keywords(question, drop_question_words=True))
                    sorted(range(len(scores)), key=lambda i: -scores[i])[:3]
                    theirs.append(time.perf_counter() - t0)
                base_p50 = f"{1000 * statistics.median(theirs):.0f} ms"
                base_p99 = f"{1000 * _percentile(theirs, 0.99):.0f} ms"
                ratio = f"{statistics.median(theirs) / statistics.median(ours):.0f}×"
                del model, corpus
            print(f"| {size:,} | {sentences:,} | {1000 * statistics.median(ours):.1f} ms | "
                  f"{1000 * _percentile(ours, 0.99):.1f} ms | {base_p50} | {base_p99} | {ratio} |", flush=True)
            print(f"(loading to {size:,} took {load_seconds:.0f} s)", file=sys.stderr, flush=True)
        services.close()


def bench_ingest(data: EvalData, articles: int) -> None:
    records = data.jsonl("summaries-dev.jsonl")
    texts = [(r["title"] + "\n\n" + r["text"]) for r in records]
    with tempfile.TemporaryDirectory() as tmp:
        services = build_services(Settings(database_url=f"sqlite:///{Path(tmp) / 'ingest.sqlite3'}", chat_id=CHAT))
        started = time.perf_counter()
        for index in range(articles):
            # A distinct text each time, so nothing is recognised as a duplicate.
            services.library.ingest_text(CHAT, texts[index % len(texts)] + f"\n\nEdition {index}.")
        elapsed = time.perf_counter() - started
        services.close()
    print(f"Ingest of pasted text (parse, language, stems, one transaction each, SQLite): {articles} articles "
          f"in {elapsed:.1f} s = {articles / elapsed:.0f} articles/s")


def _memory(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process, in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) // 1024
    return fields


def bench_rss(data: EvalData, library: Path, question_count: int) -> None:
    from support.fakebotapi import FakeBotAPI  # the tests' fake Bot API server (real HTTP on 127.0.0.1)

    questions = [q["question"] for q in data.jsonl("qa-dev-questions.jsonl")][:question_count]
    environ = {name: value for name, value in os.environ.items() if not name.startswith("BRIEFBOT_")}

    async def run() -> None:
        with FakeBotAPI() as api:
            environ.update({"BRIEFBOT_TOKEN": api.token, "BRIEFBOT_BASE_URL": api.base_url,
                            "BRIEFBOT_BASE_FILE_URL": api.base_file_url,
                            "BRIEFBOT_DATABASE_URL": f"sqlite:///{library}"})
            process = subprocess.Popen([sys.executable, "-m", "bot", "run"], env=environ,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            try:
                await api.wait_for_call(lambda c: c.method == "setMyCommands", timeout=120)
                idle = _memory(process.pid)
                started = time.perf_counter()
                for question in questions:
                    mark = api.mark()
                    api.send_text(CHAT, question)
                    reply = await api.wait_for_call(
                        lambda c, m=mark: c.method == "sendMessage" and c.chat_id == CHAT, since=mark, timeout=60)
                    print(f"{question} -> {reply.text[:100]!r}", file=sys.stderr)
                elapsed = time.perf_counter() - started
                busy = _memory(process.pid)
            finally:
                process.terminate()
                process.communicate(timeout=60)
        size_mb = library.stat().st_size // 2**20
        print(f"`briefbot run` on a {size_mb:,} MB SQLite library: RSS {idle['VmRSS']} MB after start-up, "
              f"{busy['VmRSS']} MB after {len(questions)} questions over Telegram (peak {busy['VmHWM']} MB); "
              f"the questions took {elapsed:.1f} s in all")

    asyncio.run(run())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("which", choices=["answers", "ingest", "rss"])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--baseline-limit", type=int, default=400_000,
                        help="build the in-memory baseline only up to this many sentences")
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--keep", type=Path,
                        help="answers: build the SQLite library in this file (or grow the one there) and keep it")
    parser.add_argument("--library", type=Path, help="rss: the SQLite library to run the bot on")
    parser.add_argument("--postgres-url", default=POSTGRES_URL,
                        help="answers --backend postgresql: the server to make a throwaway schema in "
                             "(default: $BRIEFBOT_TEST_POSTGRES_URL, else the tests' local server)")
    add_eval_dir_argument(parser)
    args = parser.parse_args(argv)
    if args.which == "rss" and (args.library is None or not args.library.exists()):
        parser.error("rss needs --library, a file kept by `answers --keep`")
    data = EvalData.resolve(args.eval_dir).require(*NEEDS[args.which])
    if args.which == "answers":
        shipped_file(LONG_ARTICLE)
        bench_answers(data, [int(s) for s in args.sizes.split(",")], args.backend, args.questions,
                      args.baseline_limit, args.keep, args.postgres_url)
    elif args.which == "rss":
        bench_rss(data, args.library, args.questions)
    else:
        bench_ingest(data, args.articles)
    return 0


if __name__ == "__main__":
    sys.exit(main())
