"""The terminal chat, piped, in-process on a real SQLite file."""

from __future__ import annotations

import io
from pathlib import Path

from bot.chat import group_lines, run_chat
from tests.helpers import make_settings, seed_article


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
