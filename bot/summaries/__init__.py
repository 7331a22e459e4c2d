"""Summaries: Sumy's algorithms by name, and the fast (vectorised) engine."""

from bot.text.sumy_imports import defer_heavy_imports

# Before any module of this package imports Sumy's summarizers: they import Sumy's stemmers package,
# which would import all of NLTK (see bot/text/sumy_imports.py).
defer_heavy_imports()
