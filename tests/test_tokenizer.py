from __future__ import annotations

import pytest

from bot.text.language import LANGUAGE_NAMES
from bot.text.tokenizer import OfflineTokenizer, PunktModels

MODELS = PunktModels()


def tokenizer(code: str = "en") -> OfflineTokenizer:
    return OfflineTokenizer(code, LANGUAGE_NAMES[code], MODELS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dr. Smith arrived. He was late.", ["Dr. Smith arrived.", "He was late."]),
        ("The U.S. Army paid $3.50 each. Nobody complained.", ["The U.S. Army paid $3.50 each.", "Nobody complained."]),
        ("It happened on Jan. 5 in Kyiv. Then it rained.", ["It happened on Jan. 5 in Kyiv.", "Then it rained."]),
        ("Growth was 2.5 percent, e.g. slower than 3.1 percent. Prices rose.",
         ["Growth was 2.5 percent, e.g. slower than 3.1 percent.", "Prices rose."]),
        ("Is it true? Yes! It is.", ["Is it true?", "Yes!", "It is."]),
        ("Mr. and Mrs. Jones met Prof. Brown at 5 p.m. on Monday. It went well.",
         ["Mr. and Mrs. Jones met Prof. Brown at 5 p.m. on Monday.", "It went well."]),
    ],
)
def test_english_hard_cases(text: str, expected: list[str]) -> None:
    assert list(tokenizer().to_sentences(text)) == expected


def test_spans_cut_sentences_exactly_from_the_text() -> None:
    text = "First one here.  Second   one, with spaces.\tThird."
    spans = tokenizer().sentence_spans(text)
    assert [text[a:b] for a, b in spans] == ["First one here.", "Second   one, with spaces.", "Third."]


def test_to_words_keeps_letters_and_inner_apostrophes_and_hyphens() -> None:
    assert tokenizer().to_words("Israel's well-known drone deal, in 2014!") == (
        "Israel's", "well-known", "drone", "deal", "in",
    )


def test_language_property_is_sumys_name() -> None:
    assert tokenizer("de").language == "german"


@pytest.mark.parametrize(
    ("code", "text", "count"),
    [
        ("ru", "Москва заблокировала сделку, т.е. запретила её в 2014 году. Киев не получил помощи. Всё иначе.", 3),
        ("uk", "Міністр відвідав Ізраїль. Москва висловила сумнів. Київ зробив заяву.", 3),
        ("de", "Das ist z.B. ein Satz. Und noch einer. Dr. Müller kam um 8 Uhr.", 3),
        ("fr", "M. Dupont est arrivé. Il était en retard. Tout le monde l'attendait.", 3),
        ("es", "El Sr. García llegó tarde. Nadie lo esperaba. Fue un día largo.", 3),
        ("it", "Il sig. Rossi è arrivato. Era in ritardo. Tutti lo aspettavano.", 3),
        ("pt", "O Sr. Silva chegou cedo. Ninguém esperava. Foi um dia longo.", 3),
        ("cs", "Pan Novák přišel pozdě. Nikdo ho nečekal. Byl to dlouhý den.", 3),
        ("sk", "Pán Novák prišiel neskoro. Nikto ho nečakal. Bol to dlhý deň.", 3),
        ("pl", "Pan Kowalski przyszedł późno. Nikt na niego nie czekał. To był długi dzień.", 3),
        ("el", "Ο υπουργός επισκέφθηκε το Ισραήλ. Η Μόσχα αντέδρασε; Κανείς δεν ξέρει.", 3),
        ("he", "השר ביקר בישראל. מוסקבה הביעה ספק. קייב פרסמה הודעה.", 3),
    ],
)
def test_each_language_splits_offline(code: str, text: str, count: int) -> None:
    sentences = tokenizer(code).to_sentences(text)
    assert len(sentences) == count
    assert "".join(sentences).replace(" ", "") == text.replace(" ", "")


@pytest.mark.parametrize(
    ("code", "text", "expected"),
    [
        ("es", "El presidente de EE. UU. visitó Kenia en julio. Luego volvió.",
         ["El presidente de EE. UU. visitó Kenia en julio.", "Luego volvió."]),
        ("ru", "Среди них были Дж. А. Гобсон и Й. Шумпетер. Это известно.",
         ["Среди них были Дж. А. Гобсон и Й. Шумпетер.", "Это известно."]),
        ("el", "Ο υπουργός μίλησε στις Η.Π.Α. χθες το βράδυ. Μετά έφυγε.",
         ["Ο υπουργός μίλησε στις Η.Π.Α. χθες το βράδυ.", "Μετά έφυγε."]),
        # An ellipsis inside a quotation does not end it.
        ("en", 'He told the court, "I am here to . . . submit cheerfully." Then he sat down.',
         ['He told the court, "I am here to . . . submit cheerfully."', "Then he sat down."]),
        # A sentence may start with a word in mixed case.
        ("en", "Apple cut its prices. iPhone sales rose.", ["Apple cut its prices.", "iPhone sales rose."]),
    ],
)
def test_news_abbreviations_and_lower_case_continuations_do_not_split(code: str, text: str,
                                                                      expected: list[str]) -> None:
    assert list(tokenizer(code).to_sentences(text)) == expected
