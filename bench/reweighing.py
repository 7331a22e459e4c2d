"""The answer ranker's weights: fitted on the dev questions, and tested on articles they were not fitted on.

Part of `python -m bench.quality answers`. Each question's candidates are measured once
(`Answerer.candidates`: the signals `RankingWeights.score` sums). The weights are fitted by
listwise softmax regression (the log-likelihood that the best-scored candidate is one that
answers, L2-regularised, on standardised signals), over SQuAD dev and every XQuAD language pooled:
one ranking for all languages. For each of three folds of the articles the weights are fitted on
the questions of the other two and tested on the held-out fold; the weights fitted on every
question are the ones to ship in `RankingWeights`. A paired bootstrap gives the spread of the
top-1 gain over BM25 that a few hundred questions allow.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

from bot.answers.answerer import Candidate
from bot.answers.ranking import SCORED, RankingWeights

FOLDS = 3
# L2 penalty on the standardised weights (0.3 and 3 gave the same held-out top-1 within a question).
PENALTY = 1.0
# Questions are fitted on their best candidates by the shipped weights (the rest never reach the answers).
FITTED_CANDIDATES = 40


@dataclass
class Questions:
    """The candidates of one evaluation set's questions, as arrays (one row a candidate)."""

    signals: np.ndarray  # one column per name in SCORED
    question: np.ndarray  # the row's question index
    strong: np.ndarray
    preferred: np.ndarray
    order: np.ndarray
    correct: np.ndarray
    fold: np.ndarray  # each question's fold (by its article)


def collect(per_question: Sequence[tuple[Sequence[Candidate], Sequence[bool]]], articles: Sequence[str],
            weights: RankingWeights) -> Questions:
    """Arrays of every question's candidates and whether each answers it; `articles[i]` is question i's article."""
    rows: list[list[float]] = []
    question, strong, preferred, order, correct = [], [], [], [], []
    for index, (candidates, right) in enumerate(per_question):
        for candidate, ok in zip(candidates, right, strict=True):
            rows.append([float(getattr(candidate.signals, name)) for name in SCORED])
            question.append(index)
            strong.append(not weights.weak(candidate.signals))
            preferred.append(candidate.preferred)
            order.append(candidate.order)
            correct.append(ok)
    fold_of = {article: i % FOLDS for i, article in enumerate(sorted(set(articles)))}
    return Questions(np.array(rows, dtype=float).reshape(-1, len(SCORED)), np.array(question, dtype=int),
                     np.array(strong, dtype=bool), np.array(preferred, dtype=bool), np.array(order, dtype=int),
                     np.array(correct, dtype=bool), np.array([fold_of[a] for a in articles], dtype=int))


def as_vector(weights: RankingWeights) -> np.ndarray:
    return np.array([getattr(weights, name) for name in SCORED], dtype=float)


def top1(q: Questions, w: np.ndarray) -> np.ndarray:
    """Per question: whether its best candidate (ordered as `Answerer.rank` orders them) answers it."""
    hit = np.zeros(len(q.fold), dtype=bool)
    if not len(q.question):
        return hit
    ranked = np.lexsort((-q.order, q.preferred, np.round(q.signals @ w, 6), q.strong, q.question))
    by_question = q.question[ranked]
    last = np.r_[np.nonzero(np.diff(by_question))[0], len(ranked) - 1]
    hit[by_question[last]] = q.correct[ranked[last]]
    return hit


def _groups(sets: Sequence[tuple[Questions, np.ndarray]], start: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """(signals, which answer) of each question to fit: its best candidates by `start`, when one of them answers."""
    groups = []
    for q, fitted in sets:
        scores = q.signals @ start
        ranked = np.lexsort((-scores, q.question))
        bounds = np.r_[0, np.nonzero(np.diff(q.question[ranked]))[0] + 1, len(ranked)]
        for lo, hi in itertools.pairwise(bounds.tolist()):
            rows = ranked[lo:hi][:FITTED_CANDIDATES]
            if fitted[q.question[rows[0]]] and q.correct[rows].any() and not q.correct[rows].all():
                groups.append((q.signals[rows], q.correct[rows]))
    return groups


def fit(sets: Sequence[tuple[Questions, np.ndarray]], start: np.ndarray) -> np.ndarray:
    """Weights (raw, one per SCORED signal) maximising the likelihood that the top candidate answers."""
    groups = _groups(sets, start)
    every = np.concatenate([signals for signals, _ in groups])
    mean, spread = every.mean(axis=0), every.std(axis=0) + 1e-9
    # One long array and segment sums: the fit is a few hundred vectorised passes.
    x = (every - mean) / spread
    answers = np.concatenate([correct for _, correct in groups])
    sizes = np.array([len(correct) for _, correct in groups])
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    segment = np.repeat(np.arange(len(groups)), sizes)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        s = x @ w
        peak = np.maximum.reduceat(s, starts)
        e = np.exp(s - peak[segment])
        everyone = np.add.reduceat(e, starts)
        right = np.add.reduceat(np.where(answers, e, 0.0), starts)
        value = -np.sum(np.log(right) - np.log(everyone))
        # d/dw: expected signals under all candidates minus under the answering ones.
        p_all = e / everyone[segment]
        p_right = np.where(answers, e, 0.0) / right[segment]
        gradient = x.T @ (p_all - p_right)
        return value + PENALTY * float(w @ w), gradient + 2 * PENALTY * w

    result = minimize(loss, start * spread, jac=True, method="L-BFGS-B")
    # Back to raw signals: the constant the standardisation adds is the same for every candidate.
    return result.x / spread


def cross_validated(sets: dict[str, Questions], weights: RankingWeights) -> tuple[dict[str, int], list[np.ndarray]]:
    """Held-out top-1 count per set, each fold ranked with weights fitted on the other folds; and those weights."""
    held_out = {name: 0 for name in sets}
    fitted = []
    for fold in range(FOLDS):
        w = fit([(q, q.fold != fold) for q in sets.values()], as_vector(weights))
        fitted.append(w)
        for name, q in sets.items():
            held_out[name] += int(top1(q, w)[q.fold == fold].sum())
    return held_out, fitted


def fitted_weights(sets: dict[str, Questions], weights: RankingWeights) -> RankingWeights:
    """The weights fitted on every question, as RankingWeights (to ship)."""
    w = fit([(q, np.ones(len(q.fold), dtype=bool)) for q in sets.values()], as_vector(weights))
    return dataclasses.replace(weights, **{name: round(float(v), 4) for name, v in zip(SCORED, w, strict=True)})


def bootstrap_gain(mine: Sequence[bool], baseline: Sequence[bool], *, samples: int = 10_000,
                   seed: int = 11) -> tuple[float, float]:
    """95% interval of the top-1 gain (points) over the baseline, resampling questions in pairs."""
    diff = np.array(mine, dtype=float) - np.array(baseline, dtype=float)
    picks = np.random.default_rng(seed).integers(0, len(diff), (samples, len(diff)))
    low, high = np.percentile(100 * diff[picks].mean(axis=1), [2.5, 97.5])
    return float(low), float(high)
