from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from bot.answers.answerer import Answer, Answerer
from bot.answers.ranking import RankingWeights, answer_type, holds_answer_type
from bot.services import Services
from tests.helpers import make_services

BRIDGE = (
    "Harbor Bridge Opens\n\n"
    "The new harbor bridge opened to traffic on Monday. "
    "Mayor Alice Tran cut the ribbon before a large crowd. "
    "The bridge cost four hundred million dollars to build. "
    "Engineers spent six years on the steel towers of the bridge. "
    "Two older bridges across the harbor will close next year."
)
RAILWAY = (
    "Mountain Railway\n\n"
    "A mountain railway climbs to the old monastery. "
    "Tourists ride the red trains every summer. "
    "The line was finished in 1912 after a long strike. "
    "Snow closes the upper station in winter."
)
BUDGET = (
    "City Budget\n\n"
    "The council approved the budget after Mayor Tran spoke. "
    "Residents asked about taxes at length. "
    "The council approved the budget in 1998. "
    "The council approved the budget by seven votes. "
    "Schools will get more money."
)


@pytest.fixture(scope="module")
def svc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    """One library on a SQLite file for the module (loading the language tools is the slow part);
    every test works in chats of its own, so none sees another's articles."""
    built = make_services(tmp_path_factory.mktemp("answerer"))
    yield built
    built.close()


_chats = itertools.count(1)


@pytest.fixture
def chat() -> int:
    return next(_chats)


@pytest.fixture
def other_chat() -> int:
    return next(_chats)


def texts(answer: Answer) -> list[str]:
    return [sentence.text for sentence in answer.sentences]


def marked_words(answer: Answer) -> list[set[str]]:
    return [{s.text[a:b].lower() for a, b in s.marks} for s in answer.sentences]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Who cut the ribbon?", "Mayor Alice Tran cut the ribbon before a large crowd."),
        ("How much did the bridge cost?", "The bridge cost four hundred million dollars to build."),
        ("When was the railway line finished?", "The line was finished in 1912 after a long strike."),
        ("What closes the upper station?", "Snow closes the upper station in winter."),
        ("steel towers", "Engineers spent six years on the steel towers of the bridge."),
    ],
)
def test_a_clear_question_gets_its_sentence_first(svc: Services, chat: int, question: str, expected: str) -> None:
    bridge = svc.library.ingest_text(chat, BRIDGE).article
    railway = svc.library.ingest_text(chat, RAILWAY).article
    answer = svc.library.ask(chat, question)
    assert answer.question == question
    assert answer.sentences[0].text == expected
    owner = bridge if expected in BRIDGE else railway
    assert answer.sentences[0].article_number == owner.number
    assert answer.sentences[0].article_title == owner.title
    assert answer.sentences[0].article_id == owner.id


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Who approved the budget?", "The council approved the budget after Mayor Tran spoke."),
        ("When was the budget approved?", "The council approved the budget in 1998."),
        ("In what year was the budget approved?", "The council approved the budget in 1998."),
    ],
)
def test_the_answer_type_decides_between_equal_matches(svc: Services, chat: int, question: str,
                                                       expected: str) -> None:
    svc.library.ingest_text(chat, BUDGET)
    answer = svc.library.ask(chat, question)
    assert len(answer.sentences) == 3
    assert answer.sentences[0].text == expected


@pytest.mark.parametrize("top", [1, 2, 3, 4])
def test_top_limits_the_sentences(svc: Services, chat: int, top: int) -> None:
    svc.library.ingest_text(chat, BRIDGE)
    answer = svc.library.ask(chat, "bridge", top=top)
    # Four sentences mention a bridge (one as "bridges").
    assert len(answer.sentences) == top
    assert all("bridge" in text.lower() for text in texts(answer))
    scores = [sentence.score for sentence in answer.sentences]
    assert scores == sorted(scores, reverse=True)


def test_top_beyond_the_matches_gives_only_the_matches(svc: Services, chat: int) -> None:
    svc.library.ingest_text(chat, BRIDGE)
    assert len(svc.library.ask(chat, "bridge", top=50).sentences) == 4


def test_an_article_can_be_the_only_source(svc: Services, chat: int) -> None:
    bridge = svc.library.ingest_text(chat, BRIDGE).article
    railway = svc.library.ingest_text(chat, RAILWAY).article
    question = "mayor railway"
    both = svc.library.ask(chat, question, top=5)
    assert {s.article_number for s in both.sentences} == {bridge.number, railway.number}

    only_bridge = svc.library.ask(chat, question, top=5, article_number=bridge.number)
    assert only_bridge.sentences and {s.article_id for s in only_bridge.sentences} == {bridge.id}

    answerer = Answerer(svc.store, svc.languages)
    only_railway = answerer.ask(chat, question, top=5, article_id=railway.id)
    assert only_railway.sentences and {s.article_id for s in only_railway.sentences} == {railway.id}


def test_one_chat_never_sees_another_chats_sentences(svc: Services, chat: int, other_chat: int) -> None:
    svc.library.ingest_text(chat, BRIDGE)
    svc.library.ingest_text(other_chat, RAILWAY)
    assert svc.library.ask(other_chat, "Who cut the ribbon at the harbor bridge?").sentences == ()
    assert all(s.article_title == "Mountain Railway" for s in svc.library.ask(other_chat, "bridge railway").sentences)
    assert svc.library.ask(chat, "When was the railway line finished?").sentences == ()
    # Nor through the answerer with another chat's article id.
    railway_id = svc.library.list(other_chat)[0][0].id
    answerer = Answerer(svc.store, svc.languages)
    assert answerer.ask(chat, "railway line", article_id=railway_id).sentences == ()


def test_the_preferred_article_wins_a_tie(svc: Services, chat: int) -> None:
    cats = svc.library.ingest_text(chat, "Cats\n\nThe red fox jumps high. Nothing else here. Still nothing.")
    dogs = svc.library.ingest_text(chat, "Dogs\n\nThe red fox jumps high! Something different. Quite so.")
    answerer = Answerer(svc.store, svc.languages)
    for preferred in (cats.article.number, dogs.article.number, cats.article.number):
        answer = answerer.ask(chat, "red fox jumps", prefer_article=preferred)
        assert [s.article_number for s in answer.sentences][:1] == [preferred]
        assert len(answer.sentences) == 2


def test_the_preferred_article_wins_only_ties(svc: Services, chat: int) -> None:
    svc.library.ingest_text(chat, RAILWAY)
    museum = svc.library.ingest_text(
        chat, "Railway Museum\n\nThe railway museum opens on Sundays. Children love the old engines. Entry is free."
    ).article
    answerer = Answerer(svc.store, svc.languages)
    answer = answerer.ask(chat, "When was the railway line finished?", prefer_article=museum.number)
    # The museum matches "railway" only: being talked about does not lift it over the real answer.
    assert answer.sentences[0].text == "The line was finished in 1912 after a long strike."
    assert museum.number in [s.article_number for s in answer.sentences[1:]]


@pytest.mark.parametrize("question", ["Who is it?", "What was it?", "?", "how did they do it"])
def test_a_question_without_searchable_words_finds_nothing(svc: Services, chat: int, question: str) -> None:
    svc.library.ingest_text(chat, BRIDGE)
    answer = svc.library.ask(chat, question)
    assert answer.keywords == ()
    assert answer.sentences == ()


@pytest.mark.parametrize("question", ["penguins glaciers", "What about penguins and glaciers?", "zxqv"])
def test_unknown_words_find_nothing(svc: Services, chat: int, question: str) -> None:
    svc.library.ingest_text(chat, BRIDGE)
    svc.library.ingest_text(chat, RAILWAY)
    answer = svc.library.ask(chat, question)
    assert answer.keywords  # the words were understood, just not found
    assert answer.sentences == ()


def test_keywords_are_the_questions_words_as_written(svc: Services, chat: int) -> None:
    svc.library.ingest_text(chat, BRIDGE)
    answer = svc.library.ask(chat, "Who cut the Ribbon near the harbor bridges?")
    assert "Ribbon" in answer.keywords and "bridges" in answer.keywords and "harbor" in answer.keywords
    assert not {"Who", "the"} & set(answer.keywords)


def test_marks_cover_the_matched_words(svc: Services, chat: int) -> None:
    svc.library.ingest_text(chat, BRIDGE)
    answer = svc.library.ask(chat, "harbor bridges", top=4)
    # Both sentences holding both words come first (in either order), each with its own forms marked.
    assert sorted(sorted(words) for words in marked_words(answer)[:2]) == [["bridge", "harbor"], ["bridges", "harbor"]]
    for sentence in answer.sentences:
        assert sentence.marks == tuple(sorted(sentence.marks))
        for start, end in sentence.marks:
            assert sentence.text[start:end].lower() in {"harbor", "bridge", "bridges"}
            # Whole words: the mark neither starts nor ends inside a word.
            assert start == 0 or not sentence.text[start - 1].isalnum()
            assert end == len(sentence.text) or not sentence.text[end].isalnum()


def test_marks_never_cover_words_the_question_did_not_ask(svc: Services, chat: int) -> None:
    svc.library.ingest_text(chat, BRIDGE)
    answer = svc.library.ask(chat, "ribbon", top=3)
    assert marked_words(answer) == [{"ribbon"}]


def test_a_repeated_sentence_is_shown_once(svc: Services, chat: int) -> None:
    svc.library.ingest_text(chat, "Comet Watch\n\nThe comet returns every seventy years. "
                                  "Astronomers in Chile saw it first. Its tail was blue.")
    svc.library.ingest_text(chat, "Sky Notes\n\nAmateurs photographed the comet from rooftops. "
                                  "The comet returns every seventy years. Clouds hid it in the north.")
    answer = svc.library.ask(chat, "comet returns", top=2)
    assert texts(answer).count("The comet returns every seventy years.") == 1
    # The slot the repeat would have taken goes to the next sentence.
    assert "Amateurs photographed the comet from rooftops." in texts(answer)


@pytest.mark.parametrize(
    ("question", "before"),
    [
        ("When was the railway line finished?", "Tourists ride the red trains every summer."),
        ("Tourists ride red trains", "A mountain railway climbs to the old monastery."),
        # The first sentence has nothing before it (the title is not context).
        ("monastery climbs", None),
    ],
)
def test_context_gives_the_sentence_before(svc: Services, chat: int, question: str, before: str | None) -> None:
    svc.library.ingest_text(chat, RAILWAY)
    answer = svc.library.ask(chat, question, top=1, context=True)
    assert answer.sentences[0].context == before
    assert svc.library.ask(chat, question, top=1).sentences[0].context is None


def test_one_common_word_of_a_long_question_is_only_a_weak_answer(svc: Services, chat: int) -> None:
    svc.library.ingest_text(chat, BRIDGE)
    question = "Which penguin colonies near the harbor saw glaciers?"
    # Below the coverage floor the sentences still come (never fewer than asked for), marked weak.
    strict = Answerer(svc.store, svc.languages).ask(chat, question)
    assert strict.sentences and all(sentence.weak for sentence in strict.sentences)
    assert all("harbor" in text for text in texts(strict))
    lenient = Answerer(svc.store, svc.languages, RankingWeights(min_coverage=0.0)).ask(chat, question)
    assert lenient.sentences and not any(sentence.weak for sentence in lenient.sentences)


LIGHTHOUSE = (
    "Harbor Town\n\n"
    "The old lighthouse of Port Ellen stands on the rocks. "
    "It first shone across the bay in 1832, when the harbor still served the whaling fleet of the north. "
    "Fishing boats leave the harbor every morning. "
    "A comet first shone across the bay in 1910. "
    "Its tail was seen in many towns."
)


def test_the_sentence_before_lends_the_question_terms_a_sentence_refers_back_to(svc: Services, chat: int) -> None:
    svc.library.ingest_text(chat, LIGHTHOUSE)
    question = "When did the lighthouse of Port Ellen first shine across the bay?"
    answer = "It first shone across the bay in 1832, when the harbor still served the whaling fleet of the north."
    comet = "A comet first shone across the bay in 1910."
    # Both match "first ... across the bay"; only the lighthouse's "It" follows the sentence naming it.
    with_context = texts(Answerer(svc.store, svc.languages).ask(chat, question))
    assert with_context.index(answer) < with_context.index(comet)
    without = texts(Answerer(svc.store, svc.languages, RankingWeights(context=0.0)).ask(chat, question))
    assert without.index(comet) < without.index(answer)


CRAFTS = (
    "Island Crafts\n\n"
    "The glass works of Murano employ four hundred people. "
    "Visitors watch the glassblowers every day. "
    "Its furnaces were rebuilt by the owners in 1920."
)
BAKERY = (
    "Old Bakery\n\n"
    "Its furnaces were rebuilt by the owners in 1930. "
    "Bread is sold there every morning. "
    "The queue is long on Sundays."
)


def test_the_article_holding_the_other_question_terms_wins_between_lookalikes(svc: Services, chat: int) -> None:
    svc.library.ingest_text(chat, CRAFTS)
    bakery = svc.library.ingest_text(chat, BAKERY).article
    question = "In what year were the furnaces of the Murano glass works rebuilt by the owners?"
    # The two sentences match alike; only the first article (and paragraph) also speaks of Murano's glass works.
    ask = Answerer(svc.store, svc.languages).ask(chat, question, prefer_article=bakery.number)
    assert texts(ask)[0] == "Its furnaces were rebuilt by the owners in 1920."
    alike = Answerer(svc.store, svc.languages, RankingWeights(article=0.0, paragraph=0.0, paragraph_context=0.0)).ask(
        chat, question, prefer_article=bakery.number)
    assert texts(alike)[0] == "Its furnaces were rebuilt by the owners in 1930."
    assert alike.sentences[0].score == alike.sentences[1].score


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Who visited Israel?", "name"),
        ("whom did he meet", "name"),
        ("Whose plan was it?", "name"),
        ("And who paid for it?", "name"),
        ("When did the war start?", "time"),
        ("  when was it built", "time"),
        ("In which year was the bridge opened?", "time"),
        ("What date is the vote?", "time"),
        ("How many ships left Odesa?", "number"),
        ("How much did it cost?", "number"),
        ("How old is the minister?", "number"),
        ("What percentage voted yes?", "number"),
        ("How many people, and who, came?", "number"),
        ("What did Moscow block?", None),
        ("Where is the bridge?", None),
        ("Why did prices fall?", None),
        ("How did they build it?", None),
        ("Somewhen the whole town came", None),
    ],
)
def test_answer_type(question: str, kind: str | None) -> None:
    assert answer_type(question) == kind


@pytest.mark.parametrize(
    ("kind", "text", "holds"),
    [
        ("number", "Ships carried 40,000 tonnes of wheat.", True),
        ("number", "Seven ships left the port.", True),
        ("number", "Prices fell by a few percent.", True),
        ("number", "Ships left the port at dawn.", False),
        ("time", "The line was finished in 1912.", True),
        ("time", "It opened in the 1990s.", True),
        ("time", "The vote is in november.", True),
        ("time", "The vote is next week.", False),
        ("time", "The engine has 1234567 parts.", False),
        ("name", "The treaty was signed by Alice Tran.", True),
        ("name", "Somebody signed the treaty.", False),
        ("name", "Israel signed the treaty.", False),  # a capital at the start of a sentence is no name
        (None, "Alice Tran signed it in 1998.", False),
    ],
)
def test_holds_answer_type(kind: str | None, text: str, holds: bool) -> None:
    assert holds_answer_type(kind, text, "Who signed the treaty?") is holds


def test_a_name_the_question_already_gives_is_not_the_answer() -> None:
    text = "The minister met Reznikov in Israel."
    assert holds_answer_type("name", text, "Who met Reznikov in Israel?") is False
    assert holds_answer_type("name", text, "Who met the minister?") is True


def test_a_number_or_year_the_question_already_gives_is_not_the_answer() -> None:
    text = "In July 2015 the president visited Kenya."
    assert holds_answer_type("number", text, "How many interceptions did the Panthers have in 2015?") is False
    assert holds_answer_type("number", text, "How many times did the president visit Kenya?") is True
    assert holds_answer_type("time", text, "In which month of 2015 did he visit?") is True  # July
    assert holds_answer_type("time", "It opened in 1998.", "What opened in 1998, and when?") is False


POETS = (
    "Poets of the Harbor\n\n"
    "The young poet wrote letters. "
    "The anarchist poet wrote long verses about the old harbor and its ships. "
    "Both lived by the sea for twenty years."
)


def test_letter_grams_join_word_forms_the_stemmer_leaves_apart(svc: Services, chat: int) -> None:
    svc.library.ingest_text(chat, POETS)
    question = "Which poet wrote about anarchy?"
    # "anarchy" and "anarchist" are two stems: only their letters meet.
    assert texts(Answerer(svc.store, svc.languages).ask(chat, question))[0].startswith("The anarchist poet")
    # Without them the shorter sentence wins.
    blind = Answerer(svc.store, svc.languages, RankingWeights(grams=0.0)).ask(chat, question)
    assert texts(blind)[0] == "The young poet wrote letters."


KEEPERS = (
    "Two Keepers\n\n"
    "The Port Ellen lighthouse stands on the cliff. It was built of granite. "
    "Its keeper lit the lamp every night in 1832.\n\n"
    "The old mill stands by the river. It was built of oak. "
    "Its keeper lit the lamp every night in 1900."
)


def test_a_sentence_whose_paragraph_names_the_question_terms_wins(svc: Services, chat: int) -> None:
    svc.library.ingest_text(chat, KEEPERS)
    question = "When did the keeper of the Port Ellen lighthouse light the lamp?"
    # The two keepers' sentences match alike; the first one's paragraph names the lighthouse
    # (two sentences before: not the sentence before, which names nothing the question asks).
    found = texts(Answerer(svc.store, svc.languages).ask(chat, question, top=5))
    assert found.index("Its keeper lit the lamp every night in 1832.") < found.index(
        "Its keeper lit the lamp every night in 1900.")
    blind = Answerer(svc.store, svc.languages, RankingWeights(paragraph=0.0, paragraph_context=0.0)).ask(
        chat, question, top=5)
    tied = [s for s in blind.sentences if s.text.startswith("Its keeper")]
    assert len(tied) == 2 and tied[0].score == tied[1].score


def test_the_score_is_the_weighted_sum_of_the_signals_the_bench_fits() -> None:
    """`RankingWeights.score` is written out for speed; bench/reweighing.py fits the same sum over SCORED."""
    from bot.answers.ranking import SCORED, Signals

    signals = Signals(bm25=2.5, coverage=0.5, term_share=0.75, title=0.25, article=3.0, answer_type=True,
                      stem_pairs=2, proximity=0.5, word_pairs=1, context=1.5, paragraph=4.0,
                      paragraph_context=1.0, grams=0.4, query_terms=4)
    weights = RankingWeights()
    assert set(SCORED) == set(Signals._fields) - {"query_terms"}
    assert weights.score(signals) == pytest.approx(sum(getattr(weights, name) * float(getattr(signals, name))
                                                       for name in SCORED))
