"""The `briefbot` command end to end: real processes on a real SQLite file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from storage.db import head_revision
from tests.helpers import data_file, seed_article

SEED = str(data_file("seed-article.txt"))


def briefbot(tmp_path: Path, *args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFBOT_")}
    environment.update({"BRIEFBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}", **env})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )


def json_lines(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_summarize_json_returns_three_sentences_of_the_article(tmp_path: Path) -> None:
    result = briefbot(tmp_path, "summarize", "--json", "--sentences", "3", SEED)
    assert result.returncode == 0, result.stderr
    [payload] = json_lines(result.stdout)
    assert payload["source"] == SEED
    assert payload["title"] == "Russia Closely Monitoring Israel-Ukraine Rapprochement"
    assert payload["language"] == "en"
    assert payload["sentence_count"] == 20
    sentences = payload["sentences"]
    assert isinstance(sentences, list) and len(sentences) == 3
    flat = " ".join(seed_article().split())
    assert all(s["text"] in flat for s in sentences)
    assert [s["position"] for s in sentences] == sorted(s["position"] for s in sentences)


def test_summarize_reads_stdin_and_each_algorithm(tmp_path: Path) -> None:
    for algorithm in ("lead", "lexrank", "kl"):
        result = briefbot(tmp_path, "summarize", "--json", "-n", "2", "-a", algorithm, "-", stdin=seed_article())
        [payload] = json_lines(result.stdout)
        assert payload["algorithm"] == algorithm and len(payload["sentences"]) == 2  # type: ignore[arg-type]


def test_summarize_ratio_and_engine(tmp_path: Path) -> None:
    result = briefbot(tmp_path, "summarize", "--json", "--ratio", "0.25", "--engine", "sumy", SEED)
    [payload] = json_lines(result.stdout)
    assert len(payload["sentences"]) == 5  # type: ignore[arg-type]


def test_add_then_ask_names_reznikov(tmp_path: Path) -> None:
    added = briefbot(tmp_path, "add", SEED)
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("#1 Russia Closely Monitoring")
    asked = briefbot(tmp_path, "ask", stdin="Who visited Israel?\n")
    assert asked.returncode == 0, asked.stderr
    assert "Reznikov" in asked.stdout


def test_add_json_marks_duplicates_and_errors(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("   ")
    result = briefbot(tmp_path, "add", "--json", SEED, SEED, str(empty), str(tmp_path / "missing.txt"))
    assert result.returncode == 1
    first, second, blank, missing = json_lines(result.stdout)
    assert first == {"source": SEED, "article": 1, "title": "Russia Closely Monitoring Israel-Ukraine Rapprochement",
                     "duplicate": False}
    assert second["duplicate"] is True and second["article"] == 1
    assert blank["source"] == str(empty) and "no text" in str(blank["error"])
    assert "No such file" in str(missing["error"])
    assert "Traceback" not in result.stderr


def test_ask_json_reads_one_question_per_line(tmp_path: Path) -> None:
    briefbot(tmp_path, "add", SEED)
    result = briefbot(tmp_path, "ask", "--json", "--top", "2",
                      stdin="Who visited Israel?\nWhat did Moscow block in 2014?\nPenguins?\n")
    first, second, third = json_lines(result.stdout)
    assert first["question"] == "Who visited Israel?"
    answers = first["answers"]
    assert isinstance(answers, list) and len(answers) == 2
    assert set(answers[0]) == {"article", "title", "position", "text", "score", "weak"}
    assert "Aeronautics" in second["answers"][0]["text"]  # type: ignore[index]
    assert third["answers"] == []


WHEAT = (
    "Grain Corridor Reopens\n\n"
    "Ukraine reopened the grain corridor in the Black Sea on Tuesday. "
    "Ships carrying wheat left Odesa under naval escort. "
    "Farmers welcomed the news after months of losses. "
    "Prices of wheat in Europe fell by three percent."
)


def test_ask_json_marks_weak_answers_after_strong_ones(tmp_path: Path) -> None:
    briefbot(tmp_path, "add", "-", stdin=WHEAT)
    result = briefbot(tmp_path, "ask", "--json", "--top", "3", "Why did wheat prices fall in Europe after storms?")
    assert result.returncode == 0, result.stderr
    [payload] = json_lines(result.stdout)
    answers = payload["answers"]
    assert isinstance(answers, list)
    flags = [(a["text"].split()[0], a["weak"]) for a in answers]
    # Prices/wheat/Europe/fall: strong; "wheat" alone of six keywords: weak, and after it.
    assert flags[0] == ("Prices", False)
    assert ("Ships", True) in flags[1:]
    assert all(isinstance(a["weak"], bool) for a in answers)


def test_ask_with_question_argument_and_article(tmp_path: Path) -> None:
    briefbot(tmp_path, "add", SEED)
    result = briefbot(tmp_path, "ask", "--article", "1", "--top", "1", "drone", "deal")
    assert result.returncode == 0 and "Aeronautics" in result.stdout
    missing = briefbot(tmp_path, "ask", "--article", "4", "drone")
    assert missing.returncode == 1 and "no article #4" in missing.stderr


def test_chat_ids_keep_libraries_apart(tmp_path: Path) -> None:
    briefbot(tmp_path, "add", SEED, BRIEFBOT_CHAT_ID="7")
    other = briefbot(tmp_path, "ask", "Who visited Israel?", BRIEFBOT_CHAT_ID="8")
    assert other.returncode == 1 and "empty" in other.stderr
    same = briefbot(tmp_path, "--chat-id", "7", "ask", "Who visited Israel?")
    assert "Reznikov" in same.stdout


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("summarize", "-"), "", "empty"),
        (("summarize", "-"), "One sentence.", "too short"),
        (("summarize", "-a", "bogus", "-"), seed_article(), "Unknown algorithm"),
        (("ask", "Who visited Israel?"), "", "empty"),
        (("summarize", "-"), "word " * 3000, "punctuation"),
    ],
)
def test_bad_input_exits_non_zero_with_a_message(tmp_path: Path, args: tuple[str, ...], stdin: str,
                                                 message: str) -> None:
    result = briefbot(tmp_path, *args, stdin=stdin)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_binary_and_huge_files_are_refused(tmp_path: Path) -> None:
    binary = tmp_path / "junk.txt"
    binary.write_bytes(bytes(range(256)) * 50)
    huge = tmp_path / "huge.txt"
    huge.write_text("This is a sentence. " * 110_000)
    result = briefbot(tmp_path, "summarize", "--json", str(binary), str(huge))
    assert result.returncode == 1
    junk, big = json_lines(result.stdout)
    assert "binary" in str(junk["error"])
    assert "too long" in str(big["error"])


def test_fast_and_stock_engines_pick_the_same_sentences_of_a_long_article(tmp_path: Path) -> None:
    long_article = str(data_file("long-article.txt"))
    picked = []
    for engine in ([], ["--engine", "sumy"]):
        result = briefbot(tmp_path, "summarize", "--json", "--sentences", "5", "--algorithm", "lexrank", *engine,
                          long_article)
        assert result.returncode == 0, result.stderr
        [payload] = json_lines(result.stdout)
        assert payload["algorithm"] == "lexrank" and payload["sentence_count"] > 700
        picked.append(payload["sentences"])
    assert picked[0] == picked[1] and len(picked[0]) == 5


def test_db_commands(tmp_path: Path) -> None:
    head = head_revision()
    assert "current: none" in briefbot(tmp_path, "db", "current").stdout  # a new library, not yet upgraded
    upgraded = briefbot(tmp_path, "db", "upgrade")
    assert upgraded.returncode == 0 and f"current: {head} (head: {head})" in upgraded.stdout
    assert f"current: {head}" in briefbot(tmp_path, "db", "current").stdout


def test_help_documents_every_command(tmp_path: Path) -> None:
    result = briefbot(tmp_path, "--help")
    for command in ("run", "chat", "summarize", "add", "ask", "brief", "extract", "db"):
        assert command in result.stdout
    assert "BRIEFBOT_DATABASE_URL" in result.stdout


def test_no_token_means_the_terminal_chat(tmp_path: Path) -> None:
    result = briefbot(tmp_path, stdin=seed_article() + "\nWho visited Israel?\n")
    assert result.returncode == 0, result.stderr
    assert "Saved as #1" in result.stdout and "Reznikov" in result.stdout


def test_add_shows_a_progress_bar_only_in_a_terminal(tmp_path: Path) -> None:
    import pty

    sources = []
    for index in range(3):
        path = tmp_path / f"article{index}.txt"
        body = seed_article().split("\n\n", 1)[1].replace("Kremlin", f"K{index}")
        path.write_text(f"Story number {index}\n\n{body}")
        sources.append(str(path))
    environment = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFBOT_")}
    environment.update({"BRIEFBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}", "COLUMNS": "80"})
    controller, terminal = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "bot", "add", *sources], stdout=subprocess.PIPE,
                               stderr=terminal, env=environment, text=True)
    os.close(terminal)
    stdout, _ = process.communicate(timeout=120)
    drawn = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:
            break
        if not chunk:
            break
        drawn += chunk
    os.close(controller)
    assert process.returncode == 0, drawn
    assert stdout.splitlines() == [f"#{n} Story number {n - 1}" for n in (1, 2, 3)], drawn
    assert b"Adding" in drawn
    # Piped, the same command prints results and nothing else.
    piped = briefbot(tmp_path, "add", *sources)
    assert piped.stderr == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ask", "--article", "99999999999999999999999", "x"), "is not an article number"),
        (("ask", "--article", "0", "x"), "is not an article number"),
        (("ask", "--top", "99999999999999999999999", "x"), "use 1 to 100"),
        (("ask", "--top", "three", "x"), "'three' is not a number of answers"),
        (("summarize", "--sentences", "99999999999999999999999", "-"), "use 1 to 1000"),
        (("summarize", "--sentences", "²", "-"), "is not a number of sentences"),
        (("--chat-id", "99999999999999999999999", "ask", "x"), "is not a chat id"),
    ],
)
def test_numbers_out_of_bounds_are_usage_errors(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    result = briefbot(tmp_path, *args, stdin=seed_article())
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_brief_json_cites_each_sentence_of_the_library(tmp_path: Path) -> None:
    empty = briefbot(tmp_path, "brief", "--articles", "3", "--json")
    assert empty.returncode == 1 and "Your library is empty" in json_lines(empty.stdout)[0]["error"]
    names = ("briefing/en-ferry-wire.txt", "briefing/en-ferry-local.txt", "articles/en-bakery-prices.txt")
    added = briefbot(tmp_path, "add", "--json", *(str(data_file(name)) for name in names))
    assert added.returncode == 0, added.stderr
    texts = {row["article"]: data_file(name).read_text("utf-8") for row, name in zip(json_lines(added.stdout), names,
                                                                                        strict=True)}
    result = briefbot(tmp_path, "brief", "--articles", "1,2", "--sentences", "4", "--json")
    assert result.returncode == 0, result.stderr
    [payload] = json_lines(result.stdout)
    assert [(a["number"], a["title"]) for a in payload["articles"]] == [
        (1, texts[1].split("\n", 1)[0]), (2, texts[2].split("\n", 1)[0])]
    assert len(payload["sentences"]) == 4
    for sentence in payload["sentences"]:
        assert set(sentence) >= {"article", "position", "text"}
        assert sentence["text"] in " ".join(texts[sentence["article"]].split())
    assert len({s["text"] for s in payload["sentences"]}) == 4
    # The plain output: each article's sentences under its title, each cited.
    last = briefbot(tmp_path, "brief", "--last", "2")
    assert last.returncode == 0 and "# #2 " in last.stdout and "# #3 " in last.stdout and "# #1 " not in last.stdout
    assert all(line.endswith(("[#2]", "[#3]")) for line in last.stdout.splitlines() if line.startswith("- "))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("brief", "--last", "0"), "'0' is not a number of articles: use 1 to 20"),
        (("brief", "--since", "7y"), "is not a period"),
        (("brief", "--articles", "3,x"), "'x' is not an article number"),
        (("brief", "--sentences", "99"), "use 1 to 40"),
        (("brief", "--last", "2", "--match", "x"), "not allowed with argument"),
    ],
)
def test_brief_usage_errors(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    result = briefbot(tmp_path, *args)
    assert result.returncode == 2 and message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_chat_id_past_64_bits_in_the_environment_is_a_usage_error(tmp_path: Path) -> None:
    result = briefbot(tmp_path, "ask", "x", BRIEFBOT_CHAT_ID="99999999999999999999999")
    assert result.returncode == 2
    assert "BRIEFBOT_CHAT_ID='99999999999999999999999' is not a valid int" in result.stderr
    assert "Traceback" not in result.stderr


def test_human_output_follows_ui_language_and_json_stays_neutral(tmp_path: Path) -> None:
    # BRIEFBOT_UI_LANGUAGE wins over the locale; without it LANG would make this Russian.
    german = briefbot(tmp_path, "ask", "Wer hat Israel besucht?", BRIEFBOT_UI_LANGUAGE="de", LANG="ru_RU.UTF-8")
    assert german.returncode == 1
    assert "Deine Bibliothek ist leer" in german.stderr
    as_json = briefbot(tmp_path, "ask", "--json", "x", LANG="ru_RU.UTF-8")
    assert json_lines(as_json.stdout) == [{"question": "x", "error": "Your library is empty, so I cannot answer yet. "
                                           "Send me an article first."}]


def test_db_reindex_and_brief_speak_the_ui_language(tmp_path: Path) -> None:
    reindexed = briefbot(tmp_path, "db", "reindex", BRIEFBOT_UI_LANGUAGE="ru")
    assert reindexed.returncode == 0, reindexed.stderr
    # Zero takes Russian's third plural form: "0 предложений", "в 0 статьях".
    assert reindexed.stdout.strip() == "переиндексировано: изменено 0 предложений в 0 статьях"
    names = ("briefing/en-ferry-wire.txt", "briefing/en-ferry-local.txt")
    assert briefbot(tmp_path, "add", *(str(data_file(name)) for name in names)).returncode == 0
    brief = briefbot(tmp_path, "brief", "--last", "2", BRIEFBOT_UI_LANGUAGE="pl")
    assert brief.returncode == 0, brief.stderr
    # The heading is Polish (2 takes the "artykuły" form); the cited sentences stay English.
    assert brief.stdout.splitlines()[0] == "Przegląd: ostatnie 2 artykuły"
    assert "# #1 " in brief.stdout and "# #2 " in brief.stdout
