"""Briefing benchmark: redundancy, coverage and ROUGE of briefings across several articles.

    python -m bench.briefing [--size N] [--limit N] [--eval-dir DIR]

The BBC dev set (summaries-dev.jsonl) taken as clusters: same-category articles, `--size` at a time
in file order. For each cluster, briefings of K = N (one sentence an article) and K = the default
length are scored against the union of the articles' reference sentences, beside two baselines
measured in the same run: the articles concatenated into one text and summarized by stock Sumy's
TextRank (K sentences), and each article's lead sentences (K/N of each). A second set of clusters
pairs each article with a copy of itself whose paragraphs are reversed (the same story told
twice): there every sentence has a duplicate, and redundancy shows.

Redundancy: pairs of chosen sentences whose stemmed-word cosine is above 0.5 (computed here, each
sentence stemmed by its article's language). Coverage: clusters where every article is represented.
Needs the `bench` extra (rouge-score).
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import platform
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from statistics import mean

from bench.evaldata import EvalData, add_eval_dir_argument
from bot.services import build_services
from bot.settings import Settings
from bot.summaries.briefing import Briefer, BriefSource, briefing_length
from bot.text.article import ParsedArticle
from bot.text.language import Languages, words_of

# A system: (cluster's articles, K) -> [(index of the article, sentence text)].
System = Callable[[list[ParsedArticle], int], list[tuple[int, str]]]


@dataclass
class Scores:
    r1: list[float] = field(default_factory=list)
    r2: list[float] = field(default_factory=list)
    rl: list[float] = field(default_factory=list)
    redundant: list[int] = field(default_factory=list)
    covered: list[bool] = field(default_factory=list)
    seconds: float = 0.0

    def row(self, name: str) -> str:
        return (f"| {name} | {100 * mean(self.r1):.2f} | {100 * mean(self.r2):.2f} | {100 * mean(self.rl):.2f} "
                f"| {sum(self.redundant)} | {sum(self.covered)}/{len(self.covered)} "
                f"| {1000 * self.seconds / max(len(self.covered), 1):.0f} |")


def stemmed_cosine(languages: Languages, one: str, one_code: str, two: str, two_code: str) -> float:
    """Cosine of stemmed content-word counts, each text by its own language."""

    def bag(text: str, code: str) -> Counter[str]:
        profile = languages.profile(code)
        return Counter(profile.stem(w.lower()) for w in words_of(text) if w.lower() not in profile.stop_words)

    a, b = bag(one, one_code), bag(two, two_code)
    dot = sum(count * b[key] for key, count in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def clusters_by_category(records: list[dict], size: int) -> list[list[dict]]:  # type: ignore[type-arg]
    by_category: dict[str, list[dict]] = defaultdict(list)  # type: ignore[type-arg]
    for record in records:
        by_category[record["category"]].append(record)
    clusters = []
    for group in by_category.values():
        clusters += [group[i : i + size] for i in range(0, len(group) - size + 1, size)]
    return clusters


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.briefing", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=4, help="articles per cluster (default 4)")
    parser.add_argument("--limit", type=int, default=None, help="use only the first N articles of the dev set")
    add_eval_dir_argument(parser)
    args = parser.parse_args(argv)
    data = EvalData.resolve(args.eval_dir).require("summaries-dev.jsonl")
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    records = data.jsonl("summaries-dev.jsonl")[: args.limit]
    with tempfile.TemporaryDirectory() as tmp:
        services = build_services(Settings(database_url=f"sqlite:///{tmp}/bench.sqlite3", chat_id=1))
        library, languages = services.library, services.languages
        briefer = Briefer(services.parser)

        def paste(record: dict) -> str:  # type: ignore[type-arg]
            return record["title"] + "\n\n" + record["text"]

        def briefing(articles: list[ParsedArticle], k: int) -> list[tuple[int, str]]:
            chosen = briefer.brief([BriefSource(i, a) for i, a in enumerate(articles)], k)
            return [(s.article, s.text) for s in chosen]

        def textrank(articles: list[ParsedArticle], k: int) -> list[tuple[int, str]]:
            joined = library.parse("Briefing\n\n" + "\n\n".join(a.title + "\n\n" + a.text for a in articles))
            summary = library.summarize_parsed(joined, algorithm="textrank", sentences=k, engine="sumy")
            return [(_owner(articles, s.text), s.text) for s in summary.sentences]

        def lead(articles: list[ParsedArticle], k: int) -> list[tuple[int, str]]:
            each = max(k // len(articles), 1)
            return [(i, s.text) for i, a in enumerate(articles) for s in a.content_sentences[:each]]

        systems: dict[str, System] = {"Briefbot briefing": briefing, "stock Sumy TextRank over the concatenation":
                                      textrank, "lead sentences of each article": lead}
        runs = [("same category", clusters_by_category(records, args.size), False),
                ("article + its copy", [[r, r] for r in records], True)]
        started = time.perf_counter()
        tables: list[tuple[str, int, dict[str, Scores], str]] = []
        for label, clusters, copies in runs:
            for length in ("N", "default"):
                scores = {name: Scores() for name in systems}
                for cluster in clusters:
                    articles = [library.parse(paste(r)) for r in cluster]
                    if copies:  # the same story told again: its paragraphs in reverse order
                        body = "\n\n".join(reversed(cluster[0]["text"].split("\n\n")))
                        articles[1] = library.parse(cluster[0]["title"] + "\n\n" + body)
                    references = [s for r in (cluster[:1] if copies else cluster) for s in r["summary"]]
                    k = len(articles) if length == "N" else briefing_length(len(articles))
                    for name, system in systems.items():
                        began = time.perf_counter()
                        chosen = system(articles, k)
                        entry = scores[name]
                        entry.seconds += time.perf_counter() - began
                        result = scorer.score(" ".join(references), " ".join(text for _i, text in chosen))
                        entry.r1.append(result["rouge1"].fmeasure)
                        entry.r2.append(result["rouge2"].fmeasure)
                        entry.rl.append(result["rougeL"].fmeasure)
                        entry.redundant.append(sum(
                            stemmed_cosine(languages, a, articles[i].language, b, articles[j].language) > 0.5
                            for (i, a), (j, b) in itertools.combinations(chosen, 2)))
                        entry.covered.append({i for i, _text in chosen} == set(range(len(articles))))
                k_text = f"K = N = {args.size}" if length == "N" and not copies else (
                    "K = N = 2" if length == "N" else f"K = {briefing_length(2 if copies else args.size)}")
                tables.append((label, len(clusters), scores, k_text))
        services.close()
    print(f"\n### Briefings: clusters of the BBC dev set (summaries-dev.jsonl, {len(records)} articles)\n")
    print(f"`python -m bench.briefing --size {args.size}` — {datetime.now(UTC):%Y-%m-%d}, {platform.machine()} "
          f"Linux, Python {platform.python_version()}, {os.cpu_count()} cores (shared; load "
          f"{os.getloadavg()[0]:.1f} at the end)\n")
    print("ROUGE F1 ×100 (rouge-score, stemming on) against the union of the cluster's reference sentences; "
          "redundant = pairs of chosen sentences with stemmed-word cosine > 0.5 (summed over the clusters); "
          "covered = clusters where every article has a sentence; ms = time per cluster.\n")
    for label, count, scores, k_text in tables:
        print(f"{label} — {count} clusters, {k_text}\n")
        print("| system | R1 | R2 | RL | redundant | covered | ms |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for name, entry in scores.items():
            print(entry.row(name))
        print()
    print(f"All in {time.perf_counter() - started:.0f} s.")
    return 0


def _owner(articles: list[ParsedArticle], text: str) -> int:
    """The article a sentence of the concatenation came from (the first that holds it)."""
    for index, article in enumerate(articles):
        if any(s.text == text for s in article.sentences):
            return index
    return -1


if __name__ == "__main__":
    sys.exit(main())
