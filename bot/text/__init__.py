"""Text: language profiles, the offline tokenizer, and parsing text into articles."""

from bot.text.sumy_imports import defer_heavy_imports

# Before any module of this package imports Sumy: Sumy without NLTK and requests (see sumy_imports).
defer_heavy_imports()
