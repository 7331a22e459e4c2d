"""Quality benchmarks on the public dev sets of the evaluation folder (../shared/data/eval/ by default).

    python -m bench.quality [summaries|answers|extraction|languages] [--limit N] [--eval-dir DIR]

The evaluation folder is `--eval-dir`, else $BRIEFBOT_EVAL_DIR, else ../shared/data/eval
beside the project root (bench/evaldata.py); `languages` needs none.

Drives Briefbot through its public entry points (the library service, the CLI's
extractor) and prints Markdown tables with the baselines measured in the same run.
Needs the `bench` extra (rank-bm25, rouge-score).
"""

from __future__ import annotations

import argparse
import platform
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from statistics import mean

from bench.evaldata import EvalData, add_eval_dir_argument
from bench.reweighing import FOLDS, Questions, as_vector, bootstrap_gain, collect, cross_validated, fitted_weights, top1
from bot.answers.answerer import Answerer, Candidate
from bot.answers.ranking import SCORED, RankingWeights
from bot.services import Services, build_services
from bot.settings import Settings
from bot.summaries.algorithms import ALGORITHMS
from bot.summaries.summarizer import stock_summarizers

_SPACE = re.compile(r"\s+")
# The evaluation sets each benchmark reads (checked before any of them runs).
NEEDS: dict[str, tuple[str, ...]] = {
    "summaries": ("summaries-dev.jsonl",),
    "answers": ("qa-dev-articles.jsonl", "qa-dev-questions.jsonl",
                *(f"xquad-dev-{code}-{kind}.jsonl" for code in ("en", "ru", "de", "es", "el")
                  for kind in ("articles", "questions"))),
    "extraction": ("extraction-dev/truth.jsonl", "extraction-dev/html"),
    "languages": (),
}


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip().lower()


def _services(tmp: str, **overrides: object) -> Services:
    return build_services(Settings(database_url=f"sqlite:///{tmp}/bench.sqlite3", chat_id=1, **overrides))  # type: ignore[arg-type]


def _header(title: str, command: str) -> None:
    print(f"\n### {title}\n")
    print(f"`{command}` — {datetime.now(UTC):%Y-%m-%d}, {platform.machine()} Linux, "
          f"Python {platform.python_version()}\n")


# -- summaries -----------------------------------------------------------------------------


@dataclass
class SummaryScores:
    r1: list[float]
    r2: list[float]
    rl: list[float]
    precision: list[float]

    def row(self, name: str) -> str:
        return (f"| {name} | {100 * mean(self.r1):.2f} | {100 * mean(self.r2):.2f} | {100 * mean(self.rl):.2f} "
                f"| {100 * mean(self.precision):.1f} |")


def bench_summaries(data: EvalData, limit: int | None) -> None:
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    records = data.jsonl("summaries-dev.jsonl")[:limit]
    systems: dict[str, Callable[[int], tuple[str, str | None]]] = {}
    # name -> (algorithm, engine); `None` length means the reference length.
    configs: list[tuple[str, str, str | None, str]] = []
    for length in ("3", "k"):
        configs.append((f"Briefbot default, {length}", "default", None, length))
        for algorithm in ALGORITHMS:
            configs.append((f"{algorithm}, {length}", algorithm, None, length))
        for algorithm in stock_summarizers():
            configs.append((f"stock Sumy {algorithm}, {length}", algorithm, "sumy", length))
    del systems
    scores = {name: SummaryScores([], [], [], []) for name, *_ in configs}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        services = _services(tmp)
        for record in records:
            reference = record["summary"]
            reference_set = {_norm(s) for s in reference}
            parsed = services.library.parse(record["title"] + "\n\n" + record["text"])
            for name, algorithm, engine, length in configs:
                count = 3 if length == "3" else len(reference)
                summary = services.library.summarize_parsed(parsed, algorithm=algorithm, sentences=count, engine=engine)
                chosen = [s.text for s in summary.sentences]
                result = scorer.score(" ".join(reference), " ".join(chosen))
                entry = scores[name]
                entry.r1.append(result["rouge1"].fmeasure)
                entry.r2.append(result["rouge2"].fmeasure)
                entry.rl.append(result["rougeL"].fmeasure)
                entry.precision.append(sum(_norm(c) in reference_set for c in chosen) / max(len(chosen), 1))
        services.close()
    _header(f"Summaries: {len(records)} BBC News articles (summaries-dev.jsonl)", "python -m bench.quality summaries")
    print("ROUGE F1 ×100 (rouge-score, stemming on); SentP = share of chosen sentences that are reference "
          "sentences. `k` = the reference summary's length.\n")
    print("| system | R1 | R2 | RL | SentP |")
    print("|---|---:|---:|---:|---:|")
    for name, *_ in configs:
        print(scores[name].row(name))
    print(f"\n{len(configs) * len(records)} summaries in {time.perf_counter() - started:.0f} s.")


# -- answers -------------------------------------------------------------------------------


def _correct(text: str, answers: Iterable[str]) -> bool:
    haystack = _norm(text)
    return any(_norm(answer) in haystack for answer in answers)


@dataclass
class AnswerScores:
    ranks: list[int | None]

    def row(self, scope: str, name: str) -> str:
        n = len(self.ranks)
        top1 = sum(r == 1 for r in self.ranks) / n
        top3 = sum(r is not None and r <= 3 for r in self.ranks) / n
        mrr = sum(1 / r for r in self.ranks if r is not None and r <= 10) / n
        return f"| {scope} | {name} | {100 * top1:.1f}% | {100 * top3:.1f}% | {mrr:.3f} |"


def _first_correct(results: list[tuple[str, str]], article: str, answers: list[str]) -> int | None:
    for rank, (text, article_id) in enumerate(results[:10], 1):
        if article_id == article and _correct(text, answers):
            return rank
    return None


XQUAD_LANGUAGES = ("en", "ru", "de", "es", "el")


def _baseline_tokenizer(code: str) -> Callable[[str], list[str]]:
    """The README's BM25 baseline: lowercase \\w+ tokens, Sumy's stop words, NLTK's Snowball stems."""
    from nltk.stem.snowball import SnowballStemmer
    from sumy.utils import get_stop_words

    from bot.text.language import LANGUAGE_NAMES

    name = LANGUAGE_NAMES[code]
    try:
        stop_words = frozenset(word.lower() for word in get_stop_words(name))
    except LookupError:
        stop_words = frozenset()
    stem: Callable[[str], str] = (SnowballStemmer(name).stem if name in SnowballStemmer.languages
                                  else (lambda word: word))

    def tokens(text: str) -> list[str]:
        return [stem(w) for w in re.findall(r"\w+", text.lower()) if w not in stop_words]

    return tokens


@dataclass
class AnswerRun:
    scores: dict[str, AnswerScores]
    # Library scope, per question: the ranker's candidates and which of them answer it (bench.reweighing).
    candidates: Questions
    # Questions with no sentence at all, and with fewer than three, per scope.
    empty: dict[str, int]
    short: dict[str, int]
    latencies: list[float]
    questions: int
    articles: int


def _answer_run(articles: list[dict], questions: list[dict], paste: Callable[[dict], str],  # type: ignore[type-arg]
                tokens: Callable[[str], list[str]]) -> AnswerRun:
    from rank_bm25 import BM25Okapi

    with tempfile.TemporaryDirectory() as tmp:
        services = _services(tmp)
        library = services.library
        number_of: dict[str, int] = {}
        id_of_number: dict[int, str] = {}
        for record in articles:
            ingested = library.ingest_text(1, paste(record))
            number_of[record["id"]] = ingested.article.number
            id_of_number[ingested.article.number] = record["id"]
        # The baseline ranks the very same stored sentences.
        corpus: list[tuple[str, str]] = []
        for record in articles:
            stored = library.article(1, number_of[record["id"]])
            for sentence in library.store.article_sentences(1, stored.info.id):
                corpus.append((sentence.text, record["id"]))
        tokenized = [tokens(text) for text, _ in corpus]
        bm25_all = BM25Okapi(tokenized, k1=1.5, b=0.75)
        by_article: dict[str, tuple[BM25Okapi, list[int]]] = {}
        for record in articles:
            indexes = [i for i, (_, a) in enumerate(corpus) if a == record["id"]]
            by_article[record["id"]] = (BM25Okapi([tokenized[i] for i in indexes], k1=1.5, b=0.75), indexes)

        def bm25_rank(question: str, article: str | None) -> list[tuple[str, str]]:
            query = tokens(question)
            if article is None:
                scores = bm25_all.get_scores(query)
                order = sorted(range(len(corpus)), key=lambda i: (-scores[i], i))[:10]
                return [corpus[i] for i in order]
            model, indexes = by_article[article]
            scores = model.get_scores(query)
            order = sorted(range(len(indexes)), key=lambda i: (-scores[i], i))[:10]
            return [corpus[indexes[i]] for i in order]

        answerer = Answerer(services.store, services.languages)
        current = services.store.current_article(1)
        measured: list[tuple[list[Candidate], list[bool]]] = []
        for question in questions:
            _terms, found = answerer.candidates(1, question["question"], prefer_article=current)
            measured.append((found, [id_of_number[c.hit.sentence.article_number] == question["article"]
                                     and _correct(c.hit.sentence.text, question["answers"]) for c in found]))
        run = AnswerRun({key: AnswerScores([]) for key in ("lib-bb", "lib-bm25", "art-bb", "art-bm25")},
                        collect(measured, [q["article"] for q in questions], RankingWeights()),
                        {"lib": 0, "art": 0}, {"lib": 0, "art": 0}, [], len(questions), len(articles))
        for question in questions:
            article, answers, text = question["article"], question["answers"], question["question"]
            t0 = time.perf_counter()
            library_wide = library.ask(1, text, top=10)
            run.latencies.append(time.perf_counter() - t0)
            within = library.ask(1, text, top=10, article_number=number_of[article])
            for scope, found in (("lib", library_wide), ("art", within)):
                run.empty[scope] += not found.sentences
                run.short[scope] += len(found.sentences) < 3
            run.scores["lib-bb"].ranks.append(_first_correct(
                [(s.text, id_of_number[s.article_number]) for s in library_wide.sentences], article, answers))
            run.scores["art-bb"].ranks.append(_first_correct(
                [(s.text, id_of_number[s.article_number]) for s in within.sentences], article, answers))
            run.scores["lib-bm25"].ranks.append(_first_correct(bm25_rank(text, None), article, answers))
            run.scores["art-bm25"].ranks.append(_first_correct(bm25_rank(text, article), article, answers))
        services.close()
    return run


def _share(count: int, total: int) -> str:
    return f"{100 * count / max(total, 1):.1f}%"


def bench_answers(data: EvalData, limit: int | None) -> None:
    started = time.perf_counter()
    articles = data.jsonl("qa-dev-articles.jsonl")
    questions = data.jsonl("qa-dev-questions.jsonl")[:limit]
    squad = run = _answer_run(articles, questions, lambda r: r["title"] + "\n\n" + r["text"],
                              _baseline_tokenizer("en"))
    _header(f"Answers: {len(questions)} SQuAD questions over {len(articles)} Wikipedia articles",
            "python -m bench.quality answers")
    print("A returned sentence is correct when it contains a gold answer and comes from the question's article.\n")
    print("| scope | ranker | top-1 | top-3 | MRR@10 |")
    print("|---|---|---:|---:|---:|")
    print(run.scores["art-bm25"].row("within the article", "rank_bm25 BM25Okapi (baseline)"))
    print(run.scores["art-bb"].row("within the article", "Briefbot"))
    print(run.scores["lib-bm25"].row(f"library of {len(articles)} articles", "rank_bm25 BM25Okapi (baseline)"))
    print(run.scores["lib-bb"].row(f"library of {len(articles)} articles", "Briefbot"))
    print(f"\nBriefbot, no answer at all: library {_share(run.empty['lib'], run.questions)}, "
          f"within the article {_share(run.empty['art'], run.questions)}; fewer than 3 within the article "
          f"{_share(run.short['art'], run.questions)}.")
    latencies = sorted(run.latencies)
    print(f"Briefbot library-wide answer latency: p50 {1000 * latencies[len(latencies) // 2]:.1f} ms, "
          f"p99 {1000 * latencies[max(int(len(latencies) * 0.99) - 1, 0)]:.1f} ms.")

    runs = {}
    for code in XQUAD_LANGUAGES:
        xq_articles = data.jsonl(f"xquad-dev-{code}-articles.jsonl")
        xq_questions = data.jsonl(f"xquad-dev-{code}-questions.jsonl")[:limit]
        # XQuAD articles have no title line: the text is pasted as it is.
        runs[code] = _answer_run(xq_articles, xq_questions, lambda r: r["text"], _baseline_tokenizer(code))
    _header("Answers: XQuAD dev, one library of 12 articles per language", "python -m bench.quality answers")
    print("BM25 = rank_bm25 BM25Okapi over the same stored sentences (lowercase \\w+, Sumy's stop words, "
          "NLTK Snowball stems where they exist). `none` = share of questions with no answer at all; "
          "`<3` = fewer than the 3 asked for.\n")
    print("| lang | scope | BM25 top-1 | BM25 top-3 | BM25 MRR | Briefbot top-1 | Briefbot top-3 | Briefbot MRR "
          "| none | <3 |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for code, run in runs.items():
        for scope, label in (("lib", "library"), ("art", "article")):
            base = run.scores[f"{scope}-bm25"].row("", "").split("|")[3:6]
            mine = run.scores[f"{scope}-bb"].row("", "").split("|")[3:6]
            print(f"| {code} | {label} |{'|'.join(base)}|{'|'.join(mine)}| {_share(run.empty[scope], run.questions)} "
                  f"| {_share(run.short[scope], run.questions)} |")
    _print_reweighing({"SQuAD": squad, **runs})
    print(f"\nWhole answers run {time.perf_counter() - started:.0f} s.")


def _print_reweighing(runs: dict[str, AnswerRun]) -> None:
    """Library top-1: shipped weights, weights fitted on other articles, weights fitted on all (bench.reweighing)."""
    weights = RankingWeights()
    sets = {name: run.candidates for name, run in runs.items()}
    held_out, _fitted = cross_validated(sets, weights)
    everything = fitted_weights(sets, weights)
    _header("Answers: the ranker's weights, fitted and held out", "python -m bench.quality answers")
    print(f"Library top-1. Held out: the weights fitted (listwise softmax regression, bench/reweighing.py) on the "
          f"questions of {FOLDS - 1} of {FOLDS} folds of the articles, all sets pooled, and tested on the third, "
          "each fold in turn; fitted on all: on every question. 95% interval: paired bootstrap of Briefbot's "
          "top-1 gain over BM25 (10,000 resamples of the questions).\n")
    print("| set | BM25 | Briefbot | held out | fitted on all | goal: BM25 + 6 | gain | 95% interval |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, run in runs.items():
        n = run.questions
        bm25 = [rank == 1 for rank in run.scores["lib-bm25"].ranks]
        mine = [rank == 1 for rank in run.scores["lib-bb"].ranks]
        low, high = bootstrap_gain(mine, bm25)
        print(f"| {name} | {_share(sum(bm25), n)} | {_share(sum(mine), n)} | {_share(held_out[name], n)} "
              f"| {_share(int(top1(sets[name], as_vector(everything)).sum()), n)} | {100 * sum(bm25) / n + 6:.1f}% "
              f"| {100 * (sum(mine) - sum(bm25)) / n:+.1f} | {low:+.1f} to {high:+.1f} |")
    # Refitting starts from the shipped weights (they choose the candidates fitted), so it moves them a little.
    same = all(abs(getattr(everything, name) - getattr(weights, name)) <= 0.05 * max(abs(getattr(weights, name)), 0.05)
               for name in SCORED)
    print("\nWeights fitted on all questions" + (" (the shipped ones):" if same else
                                                  " (differ from the shipped ones: copy them to RankingWeights):"))
    print(", ".join(f"{name} = {getattr(everything, name):g}" for name in SCORED))


# -- languages -----------------------------------------------------------------------------


def bench_languages(limit: int | None) -> None:
    """Detection accuracy on sentences built from the stop-word lists that ship in Sumy and Briefbot."""
    import random

    from bot.text.language import LANGUAGE_NAMES, Languages

    languages = Languages()
    rng = random.Random(7)
    rows = []
    for code in list(LANGUAGE_NAMES)[:13]:
        profile = languages.profile(code)
        words = sorted(profile.stop_words)
        samples = [" ".join(rng.choice(words) for _ in range(12)) for _ in range(limit or 50)]
        hits = sum(languages.detect(sample) == code for sample in samples)
        rows.append((code, hits, len(samples)))
    _header("Language detection: 12-word samples of each language's function words",
            "python -m bench.quality languages")
    print("| language | correct | accuracy |")
    print("|---|---:|---:|")
    for code, hits, total in rows:
        print(f"| {code} | {hits}/{total} | {100 * hits / total:.0f}% |")
    all_hits = sum(h for _, h, _ in rows)
    all_total = sum(t for _, _, t in rows)
    print(f"| all | {all_hits}/{all_total} | {100 * all_hits / all_total:.1f}% |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.quality", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    # Checked below, not with `choices`: Python 3.11's argparse checks an absent `*` positional's default
    # (the whole list) against `choices` as one value, and refuses it.
    parser.add_argument("which", nargs="*", metavar="{" + ",".join(NEEDS) + "}",
                        help="the benchmarks to run (default: all)")
    parser.add_argument("--limit", type=int, help="use only the first N records (quick runs)")
    add_eval_dir_argument(parser)
    args = parser.parse_args(argv)
    data = EvalData.resolve(args.eval_dir)
    unknown = [which for which in args.which if which not in NEEDS]
    if unknown:
        parser.error(f"unknown benchmark {unknown[0]!r} (choose from {', '.join(NEEDS)})")
    chosen = args.which or list(NEEDS)
    needed = [name for which in chosen for name in NEEDS[which]]
    if needed:  # `languages` alone reads no evaluation set
        data.require(*needed)
    for which in chosen:
        if which == "summaries":
            bench_summaries(data, args.limit)
        elif which == "answers":
            bench_answers(data, args.limit)
        elif which == "languages":
            bench_languages(args.limit)
        else:
            from bench.extraction import run as extraction_run

            extraction_run(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
