"""The bot under load, as a process of its own, against an older commit measured in the same run.

    python -m bench.load [--baseline REV ...] [--runs 2] [--chats 30] [--article-waves 3] [--question-waves 5]
                         [--documents 3] [--document-mb 1.9] [--command-runs 5] [--profile DIR]
                         [--floor] [--eval-dir DIR] [--output FILE]

`briefbot run` (production settings: AIORateLimiter at Telegram's 30 messages a second, a SQLite
library) long-polls the fake Bot API of support/fakebotapi.py, which runs in a process of its
own; the bench drives the fake from a third process. The scenario, for each tree:

1. Articles: every chat sends an article at the same moment, `--article-waves` times (the seed
   article first, then BBC news articles of the summaries dev set, each under the 3,000 characters
   that would make the bot wait for the rest of a split paste). Reply latency (update offered to
   the bot -> "Saved as #N" reaching the Bot API) and the bot's CPU time per article saved.
2. Questions: every chat but the first asks "Who visited Israel?" at the same moment,
   `--question-waves` times. Latency, the bot's CPU time per answer, and the context switches of the
   bot's threads per answer (/proc/PID/task: each hop to a thread and each hand-over of the interpreter
   lock between threads is one; python-telegram-bot alone makes ~3 an answer).
3. Documents: the first chat sends `--documents` .txt documents of `--document-mb` MB one after
   another (each when the previous one is answered), while the other chats keep asking, wave
   after wave. How long each document takes to be answered, and the other chats' p95 during it
   against their p95 in step 2.
4. Commands: `briefbot ask QUESTION` on a library of one article and `briefbot summarize` of a
   .txt, as whole processes, `--command-runs` times each, and a bare `python -c pass`.

CPU time is read from /proc for the bot's process and every process under it (a process pool's
workers included); each step starts once the bot's processes are idle (its start-up work done).
Each tree runs on a virtualenv of its own with the tree installed from its own pyproject.toml (kept
in `--venvs`: one per baseline commit, one per pyproject.toml of this tree), so each runs with the
dependencies it declares and nothing more; the code itself comes from the checkout (PYTHONPATH).
With `--baseline REV` (repeatable) the same scenario runs for REV, checked out in a temporary git
worktree and run with the same interpreter (PYTHONPATH=the worktree), interleaved with this tree
run by run (`--runs`, each tree first in turn), so all see the same machine; each figure is
printed for every tree, with the ratio of each baseline to this tree.
With `--floor`, steps 1 and 2 also run for bench/floorbot.py: python-telegram-bot alone, with the bot's
Application answering every message at once (no inbox, no store, no text work), interleaved like the
trees; its CPU per answer is what the framework and httpx cost per update on this machine.
With `--profile DIR`, py-spy records the bot (and its pool) during steps 2 and 3 of an extra run
of each tree: flame graphs (.svg) and collapsed stacks (.txt) in DIR, and the top costs per
update are printed (py-spy slows the bot: the timings of a profiled run are not reported).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import hashlib
import json
import math
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.evaldata import LONG_ARTICLE, ROOT, SEED_ARTICLE, EvalData, add_eval_dir_argument, shipped_file
from bench.telegram_latency import machine, percentile, replies, wave
from support.fakebotapi import fake_in_own_process

QUESTION = "Who visited Israel?"
FLOOR = "PTB alone"
ANSWER = "Reznikov"  # in the seed article's answer
SAVED = "Saved as #"
# A message this long may be the first part of a paste Telegram split: the bot waits for the rest.
PASTE_START_CHARS = 3000
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

GOALS = {
    "cpu_per_answer_ms": ("bot CPU per answer", "ms", 8.0),
    "cpu_per_article_ms": ("bot CPU per news article saved", "ms", 30.0),
    "document_s": ("a 1.9 MB document answered in", "s", 3.0),
    "others_p95_ratio": ("other chats' p95 while it is read, ratio to without", "×", 1.2),
    "articles_p50_s": ("30 articles sent at once, p50", "s", 1.0),
    "ask_s": ("`briefbot ask` process", "s", 0.5),
    "summarize_s": ("`briefbot summarize` of a .txt", "s", 1.0),
}


@dataclass(frozen=True)
class Tree:
    """A checkout of Briefbot to run (this one, or an older commit in a worktree) and the Python it runs on."""

    label: str
    path: Path
    python: str = sys.executable
    command: tuple[str, ...] = ("-m", "bot", "run")
    # The floor (bench/floorbot.py): python-telegram-bot alone, answering at once; steps 1 and 2 only.
    floor: bool = False

    def env(self, **settings: str) -> dict[str, str]:
        environ = {name: value for name, value in os.environ.items() if not name.startswith("BRIEFBOT_")}
        environ["PYTHONPATH"] = str(self.path)
        environ.update({f"BRIEFBOT_{name.upper()}": value for name, value in settings.items()})
        return environ


@dataclass
class Figures:
    """What one run of the scenario measured for one tree."""

    article_latency: list[float] = field(default_factory=list)
    articles: int = 0
    article_cpu: float = 0.0
    question_latency: list[float] = field(default_factory=list)
    answers: int = 0
    answer_cpu: float = 0.0
    answer_switches: int = 0
    document_seconds: list[float] = field(default_factory=list)
    during_latency: list[float] = field(default_factory=list)
    document_cpu: float = 0.0
    ask_seconds: list[float] = field(default_factory=list)
    summarize_seconds: list[float] = field(default_factory=list)
    python_seconds: list[float] = field(default_factory=list)

    def values(self) -> dict[str, float]:
        """Each figure of the run; NaN for a step the run left out (--documents 0, --command-runs 0)."""

        def median(values: list[float]) -> float:
            return statistics.median(values) if values else math.nan

        def high(values: list[float], fraction: float) -> float:
            return percentile(values, fraction) if values else math.nan

        alone = high(self.question_latency, 0.95)
        return {
            "cpu_per_answer_ms": 1000 * self.answer_cpu / max(self.answers, 1),
            "cpu_per_article_ms": 1000 * self.article_cpu / max(self.articles, 1),
            "document_s": median(self.document_seconds),
            "others_p95_ratio": high(self.during_latency, 0.95) / alone,
            "articles_p50_s": high(self.article_latency, 0.5),
            "ask_s": median(self.ask_seconds),
            "summarize_s": median(self.summarize_seconds),
            "answer_p50_ms": 1000 * high(self.question_latency, 0.5),
            "answer_p95_ms": 1000 * alone,
            "switches_per_answer": self.answer_switches / max(self.answers, 1),
            "during_p95_ms": 1000 * high(self.during_latency, 0.95),
            "document_max_s": max(self.document_seconds, default=math.nan),
            "document_cpu_s": self.document_cpu / max(len(self.document_seconds), 1),
            "python_s": median(self.python_seconds),
        }


# -- processes ---------------------------------------------------------------------------------


def _proc_stat(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may hold spaces: the fields after it follow the last ")".
    return raw[raw.rindex(")") + 2:].split()


def context_switches(pid: int) -> int:
    """Context switches (voluntary and not) of every thread of process `pid` so far.

    Each hop of work to a thread and back, and each handing over of the interpreter lock between
    threads, is one or more: a figure of what the concurrency costs that, unlike CPU time, this
    machine's noise hardly moves.
    """
    total = 0
    for status in Path(f"/proc/{pid}/task").glob("*/status"):
        try:
            lines = status.read_text().splitlines()
        except OSError:
            continue  # the thread ended meanwhile
        total += sum(int(line.split()[1]) for line in lines
                     if line.split(":")[0] in ("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches"))
    return total


def process_tree_cpu(root: int) -> float:
    """CPU seconds (user + system) of `root` and every live process under it, and of its reaped children."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _proc_stat(int(entry.name))
            if fields is not None:
                parents[int(entry.name)] = int(fields[1])
    total = 0
    wanted = {root}
    changed = True
    while changed:  # the descendants of root
        changed = False
        for pid, parent in parents.items():
            if parent in wanted and pid not in wanted:
                wanted.add(pid)
                changed = True
    for pid in wanted:
        fields = _proc_stat(pid)
        if fields is None:
            continue
        # utime, stime, cutime, cstime: fields 14-17 of stat, 12-15 after the name.
        total += int(fields[11]) + int(fields[12])
        if pid == root:
            total += int(fields[13]) + int(fields[14])
    return total / CLOCK_TICKS


@contextlib.contextmanager
def bot_process(tree: Tree, api: Any, directory: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`briefbot run` of `tree` polling the fake, on a SQLite file in `directory`."""
    token, base_url, base_file_url = api.endpoints()
    env = tree.env(token=token, base_url=base_url, base_file_url=base_file_url,
                   database_url=f"sqlite:///{directory / 'briefbot.sqlite3'}", log_level="WARNING")
    env["XDG_DATA_HOME"] = env["XDG_CACHE_HOME"] = str(directory)
    with (directory / "bot.log").open("wb") as log:
        process = subprocess.Popen([tree.python, *tree.command], cwd=tree.path, env=env, stdout=log,
                                   stderr=subprocess.STDOUT)
        try:
            yield process
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextlib.contextmanager
def profiled(pid: int, folder: Path | None, name: str) -> Iterator[None]:
    """py-spy recording `pid` and its subprocesses while the block runs (nothing when `folder` is None)."""
    if folder is None:
        yield
        return
    folder.mkdir(parents=True, exist_ok=True)
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    recorders = [subprocess.Popen([py_spy, "record", "--pid", str(pid), "--subprocesses", "--nonblocking",
                                   "--rate", "250", "--format", kind, "--output", str(folder / f"{name}.{suffix}")],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for kind, suffix in (("raw", "txt"), ("flamegraph", "svg"))]
    try:
        yield
    finally:
        for recorder in recorders:
            recorder.send_signal(signal.SIGINT)
        for recorder in recorders:
            recorder.wait(timeout=60)


def top_costs(collapsed: Path, updates: int, top: int = 12) -> list[tuple[str, float]]:
    """The functions of Briefbot and its libraries where the samples of `collapsed` fall, in ms per update.

    Each sample is charged to the innermost frame of the project (bot/, handlers/, storage/) and the
    innermost frame overall, as "project frame > library frame"; py-spy samples at 250 Hz.
    """
    costs: Counter[str] = Counter()
    for line in collapsed.read_text("utf-8", "replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        frames = stack.split(";")
        if any("(idle)" in frame for frame in frames[-1:]) or frames[-1].startswith(("select ", "poll ", "epoll")):
            continue
        ours = [frame for frame in frames if any(f"({part}/" in frame or f"/{part}/" in frame
                                                 for part in ("bot", "handlers", "storage"))]
        key = f"{_short(ours[-1]) if ours else '(outside Briefbot)'} > {_short(frames[-1])}"
        costs[key] += int(count)
    return [(key, 1000 * samples / 250 / max(updates, 1)) for key, samples in costs.most_common(top)]


def _short(frame: str) -> str:
    name, _, where = frame.partition(" (")
    where = where.rstrip(")")
    for marker in ("/site-packages/", "/work/", "/lib/python3.11/"):
        if marker in where:
            where = where.split(marker, 1)[1]
    return f"{name} ({where})"


# -- the scenario ------------------------------------------------------------------------------


def news_articles(data: EvalData, count: int) -> list[str]:
    """`count` BBC articles as a user pastes them (title, blank line, text), each under PASTE_START_CHARS."""
    short = [f"{record['title']}\n\n{record['text']}" for record in data.jsonl("summaries-dev.jsonl")]
    short = [text for text in short if len(text) < PASTE_START_CHARS]
    if len(short) < count:
        raise SystemExit(f"bench: only {len(short)} news articles under {PASTE_START_CHARS} characters; "
                         f"ask for fewer chats or article waves")
    return short[:count]


def document(number: int, megabytes: float) -> bytes:
    """About `megabytes` MB of text: numbered copies of the long article (no two documents alike)."""
    text = LONG_ARTICLE.read_text("utf-8")
    limit = int(megabytes * 1_000_000)
    parts = [f"Document {number}"]
    while sum(len(part.encode("utf-8")) + 2 for part in parts) + len(text.encode("utf-8")) < limit:
        parts.append(f"Part {len(parts)} of document {number}.\n\n{text}")
    return "\n\n".join(parts).encode("utf-8")


async def scenario(tree: Tree, args: argparse.Namespace, news: list[str], profile: Path | None) -> Figures:
    figures = Figures()
    chats = list(range(7001, 7001 + args.chats))
    reader, others = chats[0], chats[1:]
    seed = SEED_ARTICLE.read_text("utf-8")
    with tempfile.TemporaryDirectory(prefix="briefbot-load-") as folder, fake_in_own_process() as api, \
            bot_process(tree, api, Path(folder)) as process:
        await wait_until_polling(api, process)
        # Warm-up (first imports, the language models, a worker for long texts where there is one): one chat
        # saves the seed, asks once and sends the long article as a file.
        await wave(api, [7000], seed, SAVED)
        await wave(api, [7000], QUESTION, ANSWER)
        mark = api.mark()
        api.send_document(7000, LONG_ARTICLE.read_bytes(), "long-article.txt")
        await replies(api, {7000: time.monotonic()}, SAVED, mark)
        await settled(process.pid)

        for number in range(args.article_waves):
            texts = [seed] * len(chats) if number == 0 else news[(number - 1) * len(chats):number * len(chats)]
            before = process_tree_cpu(process.pid)
            mark = api.mark()
            sent = {}
            for chat, text in zip(chats, texts, strict=True):
                sent[chat] = time.monotonic()
                api.send_text(chat, text)
            figures.article_latency += (await replies(api, sent, SAVED, mark)).values()
            figures.article_cpu += process_tree_cpu(process.pid) - before
            figures.articles += len(chats)

        await settled(process.pid)
        with profiled(process.pid, profile, f"{tree.label}-questions"):
            before, switched = process_tree_cpu(process.pid), context_switches(process.pid)
            for _wave in range(args.question_waves):
                figures.question_latency += await wave(api, others, QUESTION, ANSWER)
            figures.answer_cpu = process_tree_cpu(process.pid) - before
            figures.answer_switches = context_switches(process.pid) - switched
            figures.answers = args.question_waves * len(others)

        await settled(process.pid)
        with profiled(process.pid, profile, f"{tree.label}-documents"):
            before = process_tree_cpu(process.pid)
            for number in range(1, (0 if tree.floor else args.documents) + 1):
                mark = api.mark()
                sent_at = time.monotonic()
                api.send_document(reader, document(number, args.document_mb), f"document-{number}.txt")
                done = asyncio.ensure_future(replies(api, {reader: sent_at}, SAVED, mark))
                await asyncio.sleep(0.05)
                while not done.done():
                    figures.during_latency += await wave(api, others, QUESTION, ANSWER)
                figures.document_seconds.append((await done)[reader])
            figures.document_cpu = process_tree_cpu(process.pid) - before
    return figures


async def settled(pid: int, *, window: float = 0.5, share: float = 0.05, timeout: float = 60) -> None:
    """Until the bot's processes are idle (under `share` of a core over `window`): its workers started, its
    start-up work done, so a phase measures its own work only."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        before = process_tree_cpu(pid)
        await asyncio.sleep(window)
        if process_tree_cpu(pid) - before <= share * window:
            return


async def wait_until_polling(api: Any, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    """Until the bot process answers /start; fails if it exits first."""
    mark = api.mark()
    api.send_text(7000, "/start")
    deadline = time.monotonic() + timeout
    while True:
        calls = [call for call in api.calls_of("sendMessage", 7000, since=mark) if call.ok]
        if calls:
            return
        if process.poll() is not None:
            raise SystemExit(f"bench: the bot exited with status {process.returncode} before answering")
        if time.monotonic() > deadline:
            raise SystemExit(f"bench: the bot did not answer /start within {timeout:.0f} s")
        await asyncio.sleep(0.05)


def command_times(tree: Tree, figures: Figures, runs: int) -> None:
    """`briefbot ask` on a library of one article and `briefbot summarize` of a .txt, as processes."""
    with tempfile.TemporaryDirectory(prefix="briefbot-cli-") as folder:
        env = tree.env(database_url=f"sqlite:///{Path(folder) / 'cli.sqlite3'}")
        env["XDG_DATA_HOME"] = env["XDG_CACHE_HOME"] = folder

        def timed(*command: str) -> float:
            began = time.perf_counter()
            done = subprocess.run([tree.python, *command], cwd=folder, env=env, capture_output=True, timeout=300)
            elapsed = time.perf_counter() - began
            if done.returncode != 0:
                raise SystemExit(f"bench: {' '.join(command)} failed in {tree.label}: "
                                 f"{done.stderr.decode('utf-8', 'replace')[-400:]}")
            return elapsed

        timed("-m", "bot", "add", str(SEED_ARTICLE))
        for _run in range(runs):
            figures.python_seconds.append(timed("-c", "pass"))
            figures.ask_seconds.append(timed("-m", "bot", "ask", QUESTION))
            figures.summarize_seconds.append(timed("-m", "bot", "summarize", str(SEED_ARTICLE)))


# -- the report --------------------------------------------------------------------------------


def merge(runs: list[Figures]) -> dict[str, float]:
    """Each figure's median over the runs."""
    values = [figures.values() for figures in runs]
    return {key: statistics.median(v[key] for v in values) for key in values[0]}


def fmt(value: float, unit: str) -> str:
    if math.isnan(value):
        return "—"
    if unit == "ms":
        return f"{value:.1f} ms"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "count":
        return f"{value:.0f}"
    return f"{value:.2f}×"


def report(args: argparse.Namespace, trees: list[Tree], results: dict[str, dict[str, float]],
           profiles: dict[str, list[str]]) -> str:
    current = trees[0].label
    baselines = [tree.label for tree in trees[1:]]
    # The baselines, oldest first as given, then this tree; a ratio (baseline / this tree) per baseline.
    head = ("| figure | " + " | ".join([*baselines, current]) + " | "
            + "".join(f"{label} / {current} | " for label in baselines) + "goal |")
    lines = [head, "|---|" + "---:|" * (2 * len(baselines) + 1) + "---|"]
    for key, (name, unit, goal) in GOALS.items():
        now = results[current][key]
        met = "not measured" if math.isnan(now) else "met" if now <= goal else "**not met**"
        values = [fmt(results[label][key], unit) for label in [*baselines, current]]
        ratios = [fmt(results[label][key] / now, "×") for label in baselines]
        lines.append(f"| {name} | " + " | ".join([*values, *ratios]) + f" | ≤ {fmt(goal, unit)}: {met} |")
    shown = [*trees[1:], trees[0]]  # as in the table above: the baselines, then this tree
    details = ["", "| also measured | " + " | ".join(tree.label for tree in shown) + " |",
               "|---|" + "---:|" * len(trees)]
    for key, name, unit in (("answer_p50_ms", "answer p50, questions only", "ms"),
                            ("answer_p95_ms", "answer p95, questions only", "ms"),
                            ("switches_per_answer", "bot's context switches per answer", "count"),
                            ("during_p95_ms", "answer p95 while documents are read", "ms"),
                            ("document_max_s", "slowest document", "s"),
                            ("document_cpu_s", "bot CPU per document (with the questions around it)", "s"),
                            ("python_s", "bare `python -c pass`", "s")):
        details.append(f"| {name} | " + " | ".join(fmt(results[tree.label][key], unit) for tree in shown) + " |")
    today = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = "python -m bench.load " + " ".join(sys.argv[1:])
    text = [f"Command: `{command.strip()}`", f"Date: {today}", f"Machine: {machine()}", "",
            f"{args.chats} chats, {args.article_waves} waves of articles, {args.question_waves} waves of questions, "
            f"{args.documents} documents of {args.document_mb} MB; medians over {args.runs} run(s) per tree, "
            "the trees interleaved run by run, each first in turn.", "", *lines, *details]
    if FLOOR in results:
        floor = results[FLOOR]
        text += ["", f"The floor, {FLOOR} (bench/floorbot.py: the same Application answering every message at "
                 "once with a fixed text): "
                 f"bot CPU per answer {fmt(floor['cpu_per_answer_ms'], 'ms')} "
                 f"({fmt(results[current]['cpu_per_answer_ms'] / floor['cpu_per_answer_ms'], '×')} of it "
                 f"for {current}), per article {fmt(floor['cpu_per_article_ms'], 'ms')}, "
                 f"answer p50 {fmt(floor['answer_p50_ms'], 'ms')}, p95 {fmt(floor['answer_p95_ms'], 'ms')}."]
    for name, rows in profiles.items():
        text += ["", f"Top costs, {name} (ms of samples per update):", "", *rows]
    return "\n".join(text) + "\n"


def installed_python(key: str, folder: Path, cache: Path) -> str:
    """The Python of a virtualenv with the tree in `folder` installed from its own pyproject.toml, as a user has it.

    An older commit declares older dependencies (no PyStemmer, no sniffio): measured in the bench's own
    environment it would run with what this tree added; and the bench's own environment has more
    (profilers, the bench extra) than a user's. The virtualenv is kept in `cache` under `key`.
    """
    venv = cache / f"venv-{key}"
    python = venv / "bin" / "python"
    if not python.exists():
        print(f"installing {folder} into {venv} …", file=sys.stderr, flush=True)
        subprocess.run([sys.executable, "-m", "venv", "--upgrade-deps", str(venv)], check=True, capture_output=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", str(folder)], check=True)
    return str(python)


@contextlib.contextmanager
def worktree(revision: str, cache: Path) -> Iterator[Tree]:
    """`revision` checked out in a temporary git worktree (removed afterwards), on its own virtualenv."""
    short = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", revision], capture_output=True,
                           text=True, check=True).stdout.strip()
    folder = Path(tempfile.mkdtemp(prefix=f"briefbot-{short}-"))
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(folder), short], check=True,
                   capture_output=True)
    try:
        yield Tree(short, folder, installed_python(short, folder, cache))
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(folder)], capture_output=True)


def this_tree(cache: Path) -> Tree:
    """This checkout, on a virtualenv of its dependencies (its code comes from the checkout: PYTHONPATH)."""
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                          text=True).stdout.strip() or "this tree"
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    # Keyed by what it declares: a change of code needs no new virtualenv, a change of dependencies does.
    declared = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:12]
    return Tree(f"{head}+changes" if dirty else head, ROOT, installed_python(f"this-{declared}", ROOT, cache))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", metavar="REV", action="append", default=[],
                        help="an older commit to run the same scenario for (repeat the flag for several)")
    parser.add_argument("--runs", type=int, default=2, help="runs per tree, alternating (default 2)")
    parser.add_argument("--chats", type=int, default=30)
    parser.add_argument("--article-waves", type=int, default=3)
    parser.add_argument("--question-waves", type=int, default=5)
    parser.add_argument("--documents", type=int, default=3)
    parser.add_argument("--document-mb", type=float, default=1.9)
    parser.add_argument("--command-runs", type=int, default=5)
    parser.add_argument("--venvs", type=Path, default=Path(tempfile.gettempdir()) / "briefbot-bench-venvs",
                        help="where the baselines' virtualenvs are kept (default: %(default)s)")
    parser.add_argument("--profile", type=Path, metavar="DIR", help="record py-spy profiles into DIR (an extra run)")
    parser.add_argument("--floor", action="store_true",
                        help="also run bench/floorbot.py (python-telegram-bot alone, no work behind it) in steps 1-2")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write every run's raw figures to FILE")
    parser.add_argument("--output", type=Path, help="also write the Markdown report to FILE")
    add_eval_dir_argument(parser)
    args = parser.parse_args(argv)
    shipped_file(SEED_ARTICLE)
    shipped_file(LONG_ARTICLE)
    news = news_articles(EvalData.resolve(args.eval_dir), args.chats * max(args.article_waves - 1, 0))

    with contextlib.ExitStack() as stack:
        trees = [this_tree(args.venvs)]
        for revision in args.baseline:
            trees.append(stack.enter_context(worktree(revision, args.venvs)))
        profiles: dict[str, list[str]] = {}
        floor = [Tree(FLOOR, ROOT, trees[0].python, ("-m", "bench.floorbot"), floor=True)] if args.floor else []
        if args.profile is not None:
            for tree in trees:
                print(f"profiling {tree.label} …", file=sys.stderr, flush=True)
                figures = asyncio.run(scenario(tree, args, news, args.profile))
                for phase, updates in (("questions", figures.answers),
                                       ("documents", len(figures.document_seconds) + len(figures.during_latency))):
                    if not updates:  # a step this run left out
                        continue
                    rows = ["| where | ms per update |", "|---|---:|"]
                    rows += [f"| {key} | {cost:.2f} |"
                             for key, cost in top_costs(args.profile / f"{tree.label}-{phase}.txt", updates)]
                    profiles[f"{tree.label}, {phase}"] = rows
        everyone = [*trees, *floor]
        runs: dict[str, list[Figures]] = {tree.label: [] for tree in everyone}
        for number in range(args.runs):
            order = everyone[number % len(everyone):] + everyone[:number % len(everyone)]  # each first in turn
            for tree in order:
                print(f"run {number + 1}: {tree.label} …", file=sys.stderr, flush=True)
                try:
                    figures = asyncio.run(scenario(tree, args, news, None))
                except TimeoutError as error:
                    if not tree.floor:
                        raise
                    # The floor is a reference, not a tree under test: a lost run of it does not void the others.
                    print(f"  {FLOOR}: run lost ({error})", file=sys.stderr, flush=True)
                    continue
                if not tree.floor:
                    command_times(tree, figures, args.command_runs)
                runs[tree.label].append(figures)
                print(f"  {json.dumps(figures.values())}", file=sys.stderr, flush=True)
        results = {label: merge(figures) for label, figures in runs.items() if figures}
        if args.json is not None:
            args.json.write_text(json.dumps({label: [f.__dict__ for f in figures] for label, figures in runs.items()},
                                            indent=1), encoding="utf-8")
        text = report(args, trees, results, profiles)
    print(text)
    if args.output is not None:
        args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
