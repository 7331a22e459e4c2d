"""Extraction quality on the public extraction dev set, against trafilatura's bare `extract()`.

    python -m bench.extraction [--eval-dir DIR]

Scoring as the article-extraction-benchmark does it: `\\w+` tokens, 4-word shingles;
per page TP/FP/FN normalised by their sum; precision and recall averaged over pages;
F1 of the two averages; empty against empty counts as perfect. Briefbot is measured
through the same path `briefbot extract` takes (bot.sources.extractor.extract_document).
The dev set is extraction-dev/ in the evaluation folder (bench/evaldata.py: --eval-dir, $BRIEFBOT_EVAL_DIR).
"""

from __future__ import annotations

import argparse
import gzip
import platform
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.evaldata import EvalData, add_eval_dir_argument
from bot.errors import BriefbotError
from bot.sources.extractor import extract_document

DEV_SET = "extraction-dev"
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


def pages(data: EvalData) -> tuple[list[dict[str, Any]], Path]:
    """The dev set's truth records and its folder of pages, every page checked to be there."""
    truth = data.jsonl(f"{DEV_SET}/truth.jsonl")
    data.require(*(f"{DEV_SET}/html/{record['id']}.html.gz" for record in truth))
    return truth, data.path(f"{DEV_SET}/html")


def evaluate(extract: Callable[[bytes, str], str], truth: list[dict[str, Any]],
             html_folder: Path) -> tuple[float, float, float, float]:
    precisions, recalls = [], []
    started = time.perf_counter()
    for record in truth:
        html = gzip.decompress((html_folder / f"{record['id']}.html.gz").read_bytes())
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


def run(data: EvalData) -> None:
    """Print the extraction table, Briefbot against bare trafilatura, on the dev set in `data`."""
    truth, html_folder = pages(data)
    print(f"\n### Extraction: {len(truth)} news and blog pages (extraction-dev)\n")
    print(f"`python -m bench.quality extraction` — {datetime.now(UTC):%Y-%m-%d}, {platform.machine()} Linux, "
          f"Python {platform.python_version()}\n")
    print("| extractor | precision | recall | F1 | pages/s |")
    print("|---|---:|---:|---:|---:|")
    for name, function in (("trafilatura 2.3 `extract()` (baseline)", trafilatura_bare), ("Briefbot", briefbot)):
        precision, recall, f1, speed = evaluate(function, truth, html_folder)
        print(f"| {name} | {precision:.3f} | {recall:.3f} | {f1:.3f} | {speed:.1f} |", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.extraction", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_eval_dir_argument(parser)
    args = parser.parse_args(argv)
    run(EvalData.resolve(args.eval_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
