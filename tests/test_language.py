from __future__ import annotations

import pytest

from bot.text.language import UNKNOWN, Languages

LANGUAGES = Languages()

SAMPLES = {
    "en": "The minister visited Israel last week to discuss urgent security issues with his counterpart.",
    "ru": "Министр посетил Израиль на прошлой неделе, чтобы обсудить срочные вопросы безопасности.",
    "uk": "Міністр відвідав Ізраїль минулого тижня, щоб обговорити нагальні питання безпеки.",
    "de": "Der Minister besuchte letzte Woche Israel, um dringende Sicherheitsfragen zu besprechen.",
    "fr": "Le ministre a visité Israël la semaine dernière pour discuter de questions de sécurité urgentes.",
    "es": "El ministro visitó Israel la semana pasada para discutir asuntos urgentes de seguridad.",
    "it": "Il ministro ha visitato Israele la settimana scorsa per discutere questioni urgenti di sicurezza.",
    "pt": "O ministro visitou Israel na semana passada para discutir questões urgentes de segurança.",
    "cs": "Ministr minulý týden navštívil Izrael, aby projednal naléhavé bezpečnostní otázky.",
    "sk": "Minister minulý týždeň navštívil Izrael, aby prerokoval naliehavé bezpečnostné otázky.",
    "pl": "Minister odwiedził w zeszłym tygodniu Izrael, aby omówić pilne kwestie bezpieczeństwa.",
    "el": "Ο υπουργός επισκέφθηκε το Ισραήλ την περασμένη εβδομάδα για να συζητήσει επείγοντα θέματα ασφαλείας.",
    "he": "השר ביקר בישראל בשבוע שעבר כדי לדון בנושאי ביטחון דחופים עם עמיתו.",
}


@pytest.mark.parametrize(("code", "text"), SAMPLES.items())
def test_detects_each_promised_language(code: str, text: str) -> None:
    assert LANGUAGES.detect(text) == code


@pytest.mark.parametrize("code", SAMPLES)
def test_each_language_has_a_stemmer_and_stop_words(code: str) -> None:
    profile = LANGUAGES.profile(code)
    assert profile.supported
    assert len(profile.stop_words) > 20
    assert profile.keywords(SAMPLES[code])


def test_russian_stop_words_are_supplied() -> None:
    profile = LANGUAGES.profile("ru")
    assert {"и", "в", "не", "что"} <= profile.stop_words
    assert profile.keywords("Что заблокировала Москва в 2014 году?", drop_question_words=True) == [
        "заблокирова", "москв", "2014", "год",
    ]


def test_unsupported_language_degrades_to_plain_words() -> None:
    profile = LANGUAGES.profile("zz")
    assert profile.code == UNKNOWN
    assert profile.keywords("Habari za asubuhi rafiki") == ["habari", "za", "asubuhi", "rafiki"]


def test_junk_and_empty_text_is_unknown() -> None:
    assert LANGUAGES.detect("12345 !!! ???") == UNKNOWN


def test_question_words_are_dropped_only_when_asked() -> None:
    profile = LANGUAGES.profile("en")
    assert profile.keywords("Who visited Israel?", drop_question_words=True) == ["visit", "israel"]


def test_terms_split_hyphenated_words_and_keep_numbers() -> None:
    profile = LANGUAGES.profile("en")
    assert profile.keywords("Israel-Ukraine ties in 2014") == ["israel", "ukrain", "tie", "2014"]


@pytest.mark.parametrize(("given", "expected"), [("en", "en"), ("English", "en"), ("GERMAN", "de"), ("", None)])
def test_normalize_accepts_codes_and_names(given: str, expected: str | None) -> None:
    assert LANGUAGES.normalize(given) == expected


def test_stop_words_are_sumys_lists() -> None:
    """Read without Sumy's language-name lookup (pycountry), they are still exactly `get_stop_words`'s."""
    from sumy.utils import get_stop_words

    from bot.text.language import LANGUAGE_NAMES

    languages = Languages(cache_dir=None)
    for code, name in LANGUAGE_NAMES.items():
        if code == "ru":
            continue  # Briefbot's own list
        try:
            expected = frozenset(word.lower() for word in get_stop_words(name))
        except LookupError:
            expected = frozenset()
        assert languages.profile(code).stop_words == expected, code
