"""Index terms, questions and summaries are stemmed by PyStemmer's Snowball where Sumy would use NLTK's."""

from __future__ import annotations

import pickle
from concurrent.futures import ThreadPoolExecutor

import pytest
from sumy.nlp.stemmers import Stemmer as SumyStemmer

from bot.text.language import LANGUAGE_NAMES, Languages
from bot.text.stemming import SNOWBALL_ALGORITHMS, SnowballStemmer

# Word -> stem, as Snowball 3 (PyStemmer 3.1) stems it; capitals are lowered first, as NLTK's stemmer does.
STEMS = [
    ("en", "Running", "run"),
    ("en", "visited", "visit"),
    ("en", "rapprochement", "rapproch"),
    ("en", "universities", "universiti"),  # NLTK's: "univers"
    ("en", "organization", "organiz"),  # NLTK's: "organ"
    ("ru", "библиотеки", "библиотек"),
    ("ru", "читателей", "читател"),
    ("ru", "городские", "городск"),
    ("de", "Brücken", "bruck"),
    ("de", "Bürgermeister", "burgermeist"),
    ("de", "bedeutet", "bedeut"),  # NLTK's: "bedeutet"
    ("de", "aktuellen", "aktull"),  # Snowball 3 reads "ue" as "ü"; NLTK's: "aktuell"
    ("es", "bibliotecas", "bibliotec"),
    ("es", "visitó", "visit"),
    ("es", "trabajadores", "trabaj"),
]


@pytest.mark.parametrize(("code", "word", "stem"), STEMS)
def test_profile_stems_with_pystemmer(code: str, word: str, stem: str) -> None:
    profile = Languages(cache_dir=None).profile(code)
    assert profile.stem(word) == stem
    assert SnowballStemmer(LANGUAGE_NAMES[code])(word) == stem


def test_no_language_is_stemmed_by_nltk() -> None:
    """Each language has PyStemmer's Snowball or one of Sumy's own stemmers, which import no NLTK."""
    for name in LANGUAGE_NAMES.values():
        assert (name in SNOWBALL_ALGORITHMS) != (name in SumyStemmer.SPECIAL_STEMMERS), name
    assert {"greek", "czech", "slovak", "polish", "ukrainian", "hebrew"} <= set(SumyStemmer.SPECIAL_STEMMERS)


def test_the_languages_sumy_stems_with_nltk_are_the_snowball_ones() -> None:
    from nltk.stem.snowball import SnowballStemmer as NltkSnowball

    assert set(SNOWBALL_ALGORITHMS) == set(NltkSnowball.languages) - {"porter"}


@pytest.mark.parametrize("code", ["en", "ru", "es"])
def test_same_stems_as_nltk_on_common_words(code: str) -> None:
    from nltk.stem.snowball import SnowballStemmer as NltkSnowball

    text = {
        "en": "the minister visited israel and said talks with ukraine were going well for both countries",
        "ru": "министр посетил израиль и сказал что переговоры с украиной идут хорошо для обеих стран",
        "es": "el ministro visitó israel y dijo que las conversaciones con ucrania van bien para ambos países",
    }[code]
    nltk_stem = NltkSnowball(LANGUAGE_NAMES[code]).stem
    ours = SnowballStemmer(LANGUAGE_NAMES[code])
    assert [ours(word) for word in text.split()] == [nltk_stem(word) for word in text.split()]


def test_dutch_keeps_the_stems_nltk_gave() -> None:
    """Snowball 3's new Dutch stemmer cuts far more; Briefbot keeps the algorithm NLTK implements."""
    from nltk.stem.snowball import DutchStemmer

    words = "huizen lopen vrijheid mogelijkheden bedrijven regering gemeente burgemeester scholen".split()
    assert [SnowballStemmer("dutch")(w) for w in words] == [DutchStemmer().stem(w) for w in words]


def test_threads_get_their_own_stemmer() -> None:
    """PyStemmer's stemmers must not be shared by threads at once: the same stems from eight threads."""
    stemmer = SnowballStemmer("english")
    words = [f"{stem}{ending}" for stem in ("connect", "visit", "report", "organiz") for ending in
             ("ed", "ing", "ions", "s", "ation")] * 200
    expected = [stemmer(word) for word in words]
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: [stemmer(word) for word in words], range(8)))
    assert all(result == expected for result in results)


def test_a_stemmer_travels_to_another_process() -> None:
    copied = pickle.loads(pickle.dumps(SnowballStemmer("german")))
    assert copied("Bürgermeister") == "burgermeist" and copied.algorithm == "german"
