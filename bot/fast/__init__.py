"""Vectorised Sumy summarizers that pick exactly the sentences the stock classes pick."""

from __future__ import annotations

from bot.fast.kl import FastKLSummarizer
from bot.fast.lex_rank import FastLexRankSummarizer
from bot.fast.reduction import FastReductionSummarizer
from bot.fast.sum_basic import FastSumBasicSummarizer
from bot.fast.text_rank import FastTextRankSummarizer

FAST_SUMMARIZERS: dict[str, type] = {
    "lexrank": FastLexRankSummarizer,
    "textrank": FastTextRankSummarizer,
    "kl": FastKLSummarizer,
    "sumbasic": FastSumBasicSummarizer,
    "reduction": FastReductionSummarizer,
}

__all__ = [
    "FAST_SUMMARIZERS",
    "FastKLSummarizer",
    "FastLexRankSummarizer",
    "FastReductionSummarizer",
    "FastSumBasicSummarizer",
    "FastTextRankSummarizer",
]
