"""What refusing a hostile feed costs: counting a 10,000-item feed's entries vs parsing it with feedparser.

    python -m bench.feeds [--items 10000] [--repeat 3]

Prints one line per measure (median of the repeats, seconds) and the ratio, measured in the same run.
"""

from __future__ import annotations

import argparse
import statistics
import time

import feedparser

from bot.errors import FetchError
from bot.sources.feeds import FeedLimits, parse_feed


def huge_feed(items: int) -> bytes:
    entries = b"".join(
        b"<item><title>Item %d</title><link>https://news.example/%d</link><guid>i%d</guid>"
        b"<description>A short line about item %d.</description></item>" % (n, n, n, n) for n in range(items))
    return b'<?xml version="1.0"?><rss version="2.0"><channel><title>Huge</title>' + entries + b"</channel></rss>"


def median_seconds(function: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = huge_feed(args.items)

    def refuse() -> None:
        try:
            parse_feed(data, "https://news.example/huge.rss", limits=FeedLimits(max_entries=1000))
        except FetchError:
            return
        raise AssertionError("the huge feed was not refused")

    def parse_all() -> None:
        assert len(feedparser.parse(data).entries) == args.items

    refused = median_seconds(refuse, args.repeat)
    parsed = median_seconds(parse_all, args.repeat)
    print(f"feed of {args.items:,} items, {len(data) / 1e6:.2f} MB")
    print(f"refused by Briefbot (entries counted): {refused:.4f} s")
    print(f"parsed by feedparser:                  {parsed:.4f} s")
    print(f"ratio: {parsed / refused:.0f}x")


if __name__ == "__main__":
    main()
