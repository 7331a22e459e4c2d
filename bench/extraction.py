"""Extraction quality on the public extraction dev set, against trafilatura's bare `extract()`.

    python -m bench.extraction

Scoring as the article-extraction-benchmark does it: `\\w+` tokens, 4-word shingles;
per page TP/FP/FN normalised by their sum; precision and recall averaged over pages;
F1 of the two averages; empty against empty counts as perfect. Briefbot is measured
through the same path `briefbot extract` takes (bot.sources.extractor.extract_document).
"""

from __future__ import annotations

import gzip
import json
import platform
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bot.errors import BriefbotError
from bot.sources.extractor import extract_document

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "eval" / "extraction-dev"
_TOKEN = re.compile(r"\w+")


def shingles(text: str, size: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + size]) for i in range(max(len(tokens) - size + 1, 0)))


def page_scores(predicted: str, truth: str) -> tuple[float, float]:
    got, want = shingles(predicted), shingles(truth)
    if not got and not want:
        return 1.0, 1.0
    tp = sum((got & want).values())
    fp = sum((got - want).values())
    fn = sum((want - got).values())
    total = tp + fp + fn
    tp, fp, fn = tp / total, fp / total, fn / total
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall


def evaluate(extract: Callable[[bytes, str], str]) -> tuple[float, float, float, float]:
    truth = [json.loads(line) for line in (DATA / "truth.jsonl").read_text("utf-8").splitlines() if line.strip()]
    precisions, recalls = [], []
    started = time.perf_counter()
    for record in truth:
        html = gzip.decompress((DATA / "html" / f"{record['id']}.html.gz").read_bytes())
        precision, recall = page_scores(extract(html, record.get("url") or ""), record["body"])
        precisions.append(precision)
        recalls.append(recall)
    elapsed = time.perf_counter() - started
    precision = sum(precisions) / len(precisions)
    recall = sum(recalls) / len(recalls)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, len(truth) / elapsed


def briefbot(html: bytes, url: str) -> str:
    try:
        return extract_document(html, content_type="text/html", url=url or None).text
    except BriefbotError:
        return ""


def trafilatura_bare(html: bytes, url: str) -> str:
    import trafilatura

    return trafilatura.extract(html) or ""


def main(argv: list[str] | None = None) -> int:
    if not (DATA / "truth.jsonl").exists():
        sys.exit(f"{DATA} is missing: the benchmark reads the public dev set from ../shared/data/eval/")
    print("\n### Extraction: 60 news and blog pages (extraction-dev)\n")
    print(f"`python -m bench.quality extraction` — {datetime.now(UTC):%Y-%m-%d}, {platform.machine()} Linux, "
          f"Python {platform.python_version()}\n")
    print("| extractor | precision | recall | F1 | pages/s |")
    print("|---|---:|---:|---:|---:|")
    for name, function in (("trafilatura 2.3 `extract()` (baseline)", trafilatura_bare), ("Briefbot", briefbot)):
        precision, recall, f1, speed = evaluate(function)
        print(f"| {name} | {precision:.3f} | {recall:.3f} | {f1:.3f} | {speed:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
