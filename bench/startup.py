"""Start-up cost of `briefbot --help`, `briefbot ask` (a small library) and `briefbot summarize` of a .txt.

Each command runs as a fresh process, N times, interleaved with the same command of a baseline
tree when one is given (`--baseline DIR`: an older checkout, run with PYTHONPATH=DIR), so both
see the same machine load; the medians of wall and CPU time (user + system) and their ratios are
printed. `--importtime` also lists the slowest imports of each command (python -X importtime).

The processes' user cache directory (XDG_CACHE_HOME) is a temporary one: `summarize .txt` runs with
the cache the first `add` left (the uncompressed language model, bot/text/langid_model.py), and
`summarize, first run` with an empty one each time, as on a new machine or after an upgrade.

    python -m bench.startup [--runs 7] [--baseline /tmp/old] [--importtime]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.evaldata import SEED_ARTICLE

QUESTION = "who visited Israel?"


# The command whose runs each get an empty user cache directory.
FIRST_RUN = "summarize, first run"


def commands(seed: Path) -> dict[str, list[str]]:
    return {
        "--help": ["--help"],
        "ask": ["ask", QUESTION],
        "summarize .txt": ["summarize", str(seed)],
        FIRST_RUN: ["summarize", str(seed)],
    }


@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds of the process: less swayed than wall time by other work on the machine
    stderr: str


def run(args: list[str], env: dict[str, str], extra: list[str] | None = None, *, empty_cache: bool = False) -> Run:
    if empty_cache:
        with tempfile.TemporaryDirectory() as cache:
            return run(args, {**env, "XDG_CACHE_HOME": cache}, extra)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, *(extra or []), "-m", "bot", *args], env=env, cwd=tempfile.gettempdir(),
                          capture_output=True, text=True, timeout=120)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"bench: briefbot {' '.join(args)} failed: {done.stderr.strip()[-300:]}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return Run(elapsed, cpu, done.stderr)


def slowest_imports(stderr: str, top: int = 6) -> list[tuple[int, str]]:
    """(cumulative microseconds, module) of the top-level imports, slowest first."""
    found = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _self, cumulative, name = (part.strip() for part in line[len("import time:"):].split("|"))
        if cumulative.isdigit() and not name.startswith(" ") and name.count(".") == 0:
            found.append((int(cumulative), name))
    return sorted(found, reverse=True)[:top]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--baseline", type=Path, help="an older checkout to compare with (run via PYTHONPATH)")
    parser.add_argument("--importtime", action="store_true", help="also list the slowest imports")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {key: value for key, value in os.environ.items() if not key.startswith("BRIEFBOT_")}
        env.pop("PYTHONPATH", None)
        trees = {"this tree": env}
        if options.baseline:
            trees["baseline"] = {**env, "PYTHONPATH": str(options.baseline.resolve())}
        for number, tree_env in enumerate(trees.values()):
            # Each tree its own library (an older tree cannot open a newer schema) and cache directory.
            tree_env["BRIEFBOT_DATABASE_URL"] = f"sqlite:///{Path(tmp) / f'startup-{number}.sqlite3'}"
            tree_env["XDG_CACHE_HOME"] = str(Path(tmp) / f"cache-{number}")
            run(["add", str(SEED_ARTICLE)], tree_env)
        columns = [f"{name} {kind}" for kind in ("wall", "CPU") for name in trees]
        print(f"{'command':22} " + " ".join(f"{column:>16}" for column in columns)
              + ("   wall ratio   CPU ratio" if options.baseline else ""))
        for label, args in commands(SEED_ARTICLE).items():
            runs: dict[str, list[Run]] = {name: [] for name in trees}
            for _ in range(options.runs):
                for name, tree_env in trees.items():
                    runs[name].append(run(args, tree_env, empty_cache=label == FIRST_RUN))
            wall = {name: statistics.median(r.wall for r in done) for name, done in runs.items()}
            cpu = {name: statistics.median(r.cpu for r in done) for name, done in runs.items()}
            line = f"{label:22} " + " ".join(f"{seconds[name] * 1000:14.0f}ms" for seconds in (wall, cpu)
                                            for name in trees)
            if options.baseline:
                line += (f"   {wall['baseline'] / wall['this tree']:9.1f}×"
                         f"   {cpu['baseline'] / cpu['this tree']:8.1f}×")
            print(line, flush=True)
            if options.importtime:
                for name, tree_env in trees.items():
                    logged = run(args, tree_env, ["-X", "importtime"], empty_cache=label == FIRST_RUN)
                    top = ", ".join(f"{module} {micros / 1e6:.2f} s"
                                    for micros, module in slowest_imports(logged.stderr))
                    print(f"    {name} imports: {top}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
