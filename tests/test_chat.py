"""The terminal chat, piped, in-process on a real SQLite file."""

from __future__ import annotations

import asyncio
import io
import os
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.chat import group_lines, run_chat
from bot.services import build_services
from tests.helpers import data_file, make_settings, seed_article


def chat(tmp_path: Path, text: str) -> str:
    out = io.StringIO()
    assert run_chat(make_settings(tmp_path), stdin=io.StringIO(text), stdout=out) == 0
    return out.getvalue()


def test_pasted_article_then_question(tmp_path: Path) -> None:
    output = chat(tmp_path, seed_article() + "\nWhat did Moscow block in 2014?\n/list\n")
    assert output.count("Saved as #1") == 1
    assert "Aeronautics in *2014*" in output
    assert "Your articles (1)" in output


def test_buttons_are_pressed_by_number(tmp_path: Path) -> None:
    output = chat(tmp_path, seed_article() + "\n1\n")
    assert "[1] ➖ Shorter" in output
    assert "2 sentences" in output


def test_commands_and_bad_input(tmp_path: Path) -> None:
    output = chat(tmp_path, "/summary\n/nonsense\nWho?\n")
    assert "Your library is empty" in output
    assert "I don't know /nonsense" in output


def test_export_writes_a_file(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    output = chat(tmp_path, seed_article() + "\n/export\n")
    assert (tmp_path / "briefbot-library.md").read_text("utf-8").count("Reznikov") >= 1
    assert "written to" in output


def test_group_lines() -> None:
    lines = ["Title\n", "\n", "Para one. Two.\n", "\n", "Para two.\n", "Who?\n", "/list\n", "drone\n"]
    assert list(group_lines(iter(lines))) == ["Title\n\nPara one. Two.\n\nPara two.", "Who?", "/list", "drone"]


def test_brief_in_the_terminal(tmp_path: Path) -> None:
    articles = [data_file(name).read_text("utf-8")
                for name in ("briefing/en-ferry-wire.txt", "briefing/en-ferry-local.txt")]
    script = f"/brief\n{articles[0]}\n/summary\n{articles[1]}\n/brief 4s\n/brief\n/brief 9d x\n"
    output = chat(tmp_path, script)
    assert "Your library is empty" in output
    briefing = output.split("Briefing: ", 1)[1]
    assert briefing.startswith("2 articles since")
    cited = [line for line in briefing.splitlines() if line.startswith("  • ")]
    assert len(cited) == 4
    cites = {re.search(r" #(\d+)(?: \(also #\d+\))?$", line).group(1) for line in cited}  # type: ignore[union-attr]
    assert cites == {"1", "2"}
    assert "Nothing new since your last briefing" in output
    assert "Use /brief (what is new)" in output


class TypedInput(io.StringIO):
    """Lines as an interactive terminal gives them (isatty), so the chat greets first."""

    def isatty(self) -> bool:
        return True


def test_chat_language_ru_greets_and_answers_in_russian(tmp_path: Path) -> None:
    from bot.chat import greeting
    from bot.i18n import Catalogs

    ru = Catalogs.load().get("ru")
    out = io.StringIO()
    assert run_chat(make_settings(tmp_path), stdin=TypedInput("Кто посетил Израиль?\n"), stdout=out,
                    language="ru") == 0
    output = out.getvalue()
    assert output.startswith(greeting(ru))
    assert "Briefbot — вставьте статью" in output
    assert ru.gettext("Your library is empty, so I cannot answer yet. Send me an article first.") in output

    out = io.StringIO()
    assert run_chat(make_settings(tmp_path), stdin=io.StringIO(seed_article() + "\n/list\n"), stdout=out,
                    language="ru") == 0
    assert "Сохранено как #1" in out.getvalue()
    assert "Ваши статьи (1)" in out.getvalue()


def test_chat_follows_ui_language_then_lang(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert "Deine Bibliothek ist leer" in chat(tmp_path, "/list\n")
    assert "Votre bibliothèque est vide" in chat_with(tmp_path, "/list\n", ui_language="fr")
    # The chat's own /language choice is remembered for the next session.
    chat(tmp_path, "/language it\n")
    assert "La tua biblioteca è vuota" in chat(tmp_path, "/list\n")


def chat_with(tmp_path: Path, text: str, **settings: str) -> str:
    out = io.StringIO()
    assert run_chat(make_settings(tmp_path, **settings), stdin=io.StringIO(text), stdout=out) == 0
    return out.getvalue()


class TypedPipe:
    """A terminal the test types into line by line, from another thread (a real pipe, isatty)."""

    def __init__(self) -> None:
        read, write = os.pipe()
        self._reader = os.fdopen(read, "r", encoding="utf-8")
        self._writer = os.fdopen(write, "w", encoding="utf-8")

    def isatty(self) -> bool:
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(self._reader)

    def type(self, line: str) -> None:
        self._writer.write(line + "\n")
        self._writer.flush()

    def close(self) -> None:
        self._writer.close()

    def close_reader(self) -> None:
        self._reader.close()


def wait_for(out: io.StringIO, text: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    while text not in out.getvalue():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{text!r} did not appear in: {out.getvalue()[-500:]!r}")
        time.sleep(0.02)
    return out.getvalue()


def test_a_typed_chat_checks_its_feeds_and_says_what_came(tmp_path: Path) -> None:
    from tests.feedsite import serve_feed_site
    from tests.webserver import WebServer

    with WebServer() as web:
        site = serve_feed_site(web)
        # Another chat of the same database follows a feed too: the terminal leaves it to the bot.
        other = build_services(make_settings(tmp_path, allow_private_networks=True))
        try:
            asyncio.run(other.conversation.handle_command(99, "follow", site.tech_home))
        finally:
            other.close()
        typed, out = TypedPipe(), io.StringIO()
        settings = make_settings(tmp_path, allow_private_networks=True, feed_check_seconds=0.1)
        worker = threading.Thread(target=run_chat, args=(settings,), kwargs={"stdin": typed, "stdout": out})
        worker.start()
        try:
            typed.type(f"/follow {site.gazette}")
            wait_for(out, "Following Hollins Gazette")
            shown = wait_for(out, "— /brief")
            typed.type("/list")
            shown = wait_for(out, "Your articles (")
        finally:
            typed.type("/quit")
            typed.close()
            worker.join(timeout=30)
            typed.close_reader()
    assert not worker.is_alive()
    announcement = next(line for line in shown.splitlines() if line.endswith("— /brief"))
    assert re.fullmatch(r"\d+ new articles? from Hollins Gazette — /brief", announcement)
    assert "Valley Tech" not in shown
    saved = int(announcement.split()[0])
    assert f"Your articles ({saved})" in shown
    # Chat 99's feed was read once, when it was followed, and not polled by the terminal since.
    assert [path for path, _status in site.feed_responses()].count("/feeds/valley-tech.atom") == 1
