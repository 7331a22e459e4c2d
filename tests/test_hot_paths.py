"""`ask`, `summarize`, `chat` and `run` import neither NLTK nor scipy.stats (about a second per process).

Each runs as a process with Python's import log on (PYTHONPROFILEIMPORTTIME, as `python -X importtime`),
which names every module the process imported, whenever it did.
"""

from __future__ import annotations

from pathlib import Path

from support.fakebotapi import FakeBotAPI
from tests.helpers import data_file, seed_article
from tests.test_cli import briefbot
from tests.test_telegram_run import CHAT, briefbot_run, stop

IMPORT_LOG = {"PYTHONPROFILEIMPORTTIME": "1"}


def imported(stderr: str) -> list[str]:
    """Every module an import log names."""
    names = [line.rsplit("|", 1)[1].strip() for line in stderr.splitlines() if line.startswith("import time:")]
    assert len(names) > 100, stderr[-2000:]  # the log is there
    return names


def heavy_imports(stderr: str) -> list[str]:
    """The NLTK and scipy.stats modules in an import log."""
    return [name for name in imported(stderr) if name.split(".")[0] == "nltk" or name.startswith("scipy.stats")]


def test_summarize_imports_no_nltk(tmp_path: Path) -> None:
    done = briefbot(tmp_path, "summarize", "--json", str(data_file("seed-article.txt")), **IMPORT_LOG)
    assert done.returncode == 0, done.stderr[-2000:]
    assert '"language": "en"' in done.stdout
    assert heavy_imports(done.stderr) == []


def test_ask_imports_no_nltk(tmp_path: Path) -> None:
    added = briefbot(tmp_path, "add", str(data_file("seed-article.txt")), **IMPORT_LOG)
    assert added.returncode == 0 and heavy_imports(added.stderr) == []
    done = briefbot(tmp_path, "ask", "who visited Israel?", **IMPORT_LOG)
    assert done.returncode == 0 and "Reznikov" in done.stdout, done.stderr[-2000:]
    assert heavy_imports(done.stderr) == []
    # Nor what an answer never uses (~0.15 s together): the ORM, PostgreSQL's dialect on SQLite, Sumy's
    # summarizers and their pycountry, the cleaning rules of pages.
    unused = ("sqlalchemy.orm", "sqlalchemy.dialects.postgresql", "sumy.summarizers", "pycountry",
              "bot.sources.cleaning")
    assert [name for name in imported(done.stderr) if name.startswith(unused)] == []


def test_piped_chat_imports_no_nltk(tmp_path: Path) -> None:
    done = briefbot(tmp_path, "chat", stdin=seed_article() + "\nWho visited Israel?\n/summary\n", **IMPORT_LOG)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Saved as #1" in done.stdout and "Reznikov" in done.stdout
    assert heavy_imports(done.stderr) == []


async def test_run_imports_no_nltk(tmp_path: Path) -> None:
    """The bot saves an article, summarizes it and answers a question, all without NLTK."""
    log = tmp_path / "stderr.log"
    with (log.open("w") as stderr, FakeBotAPI() as api,
          briefbot_run(api, tmp_path, stderr=stderr, BRIEFBOT_LOG_LEVEL="WARNING", **IMPORT_LOG) as process):
        await api.wait_for_call(lambda c: c.method == "setMyCommands", timeout=30)
        api.send_text(CHAT, seed_article())
        await api.wait_for_text(CHAT, "Saved as #1", timeout=30)
        api.send_text(CHAT, "Who visited Israel?")
        await api.wait_for_text(CHAT, "Reznikov", timeout=30)
        status, _err = await stop(process)
    assert status == 0, log.read_text()[-2000:]
    assert heavy_imports(log.read_text()) == []
