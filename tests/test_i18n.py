"""The catalogs: complete, faithful to their placeholders and tags, compiled, and chosen by language tag.

A failure here names the message ids to fix. After wrapping a new text, run
`scripts/update-catalogs`, translate the new entries of each .po, and run it again to compile.
"""

from __future__ import annotations

import gettext
import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.conversation.commands import COMMANDS, DESCRIPTION, SHORT_DESCRIPTION, menu
from bot.conversation.replies import Reply
from bot.i18n import DEFAULT_LANGUAGE, LANGUAGES, Catalogs, Grouped, Text, lazy, lazy_plural, normalize
from handlers.render import MESSAGE_LIMIT, render, utf16_len
from tests.helpers import make_services, seed_article

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "bot" / "locales"
TRANSLATED = [code for code in LANGUAGES if code != DEFAULT_LANGUAGE]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
TAG = re.compile(r"</?[a-z]+>")
KEYWORDS = {"gettext": None, "ngettext": (1, 2), "lazy": None, "lazy_plural": (1, 2)}


def po_catalog(code: str):  # -> babel Catalog
    with (LOCALES / code / "LC_MESSAGES" / "briefbot.po").open("rb") as file:
        return read_po(file, locale=code)


def code_message_ids() -> set[str]:
    """Every message id the code marks (what `pybabel extract` finds), singular ids of plurals."""
    found: set[str] = set()
    for folder in ("bot", "handlers"):
        for _file, _line, message, _comments, _context in extract_from_dir(
                ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS):
            found.add(message[0] if isinstance(message, tuple) else message)
    return found


@pytest.fixture(scope="module")
def marked_ids() -> set[str]:
    """Extracted once for the module: scanning the code takes a second."""
    return code_message_ids()


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_of_the_code_is_translated(code: str, marked_ids: set[str]) -> None:
    catalog = po_catalog(code)
    translated = {message.id[0] if isinstance(message.id, tuple) else message.id
                  for message in catalog if message.id and message.string and all(message.string)
                  and not message.fuzzy}
    missing = sorted(marked_ids - translated)
    assert not missing, (f"{code}: {len(missing)} message id(s) lack a translation (run scripts/update-catalogs, "
                         f"then translate them in bot/locales/{code}/LC_MESSAGES/briefbot.po):\n"
                         + "\n".join(f"  {msgid!r}" for msgid in missing))


def test_the_code_marks_the_texts_this_test_knows(marked_ids: set[str]) -> None:
    """The extraction above really sees the code's texts (a wrong keyword list would find none)."""
    ids = marked_ids
    assert {"Saved as #%(number)s", "That link is malformed.", "What I do"} <= ids
    assert "%(count)s sentence" in ids


@pytest.mark.parametrize("code", TRANSLATED)
def test_translations_keep_placeholders_and_tags(code: str) -> None:
    wrong = []
    for message in po_catalog(code):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected_names = set().union(*(PLACEHOLDER.findall(msgid) for msgid in ids))
        expected_tags = sorted(TAG.findall(ids[0]))
        for string in strings:
            names = set(PLACEHOLDER.findall(string))
            # A plural form may leave out the number only where English does (never, here).
            if names != expected_names or sorted(TAG.findall(string)) != expected_tags:
                wrong.append(f"  {ids[0]!r} -> {string!r}")
            if re.search(r"%(?!\(\w+\)[sd]|%)", string):
                wrong.append(f"  {ids[0]!r} -> {string!r} (a bare %)")
    assert not wrong, f"{code}: translations that drop or add a placeholder or tag:\n" + "\n".join(wrong)


@pytest.mark.parametrize("code", TRANSLATED)
def test_compiled_catalogs_match_their_po_files(code: str) -> None:
    """The .mo the package loads says what the .po says (scripts/update-catalogs compiles them)."""
    folder = LOCALES / code / "LC_MESSAGES"
    compiled = gettext.GNUTranslations(io.BytesIO((folder / "briefbot.mo").read_bytes()))
    stale = []
    for message in po_catalog(code):
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            for index, form in enumerate(message.string):
                if compiled._catalog.get((message.id[0], index)) != form:  # type: ignore[attr-defined]
                    stale.append(message.id[0])
        elif compiled.gettext(message.id) != message.string:
            stale.append(message.id)
    assert not stale, f"{code}: briefbot.mo is older than briefbot.po (run scripts/update-catalogs): {stale[:5]}"


@pytest.mark.parametrize(("tag", "expected"), [
    ("ru", "ru"), ("pt-BR", "pt"), ("pt_PT", "pt"), ("de-AT", "de"), ("uk", "uk"), ("EN-us", "en"),
    ("ru_RU.UTF-8", "ru"), ("zz", None), ("", None), (None, None), ("C.UTF-8", None),
])
def test_language_tags_are_normalized(tag: str | None, expected: str | None) -> None:
    assert normalize(tag) == expected


def test_choice_falls_back_in_order() -> None:
    catalogs = Catalogs.load()
    assert catalogs.choose("de", "ru").code == "de"  # the chat's choice wins over the user's language
    assert catalogs.choose(None, "pt-BR").code == "pt"
    assert catalogs.choose(None, "zz").code == "en"
    assert catalogs.choose().code == "en"


@pytest.mark.parametrize(("count", "form"), [(1, "1 статья"), (3, "3 статьи"), (5, "5 статей"), (21, "21 статья"),
                                             (12, "12 статей")])
def test_russian_plural_forms(count: int, form: str) -> None:
    ru = Catalogs.load().get("ru")
    text = ru.ngettext("Done: your library is empty (%(count)s article deleted).",
                       "Done: your library is empty (%(count)s articles deleted).", count, count=count)
    assert form in text


def test_lazy_texts_render_in_any_language_and_nest() -> None:
    catalogs = Catalogs.load()
    message = lazy("'%(text)s' is not %(expected)s.", text="x", expected=lazy("an article number"))
    assert str(message) == "'x' is not an article number."
    russian = catalogs.get("ru").render(message)
    assert "x" in russian and catalogs.get("ru").gettext("an article number") in russian
    plural = lazy_plural("%(count)s sentence", "%(count)s sentences", 2, count=2)
    assert isinstance(plural, Text) and str(plural) == "2 sentences"
    assert catalogs.get("de").render(plural) == "2 Sätze"


def test_grouped_counts_follow_the_readers_digit_grouping() -> None:
    catalogs = Catalogs.load(("de", "ru"))
    message = lazy("%(count)s entries", count=Grouped(10000))
    assert str(message) == "10,000 entries"
    # German groups with a full stop, Russian with a (no-break) space: Babel's locale data, not a table.
    assert catalogs.get("de").render(message).startswith("10.000")
    assert catalogs.get("ru").render(message).replace("\u00a0", " ") == "10 000 entries"


def test_language_names_come_from_babel() -> None:
    catalogs = Catalogs.load()
    assert catalogs.get("en").language_name("ru") == "Russian"
    assert catalogs.get("ru").language_name("en") == "английский"
    assert catalogs.get("de").language_name("de") == "Deutsch"
    assert catalogs.get("fr").language_name("xx") is None


@pytest.mark.parametrize("code", LANGUAGES)
def test_command_menu_and_profile_fit_telegram(code: str) -> None:
    tr = Catalogs.load().get(code)
    entries = menu(tr)
    assert [name for name, _ in entries] == [command.name for command in COMMANDS]
    assert all(1 <= len(description) <= 256 for _, description in entries)
    assert len(tr.render(DESCRIPTION)) <= 512
    assert len(tr.render(SHORT_DESCRIPTION)) <= 120
    if code != DEFAULT_LANGUAGE:  # translated, not English left in place
        assert tr.render(DESCRIPTION) != str(DESCRIPTION)


async def replies_in(tmp_path: Path, code: str) -> list[Reply]:
    """A chat's worth of replies in one language: a summary, every command, buttons, errors."""
    services = make_services(tmp_path)
    conversation = services.conversation
    tr = conversation.catalogs.get(code)
    try:
        replies = list(await conversation.handle_message(1, seed_article(), tr=tr))
        for command, args in [("help", ""), ("start", ""), ("settings", ""), ("list", ""), ("open", "1"),
                              ("summary", "1 50"), ("search", "Israel drones"), ("language", ""), ("export", ""),
                              ("brief", ""), ("brief", "7d 40s"), ("brief", "Israel"), ("brief", "9y"),
                              ("brief", "1 2"), ("feeds", ""), ("timezone", ""), ("timezone", "Europe/Kyiv"),
                              ("brief", "at 08:00"), ("feeds", ""), ("brief", "off"), ("unfollow", "3"),
                              ("follow", ""), ("timezone", "Mars/Olympus"),
                              ("forget", ""), ("brief", ""), ("ask", ""), ("summary", "nonsense"),
                              ("open", "99"),
                              ("list", "x" * 200), ("settings", "sentences 99"), ("nosuch", ""),
                              ("language", "zz")]:
            replies += await conversation.handle_command(1, command, args, tr=tr)
        replies += await conversation.handle_message(1, "Who visited Israel?", tr=tr)
        replies += await conversation.handle_message(1, "quantum chromodynamics?", tr=tr)
        replies += await conversation.handle_message(1, "ftp://example.org/x", tr=tr)
        replies += await conversation.handle_message(1, "Short. Text.", tr=tr)
        for row in replies[0].buttons:
            for button in row:
                result = await conversation.handle_action(1, button.action, tr=tr)
                if result.reply is not None:
                    replies.append(result.reply)
        return replies
    finally:
        services.close()


@pytest.mark.parametrize("code", LANGUAGES)
async def test_every_reply_fits_one_telegram_message_in_every_language(tmp_path: Path, code: str) -> None:
    replies = await replies_in(tmp_path, code)
    assert len(replies) > 25
    for reply in replies:
        for part in render(reply):
            assert utf16_len(part.html) <= MESSAGE_LIMIT, (code, reply.plain[:80])
    # /help (the longest text Briefbot writes itself) stays one message in every language.
    help_reply = replies[1]
    assert len(render(help_reply)) == 1


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_translation_fits_a_message_with_long_values(code: str) -> None:
    """Each catalog text, its values at their longest (excerpts are cut to 60 characters), is one message."""
    tr = Catalogs.load().get(code)
    value = "ж" * 60
    for message in po_catalog(code):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            filled = string % {name: value for name in PLACEHOLDER.findall(string)}
            assert utf16_len(filled) <= MESSAGE_LIMIT, (code, message.id)
    assert tr.code == code
