from __future__ import annotations

import pytest

from bot.conversation.actions import DeleteArticle, SetLanguage, decode_action, encode_action
from bot.conversation.messages import find_urls, looks_like_question, parse_summary_args
from bot.errors import InputError
from bot.services import Services
from tests.helpers import seed_article


async def test_article_then_summary_with_buttons(services: Services) -> None:
    [reply] = await services.conversation.handle_message(1, seed_article())
    assert not reply.error
    assert reply.plain.startswith("Saved as #1 Russia Closely Monitoring")
    assert "English · 23 sentences" in reply.plain
    actions = [button.action for row in reply.buttons for button in row]
    assert all(len(encode_action(action).encode()) <= 64 for action in actions)
    assert any(isinstance(action, DeleteArticle) for action in actions)
    assert reply.article_number == 1


async def test_question_is_answered_with_marks_and_source(services: Services) -> None:
    await services.conversation.handle_message(1, seed_article())
    [reply] = await services.conversation.handle_message(1, "Who visited Israel?")
    assert "Reznikov" in reply.plain
    assert "— #1 Russia Closely Monitoring" in reply.plain
    marked = {span.text for block in reply.blocks for span in block.spans if span.style == "mark"}
    assert "Israel" in marked


async def test_short_phrase_is_a_question(services: Services) -> None:
    await services.conversation.handle_message(1, seed_article())
    [reply] = await services.conversation.handle_message(1, "drone manufacturer")
    assert "Aeronautics" in reply.plain


async def test_nothing_found_reply(services: Services) -> None:
    await services.conversation.handle_message(1, seed_article())
    [reply] = await services.conversation.handle_message(1, "penguins?")
    assert reply.plain == "I found nothing about penguins in your library."


async def test_weak_answers_come_under_also_mentioned(services: Services) -> None:
    from bot.conversation.rendering import ALSO_MENTIONED

    services.library.ingest_text(1, "Grain Corridor Reopens\n\n"
                                    "Ukraine reopened the grain corridor in the Black Sea on Tuesday. "
                                    "Ships carrying wheat left Odesa under naval escort. "
                                    "Farmers welcomed the news after months of losses. "
                                    "Prices of wheat in Europe fell by three percent.")
    [reply] = await services.conversation.handle_message(1, "Why did wheat prices fall in Europe after storms?")
    plain = [block.plain for block in reply.blocks]
    heading = plain.index(str(ALSO_MENTIONED))
    # The best (strong) answer first (after its context sentence), the weak one only under the heading.
    assert "Prices of wheat in Europe fell" in plain[0]
    assert any("Ships carrying wheat" in text for text in plain[heading + 1:])
    assert not any("Ships carrying wheat" in text for text in plain[:heading])


def test_a_weak_best_answer_still_comes_first() -> None:
    from bot.answers.answerer import Answer, AnswerSentence
    from bot.conversation.rendering import ALSO_MENTIONED, render_answer
    from bot.i18n import Catalogs

    english, russian = Catalogs.load(("ru",)).get("en"), Catalogs.load(("ru",)).get("ru")

    def sentence(text: str, weak: bool) -> AnswerSentence:
        return AnswerSentence(1, 1, "Grain", 0, text, 1.0, (), weak=weak)

    only_weak = render_answer(english, Answer("q", ("wheat",), (sentence("First.", True), sentence("Second.", True))))
    assert [block.plain for block in only_weak.blocks if block.kind == "quote"] == ["First.", "Second."]
    plain = [block.plain for block in only_weak.blocks]
    assert plain.index("First.") < plain.index(str(ALSO_MENTIONED)) < plain.index("Second.")
    strong = render_answer(english, Answer("q", ("wheat",), (sentence("First.", False), sentence("Second.", False))))
    assert str(ALSO_MENTIONED) not in [block.plain for block in strong.blocks]
    # The heading speaks the reader's language; the sentences stay as the article has them.
    in_russian = render_answer(russian, Answer("q", ("wheat",), (sentence("First.", True), sentence("Second.", True))))
    heading = russian.render(ALSO_MENTIONED)
    assert heading != str(ALSO_MENTIONED)
    assert [block.plain for block in in_russian.blocks].index(heading) == plain.index(str(ALSO_MENTIONED))


async def test_question_before_any_article(services: Services) -> None:
    [reply] = await services.conversation.handle_message(1, "Who visited Israel?")
    assert reply.error and "empty" in reply.plain


@pytest.mark.parametrize(
    ("command", "args", "expected"),
    [
        ("help", "", "/summary"),
        ("start", "", "I keep the articles"),
        ("list", "", "Your articles (1)"),
        ("summary", "", "#1 Russia"),
        ("summary", "1 5 lexrank", "lexrank, 5 sentences"),
        ("summary", "9", "There is no article #9"),
        ("summary", "1 2 bogus", "I don't understand 'bogus'"),
        ("ask", "Who visited Israel?", "Reznikov"),
        ("ask", "", "Ask like this"),
        ("search", "Moscow", "Search: Moscow"),
        ("open", "1", "Kremlin keeps a tab"),
        ("open", "x", "not an article number"),
        ("delete", "5", "There is no article #5"),
        ("settings", "algorithm lsa", "algorithm: lsa"),
        ("settings", "sentences 4", "sentences: 4"),
        ("settings", "colour red", "Use /settings"),
        ("forget", "", "Delete your whole library?"),
        ("nonsense", "", "I don't know /nonsense"),
    ],
)
async def test_commands(services: Services, command: str, args: str, expected: str) -> None:
    await services.conversation.handle_message(1, seed_article())
    replies = await services.conversation.handle_command(1, command, args)
    assert expected in replies[0].plain


async def test_export_sends_a_markdown_file(services: Services) -> None:
    await services.conversation.handle_message(1, seed_article())
    [reply] = await services.conversation.handle_command(1, "export")
    [(name, content)] = reply.files
    assert name.endswith(".md") and b"Reznikov" in content


async def test_buttons_change_the_summary_and_delete(services: Services) -> None:
    [reply] = await services.conversation.handle_message(1, seed_article())
    actions = {button.label: button.action for row in reply.buttons for button in row}
    longer = await services.conversation.handle_action(1, actions["➕ Longer"])
    assert longer.reply is not None and "4 sentences" in longer.reply.plain
    menu = await services.conversation.handle_action(1, actions["Algorithm…"])
    assert menu.reply is not None
    lexrank = next(b.action for row in menu.reply.buttons for b in row if b.label == "lexrank")
    switched = await services.conversation.handle_action(1, lexrank)
    assert switched.reply is not None and "lexrank" in switched.reply.plain
    # Another chat pressing this chat's button gets nothing.
    foreign = await services.conversation.handle_action(2, actions["🗑 Delete"])
    assert foreign.notice == "That article is no longer available." and foreign.reply is None
    deleted = await services.conversation.handle_action(1, actions["🗑 Delete"])
    assert deleted.reply is not None and "Deleted #1" in deleted.reply.plain
    again = await services.conversation.handle_action(1, actions["➕ Longer"])
    assert again.notice == "That article is no longer available."
    garbage = await services.conversation.handle_action(1, "zz:1:2")
    assert garbage.notice


async def test_forget_needs_confirmation(services: Services) -> None:
    await services.conversation.handle_message(1, seed_article())
    [reply] = await services.conversation.handle_command(1, "forget")
    confirm = reply.buttons[0][0].action
    result = await services.conversation.handle_action(1, confirm)
    assert result.reply is not None and "1 article deleted" in result.reply.plain
    [listing] = await services.conversation.handle_command(1, "list")
    assert "empty" in listing.plain


@pytest.mark.parametrize(
    ("text", "error"),
    [("", "Send me"), ("\x00\x01\x02\x03" * 300, "binary"), ("word " * 600, "sentence punctuation")],
)
async def test_bad_messages_get_a_short_reason(services: Services, text: str, error: str) -> None:
    [reply] = await services.conversation.handle_message(1, text)
    assert reply.error and error in reply.plain and len(reply.plain) < 200


async def test_links_are_recognised_without_a_fetcher(services: Services) -> None:
    [reply] = await services.conversation.handle_message(1, "look https://example.com/news?id=1.")
    assert "https://example.com/news?id=1" in reply.plain


def test_find_urls() -> None:
    assert find_urls("see https://a.example/x, and www.b.example/y.") == ["https://a.example/x", "https://www.b.example/y"]


@pytest.mark.parametrize(
    ("text", "question"), [("Who visited Israel", True), ("drone deal?", True), ("drone deal", False)]
)
def test_looks_like_question(text: str, question: bool) -> None:
    assert looks_like_question(text) is question


def test_parse_summary_args() -> None:
    assert parse_summary_args("") == (None, None, None)
    assert parse_summary_args("#2 5 LSA") == (2, 5, "lsa")
    with pytest.raises(InputError):
        parse_summary_args("two")


HUGE = "99999999999999999999999"


@pytest.mark.parametrize(
    ("command", "args", "expected"),
    [
        ("open", HUGE, f"'{HUGE}' is not an article number. /list shows the numbers."),
        ("delete", HUGE, f"'{HUGE}' is not an article number. /list shows the numbers."),
        ("open", "²", "'²' is not an article number."),
        ("summary", HUGE, f"'{HUGE}' is not an article number."),
        ("summary", f"1 {HUGE}", f"'{HUGE}' is not a summary length: use 1 to 50."),
        ("list", HUGE, f"'{HUGE}' is not a page number: use 1 to 1000000."),
        ("list", "x", "'x' is not a page number"),
        ("settings", f"sentences {HUGE}", f"'{HUGE}' is not a summary length: use 0 to 50."),
        ("settings", "sentences many", "'many' is not a summary length."),
    ],
)
async def test_numbers_past_64_bits_get_a_clear_reply(services: Services, command: str, args: str,
                                                      expected: str) -> None:
    await services.conversation.handle_message(1, seed_article())
    [reply] = await services.conversation.handle_command(1, command, args)
    assert reply.error and expected in reply.plain


async def test_list_past_the_last_page_still_answers(services: Services) -> None:
    await services.conversation.handle_message(1, seed_article())
    [reply] = await services.conversation.handle_command(1, "list", "1000000")
    assert "Your articles (1)" in reply.plain
    result = await services.conversation.handle_action(1, f"l:{2**63 - 1}")
    assert result.reply is not None and "Your articles (1)" in result.reply.plain


@pytest.mark.parametrize(
    "data",
    [
        "d:abc", "o:1x", "s:x:3:", "a:1:y", "l:-1", "d:", "d:1:2", "s:1:3:bogus",
        f"d:{2**63}", f"o:{HUGE}", f"s:{HUGE}:3:", f"a:1:{HUGE}", "l:" + "9" * 5000,
        "o:" + "1" * 70, "d:1" + " " * 64, "é" * 40, "x:1", "forget:1", "", "d:١",
    ],
)
async def test_forged_button_data_is_a_stale_button(services: Services, data: str) -> None:
    await services.conversation.handle_message(1, seed_article())
    result = await services.conversation.handle_action(1, data)
    assert result.reply is None and result.notice == "That button is no longer available."
    [listing] = await services.conversation.handle_command(1, "list")
    assert "Your articles (1)" in listing.plain


ANIMALS = ("zebra okapi quagga tapir wombat narwhal axolotl pangolin lemur gibbon marmot ocelot "
           "caracal dugong tamarin jerboa ")
LONG = ANIMALS * 300


@pytest.mark.parametrize(
    ("kind", "name", "text"),
    [
        ("command", "open", LONG),
        ("command", "delete", "x" * 5000),
        ("command", "search", LONG),
        ("command", "ask", LONG),
        ("command", "summary", "1 2 " + "q" * 5000),
        ("command", "z" * 5000, ""),
        ("message", "", "Where are the " + ANIMALS.strip() + "?"),
    ],
)
async def test_user_text_is_quoted_back_as_a_short_excerpt(services: Services, kind: str, name: str,
                                                          text: str) -> None:
    await services.conversation.handle_message(1, seed_article())
    if kind == "command":
        [reply] = await services.conversation.handle_command(1, name, text)
    else:
        [reply] = await services.conversation.handle_message(1, text)
    assert len(reply.plain) < 300
    assert "…" in reply.plain


@pytest.mark.parametrize(
    "text",
    ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,<script>alert(1)</script>",
     "gopher://x", "ftp://x", "look at ftp://files.example/report.txt please", "JavaScript:void(0)"],
)
async def test_links_that_are_not_http_get_one_clear_line(services: Services, text: str) -> None:
    await services.conversation.handle_message(1, seed_article())
    replies = await services.conversation.handle_message(1, text)
    assert [reply.plain for reply in replies] == ["I can only read http and https links."]
    assert replies[0].error


@pytest.mark.parametrize("text", ["Note: the deal was signed", "at 10:30 Reznikov?"])
async def test_colons_are_not_links(services: Services, text: str) -> None:
    await services.conversation.handle_message(1, seed_article())
    [reply] = await services.conversation.handle_message(1, text)
    assert "http and https" not in reply.plain


@pytest.mark.parametrize(("data", "expected"), [
    ("g:de", SetLanguage("de")), ("g:", SetLanguage("")), ("g:zz", None), ("g:de:1", None), ("g:DE", None),
])
def test_language_buttons_decode(data: str, expected: SetLanguage | None) -> None:
    assert decode_action(data) == expected
    if expected is not None:
        assert encode_action(expected) == data


async def test_language_command_sets_and_resets_the_chat_language(services: Services) -> None:
    conversation = services.conversation
    [unknown] = await conversation.handle_command(1, "language", "klingon")
    assert unknown.error and "klingon" in unknown.plain
    assert services.library.chat_language(1) is None
    await conversation.handle_command(1, "language", "uk")
    assert (await conversation.translator_for(1, "de")).code == "uk"
    [reset] = await conversation.handle_command(1, "language", "auto", tr=conversation.catalogs.get("uk"))
    assert not reset.error
    assert (await conversation.translator_for(1, "de")).code == "de"
