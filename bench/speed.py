"""Summary speed: stock Sumy against Briefbot's fast engine, on the same documents in one run.

    python -m bench.speed [--sizes 25,250,1000,5000] [--algorithms lexrank,...] [--stock-budget 40] [--eval-dir DIR]
    python -m bench.speed big      # `briefbot summarize` on 2 MB of text: time, algorithm used, peak memory
    python -m bench.speed cli      # long-article.txt, default engine against --engine sumy: the summary path
                                   # in one process, then `briefbot summarize` as a process
    python -m bench.speed stemmers # NLTK's Snowball against PyStemmer's on the XQuAD dev vocabularies:
                                   # time per word, and the words they stem differently

Documents of each size are cut from real news prose (tests/data/long-article.txt, the summaries and QA
dev sets), parsed by Briefbot and turned into one Sumy document that both engines rate; each
timing is the best of a few runs. Stock Sumy is quadratic or worse: a size it would take
longer than `--stock-budget` seconds for (extrapolated from the size before) is not run.

The dev sets are read from the evaluation folder: `--eval-dir`, else $BRIEFBOT_EVAL_DIR, else
../shared/data/eval beside the project root (bench/evaldata.py); `cli` needs only long-article.txt.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.evaldata import LONG_ARTICLE, EvalData, add_eval_dir_argument, shipped_file
from bot.summaries.fast import FAST_SUMMARIZERS
from bot.summaries.summarizer import stock_summarizers
from bot.text.article import ArticleParser, to_sumy_document
from bot.text.language import Languages
from bot.text.tokenizer import PunktModels

SUMMARY_SENTENCES = 5
# How much slower stock Sumy gets per doubling of sentences (for skipping hopeless sizes).
_GROWTH = {"kl": 3.0}


# The evaluation sets `algorithms` and `big` cut their prose from (checked before they run).
PROSE_SETS = ("summaries-dev.jsonl", "qa-dev-articles.jsonl")


def _prose(data: EvalData) -> str:
    texts = [LONG_ARTICLE.read_text("utf-8")]
    texts += [record["text"] for record in data.jsonl("summaries-dev.jsonl")]
    texts += [record["text"] for record in data.jsonl("qa-dev-articles.jsonl")]
    return "\n\n".join(texts)


def _document(parser: ArticleParser, size: int, data: EvalData) -> Any:
    """A Sumy document of exactly `size` content sentences of real prose (repeated if need be)."""
    prose = parser.parse(_prose(data), title="Speed test", language="en")
    sentences = list(prose.content_sentences)
    chosen = [sentences[index % len(sentences)].text for index in range(size)]
    paragraphs = ["  ".join(chosen[start:start + 6]) for start in range(0, size, 6)]
    article = parser.parse("\n\n".join(paragraphs), title="Speed test", language="en")
    document, _ = to_sumy_document(article, parser.tokenizer("en"))
    return document, len(article.content_sentences)


def _summarizer(classes: dict[str, type], name: str, profile: Any) -> Any:
    summarizer = classes[name](profile.stem)
    summarizer.stop_words = profile.stop_words
    if name == "edmundson":
        summarizer.bonus_words = ["speed", "test"]
        summarizer.stigma_words = ["perhaps", "maybe"]
        summarizer.null_words = profile.stop_words
    return summarizer


def _timed(classes: dict[str, type], name: str, profile: Any, document: Any) -> Callable[[], Any]:
    """One summary of `document`, with a summarizer built as the bot builds it."""
    return lambda: _summarizer(classes, name, profile)(document, SUMMARY_SENTENCES)


def _best_of(run: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    best, result = math.inf, None
    for _ in range(repeats):
        started = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - started)
    return best, result


def _milliseconds(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds * 1000:,.1f}" if seconds < 10 else f"{seconds * 1000:,.0f}"


def run_algorithms(sizes: list[int], algorithms: list[str], stock_budget: float,
                   data: EvalData) -> list[dict[str, Any]]:
    languages = Languages()
    parser = ArticleParser(languages, PunktModels(), max_chars=10_000_000, min_sentences=1)
    profile = parser.profile("en")
    documents = {size: _document(parser, size, data) for size in sizes}
    rows = []
    for name in algorithms:
        previous: tuple[int, float] | None = None
        for size in sizes:
            document, real_size = documents[size]
            fast_seconds, fast_pick = _best_of(_timed(FAST_SUMMARIZERS, name, profile, document), 3)
            stock_seconds: float | None = None
            same: bool | None = None
            estimate = None
            if previous is not None:
                growth = _GROWTH.get(name, 2.0)
                estimate = previous[1] * (size / previous[0]) ** growth
            if estimate is None or estimate <= stock_budget:
                stock_seconds, stock_pick = _best_of(_timed(stock_summarizers(), name, profile, document),
                                                     1 if (estimate or 0) > 1 else 2)
                same = [str(s) for s in stock_pick] == [str(s) for s in fast_pick]
                previous = (size, stock_seconds)
            rows.append({"algorithm": name, "sentences": real_size, "stock_s": stock_seconds, "fast_s": fast_seconds,
                         "same": same, "stock_estimate_s": None if stock_seconds is not None else estimate})
            print(f"{name:10} {real_size:5}  stock {_milliseconds(stock_seconds):>10} ms  "
                  f"fast {_milliseconds(fast_seconds):>8} ms  same={same}", file=sys.stderr, flush=True)
    return rows


def print_algorithms(rows: list[dict[str, Any]]) -> None:
    print("| algorithm | sentences | stock Sumy ms | fast ms | stock / fast | same sentences |")
    print("|---|---:|---:|---:|---:|:---:|")
    for row in rows:
        stock = row["stock_s"]
        if stock is None:
            stock_text = f"(≈{row['stock_estimate_s']:,.0f} s, not run)" if row["stock_estimate_s"] else "—"
            ratio = "—"
        else:
            stock_text = _milliseconds(stock)
            ratio = f"{stock / row['fast_s']:,.1f}×"
        same = {True: "yes", False: "NO", None: "—"}[row["same"]]
        print(f"| {row['algorithm']} | {row['sentences']:,} | {stock_text} | {_milliseconds(row['fast_s'])} "
              f"| {ratio} | {same} |")


def run_pipeline(algorithms: list[str]) -> None:
    """The whole summary path after parsing (Sumy document, summarizer, picks), default engine against stock."""
    from bot.services import build_parser
    from bot.settings import Settings
    from bot.summaries.summarizer import Summarizer

    parser = build_parser(Settings())
    started = time.perf_counter()
    article = parser.parse(LONG_ARTICLE.read_text("utf-8"))
    parse_seconds = time.perf_counter() - started
    engines = {"sumy": Summarizer(parser, engine="sumy", time_budget=False), "fast": Summarizer(parser)}
    print(f"In one process: `Summarizer.summarize(article, algorithm=A, sentences=5)` on long-article.txt "
          f"({len(article.content_sentences)} sentences; parsing it took {parse_seconds * 1000:.0f} ms, "
          "the same for both)\n")
    print("| algorithm | stock Sumy s | default engine s | stock / default | same sentences |")
    print("|---|---:|---:|---:|:---:|")
    for name in algorithms:
        results = {}
        for engine, summarizer in engines.items():
            seconds, summary = _best_of(lambda s=summarizer, a=name: s.summarize(article, algorithm=a, sentences=5),
                                        1 if engine == "sumy" else 3)
            results[engine] = (seconds, [sentence.position for sentence in summary.sentences], summary.algorithm)
        stock, fast = results["sumy"], results["fast"]
        same = stock[1] == fast[1] and stock[2] == fast[2] == name
        print(f"| {name} | {stock[0]:.3f} | {fast[0]:.3f} | {stock[0] / fast[0]:,.0f}× | {'yes' if same else 'NO'} |",
              flush=True)
    print()


def run_cli(algorithms: list[str]) -> None:
    """The user's path: `briefbot summarize --json` as a process, fast engine against stock."""
    briefbot = Path(sys.executable).with_name("briefbot")
    env = {**os.environ, "BRIEFBOT_DATABASE_URL": "sqlite://"}
    print("As processes: `briefbot summarize --json --sentences 5 --algorithm A [--engine sumy] long-article.txt`, "
          "wall time including start-up\n")
    print("| algorithm | `--engine sumy` s | default engine s | stock / fast | same sentences |")
    print("|---|---:|---:|---:|:---:|")
    for name in algorithms:
        results = {}
        for engine in ("sumy", "fast"):
            command = [str(briefbot), "summarize", "--json", "--sentences", "5", "--algorithm", name,
                       "--engine", engine, str(LONG_ARTICLE)]
            started = time.perf_counter()
            output = subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout
            results[engine] = (time.perf_counter() - started, json.loads(output))
        stock, fast = results["sumy"], results["fast"]
        same = [s["text"] for s in stock[1]["sentences"]] == [s["text"] for s in fast[1]["sentences"]]
        print(f"| {name} | {stock[0]:.2f} | {fast[0]:.2f} | {stock[0] / fast[0]:.1f}× | {'yes' if same else 'NO'} |",
              flush=True)


def run_big(algorithms: list[str], data: EvalData, megabytes: float = 2.0) -> None:
    """The time budget on a pathological input: 2 MB of prose as one text, each algorithm as a process."""
    import tempfile

    briefbot = Path(sys.executable).with_name("briefbot")
    env = {**os.environ, "BRIEFBOT_DATABASE_URL": "sqlite://"}
    prose = _prose(data)
    text = "A very long text\n\n"
    while len(text) < megabytes * 1_000_000:
        text += prose + "\n\n"
    text = text[: int(megabytes * 1_000_000)]
    print(f"`briefbot summarize --json --algorithm A` on {len(text) / 1e6:.1f} MB of prose, as a process\n")
    print("| asked | ran | sentences | wall s | peak RSS MB |")
    print("|---|---|---:|---:|---:|")
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8") as source:
        source.write(text)
        source.flush()
        for name in algorithms:
            started = time.perf_counter()
            process = subprocess.Popen([str(briefbot), "summarize", "--json", "--algorithm", name, source.name],
                                       env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            output = process.stdout.read() if process.stdout else ""
            _pid, _status, usage = os.wait4(process.pid, 0)
            wall = time.perf_counter() - started
            payload = json.loads(output)
            ran = payload.get("algorithm", payload.get("error"))
            print(f"| {name} | {ran} | {payload.get('sentence_count', 0):,} | {wall:.1f} "
                  f"| {usage.ru_maxrss // 1024:,} |", flush=True)


STEMMED_LANGUAGES = ("en", "ru", "de", "es")


def run_stemmers(data: EvalData) -> None:
    """Per language: the distinct words of XQuAD dev (articles and questions), stemmed by NLTK and by PyStemmer."""
    import re

    from nltk.stem.snowball import SnowballStemmer as NltkSnowball

    from bot.text.language import LANGUAGE_NAMES
    from bot.text.stemming import SnowballStemmer

    letters = re.compile(r"[^\W\d_]+")
    print("Distinct lower-cased words (runs of letters) of each XQuAD dev set, articles and questions; "
          "time per word, best of 3, no cache on either side (PyStemmer through Briefbot's wrapper: "
          "lower-casing, one C stemmer per thread).\n")
    print("| language | words | stemmed differently | NLTK µs/word | PyStemmer µs/word | NLTK / PyStemmer | examples |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for code in STEMMED_LANGUAGES:
        words: set[str] = set()
        for kind in ("articles", "questions"):
            for record in data.jsonl(f"xquad-dev-{code}-{kind}.jsonl"):
                words.update(w.lower() for value in record.values() if isinstance(value, str)
                             for w in letters.findall(value))
        vocabulary = sorted(words)
        nltk_stem = NltkSnowball(LANGUAGE_NAMES[code]).stem
        ours = SnowballStemmer(LANGUAGE_NAMES[code])
        differ = [(w, nltk_stem(w), ours(w)) for w in vocabulary if nltk_stem(w) != ours(w)]
        nltk_s, _ = _best_of(lambda f=nltk_stem, v=vocabulary: [f(w) for w in v], 3)
        ours_s, _ = _best_of(lambda f=ours, v=vocabulary: [f(w) for w in v], 3)
        examples = ", ".join(f"{w}: {a} / {b}" for w, a, b in differ[:3])
        print(f"| {code} | {len(vocabulary):,} | {len(differ)} | {nltk_s / len(vocabulary) * 1e6:.1f} "
              f"| {ours_s / len(vocabulary) * 1e6:.2f} | {nltk_s / ours_s:.0f}× | {examples} |", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.speed", description=__doc__.split("\n")[0])
    parser.add_argument("what", nargs="?", default="algorithms", choices=("algorithms", "cli", "big", "stemmers"))
    parser.add_argument("--sizes", default="25,250,1000,5000")
    parser.add_argument("--algorithms", default=",".join(stock_summarizers()))
    parser.add_argument("--stock-budget", type=float, default=40.0,
                        help="skip stock runs expected to take longer than this many seconds")
    add_eval_dir_argument(parser)
    args = parser.parse_args(argv)
    shipped_file(LONG_ARTICLE)
    data = EvalData.resolve(args.eval_dir)
    if args.what == "stemmers":
        data.require(*(f"xquad-dev-{code}-{kind}.jsonl" for code in STEMMED_LANGUAGES
                       for kind in ("articles", "questions")))
    elif args.what != "cli":
        data.require(*PROSE_SETS)
    algorithms = [name.strip() for name in args.algorithms.split(",") if name.strip()]
    print(f"{time.strftime('%Y-%m-%d')}, {platform.machine()} {platform.system()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}\n")
    if args.what == "big":
        run_big(["default", *algorithms, "lead"], data)
        return 0
    if args.what == "stemmers":
        run_stemmers(data)
        return 0
    if args.what == "cli":
        chosen = [name for name in algorithms if name in ("lexrank", "textrank", "kl")] or algorithms
        run_pipeline(chosen)
        run_cli(chosen)
        return 0
    sizes = [int(size) for size in args.sizes.split(",")]
    print_algorithms(run_algorithms(sizes, algorithms, args.stock_budget, data))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
