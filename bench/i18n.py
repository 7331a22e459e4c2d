"""What speaking nine languages costs: loading the catalogs, and rendering a reply in each language.

    python -m bench.i18n [--repeat 2000]

Loads every shipped catalog (what `build_services` does once per process) and renders the seed
article's summary reply and /help through the conversation's pure rendering functions, in English
and in each translated language, in the same run; times are the best of five rounds.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections.abc import Callable
from datetime import UTC, datetime

from bot.conversation.commands import help_paragraphs
from bot.conversation.rendering import render_summary
from bot.i18n import LANGUAGES, Catalogs
from bot.library import ArticleSummary
from bot.services import build_parser
from bot.settings import Settings
from bot.summaries.summarizer import Summarizer
from storage.records import ArticleInfo

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def best(function: Callable[[], object], repeat: int, rounds: int = 5) -> float:
    """Best per-call time in microseconds over `rounds` rounds of `repeat` calls."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(repeat):
            function()
        times.append((time.perf_counter() - start) / repeat * 1e6)
    return min(times)


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--repeat", type=int, default=2000)
    args = arguments.parse_args()
    load_ms = best(Catalogs.load, 20) / 1000
    catalogs = Catalogs.load()
    with open(os.path.join(ROOT, "tests", "data", "seed-article.txt"), encoding="utf-8") as file:
        text = file.read()
    parser = build_parser(Settings())
    parsed = parser.parse(text)
    summary = Summarizer(parser).summarize(parsed, sentences=3)
    info = ArticleInfo(id=1, chat_id=1, number=1, title=parsed.title, url=None, final_url=None,
                       language=parsed.language, content_hash="", sentence_count=len(parsed.content_sentences),
                       char_count=len(parsed.text), created_at=datetime.now(UTC))
    result = ArticleSummary(info, summary)
    print(f"python {platform.python_version()}, {os.cpu_count()} cpus, load {os.getloadavg()[0]:.1f}")
    print(f"Catalogs.load() (9 languages): {load_ms:.2f} ms")
    print("language  summary reply µs  /help µs  (ratio to English)")
    base = None
    for code in LANGUAGES:
        tr = catalogs.get(code)
        summary_us = best(lambda tr=tr: render_summary(tr, result, lead=tr.gettext("Saved as #%(number)s", number=1)),
                          args.repeat)
        help_us = best(lambda tr=tr: help_paragraphs(tr), args.repeat)
        base = base or (summary_us, help_us)
        print(f"{code:8}  {summary_us:16.1f}  {help_us:8.1f}  ({summary_us / base[0]:.2f}, {help_us / base[1]:.2f})")


if __name__ == "__main__":
    main()
