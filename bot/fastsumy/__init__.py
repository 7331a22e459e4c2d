"""Fast Sumy summarizers: numpy/scipy implementations that pick exactly the sentences stock Sumy picks."""

from __future__ import annotations

from bot.fastsumy.edmundson import FastEdmundsonSummarizer
from bot.fastsumy.kl import FastKLSummarizer
from bot.fastsumy.lex_rank import FastLexRankSummarizer
from bot.fastsumy.lsa import FastLsaSummarizer
from bot.fastsumy.luhn import FastLuhnSummarizer
from bot.fastsumy.reduction import FastReductionSummarizer
from bot.fastsumy.sum_basic import FastSumBasicSummarizer
from bot.fastsumy.text_rank import FastTextRankSummarizer

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
