"""Fast Sumy summarizers: numpy/scipy implementations that pick exactly the sentences stock Sumy picks."""

from __future__ import annotations

from bot.summaries.fast.edmundson import FastEdmundsonSummarizer
from bot.summaries.fast.kl import FastKLSummarizer
from bot.summaries.fast.lex_rank import FastLexRankSummarizer
from bot.summaries.fast.lsa import FastLsaSummarizer
from bot.summaries.fast.luhn import FastLuhnSummarizer
from bot.summaries.fast.reduction import FastReductionSummarizer
from bot.summaries.fast.sum_basic import FastSumBasicSummarizer
from bot.summaries.fast.text_rank import FastTextRankSummarizer

FAST_SUMMARIZERS: dict[str, type] = {
    "lexrank": FastLexRankSummarizer,
    "textrank": FastTextRankSummarizer,
    "lsa": FastLsaSummarizer,
    "luhn": FastLuhnSummarizer,
    "kl": FastKLSummarizer,
    "sumbasic": FastSumBasicSummarizer,
    "reduction": FastReductionSummarizer,
    "edmundson": FastEdmundsonSummarizer,
}

__all__ = [
    "FAST_SUMMARIZERS",
    "FastEdmundsonSummarizer",
    "FastKLSummarizer",
    "FastLexRankSummarizer",
    "FastLsaSummarizer",
    "FastLuhnSummarizer",
    "FastReductionSummarizer",
    "FastSumBasicSummarizer",
    "FastTextRankSummarizer",
]
