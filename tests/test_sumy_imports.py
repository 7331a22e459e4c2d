"""Sumy's summarizers and stemmers import without NLTK and requests (bot/text/sumy_imports.py)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import sumy.nlp.stemmers
import sumy.utils

import bot.text  # noqa: F401  (installs the finder, as any use of Briefbot's text or summaries does)
from bot.text.sumy_imports import DEFERRED, Deferred, SumyImportFinder


def _run(code: str) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def test_summarizers_and_stemmers_import_without_nltk_or_requests() -> None:
    found = _run("""
        import json, sys
        from bot.summaries.fast import FAST_SUMMARIZERS
        from bot.summaries.summarizer import stock_summarizers
        from bot.text.language import Languages
        from sumy.nlp.stemmers import Stemmer, null_stemmer
        stock_summarizers()
        profile = Languages(cache_dir=None).profile("en")
        heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("nltk", "requests") or m.startswith("scipy.stats"))
        print(json.dumps({"heavy": heavy, "stem": profile.stem("visited"), "greek": Stemmer("greek")("ΑΝΘΡΩΠΟΣ")}))
    """)
    assert found == {"heavy": [], "stem": "visit", "greek": "ανθρωπ"}


def test_sumy_still_gets_nltk_and_requests_when_it_uses_them() -> None:
    """Sumy's own `Stemmer("english")` is NLTK's stemmer, loaded at its first use; `fetch_url` has requests."""
    found = _run("""
        import json, sys
        import bot.summaries
        from sumy.nlp import stemmers
        from sumy import utils
        before = "nltk" in sys.modules
        english = stemmers.Stemmer("english")
        from nltk.stem.snowball import EnglishStemmer
        try:
            stemmers.Stemmer("klingon")
        except LookupError as error:
            refused = str(error)
        print(json.dumps({"before": before, "after": "nltk" in sys.modules, "stem": english("universities"),
                          "nltk": EnglishStemmer().stem("universities"), "refused": refused,
                          "get": utils.requests.get.__module__}))
    """)
    assert found == {"before": False, "after": True, "stem": "univers", "nltk": "univers",
                     "refused": "Stemmer is not available for language klingon.", "get": "requests.api"}


def test_the_finder_loaded_sumys_modules_in_this_process() -> None:
    """Sumy's two modules hold the stand-ins (Briefbot's conftest imports bot before any Sumy module)."""
    assert any(isinstance(finder, SumyImportFinder) for finder in sys.meta_path)
    assert set(DEFERRED) == {"sumy.nlp.stemmers", "sumy.utils"}
    assert isinstance(sumy.nlp.stemmers.nltk_stemmers_module, Deferred)
    assert isinstance(sumy.utils.requests, Deferred)
