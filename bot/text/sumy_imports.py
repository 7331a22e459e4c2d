"""Sumy's modules without the two heavy imports Briefbot never uses: NLTK and requests.

Why: `sumy/nlp/stemmers/__init__.py` starts with `import nltk.stem.snowball`, which runs NLTK's
package `__init__`: all of NLTK and, through nltk.metrics, scipy.stats, about a second per process.
Every Sumy summarizer imports `null_stemmer` from that package, so the fast engine (subclasses of
Sumy's summarizers) would pay it too, though Briefbot stems Snowball's languages with PyStemmer
(bot/text/stemming.py) and Sumy's own Czech, Slovak, Greek, Polish and Ukrainian stemmers need no
NLTK. Likewise `sumy/utils.py` imports requests (~90 ms) for `fetch_url` alone, which Briefbot
never calls (it fetches with its own client, bot/sources/fetcher.py). Sumy (0.13) has no switch
for either.

So while each of those two modules runs its own code, its import of the heavy module binds a
stand-in that imports the real module at first use: Sumy's `Stemmer("english")` still gets NLTK's
stemmer and `fetch_url` still gets requests, only later. Nothing else about Sumy changes. The
finder below does it for exactly those two modules, the first time they are imported;
`defer_heavy_imports()` (run by bot.text and bot.summaries, before any of them imports Sumy)
puts it first in `sys.meta_path` once. tests/test_sumy_imports.py checks it against Sumy's code.
"""

from __future__ import annotations

import builtins
import importlib
import sys
from importlib.machinery import ModuleSpec, PathFinder, SourceFileLoader
from types import ModuleType
from typing import Any

# Sumy module -> the imports in it that are deferred to their first use.
DEFERRED: dict[str, frozenset[str]] = {
    "sumy.nlp.stemmers": frozenset({"nltk.stem.snowball"}),
    "sumy.utils": frozenset({"requests"}),
}


class Deferred:
    """Stands for module `name` (or a package on the way to a deferred one) until an attribute is read."""

    __slots__ = ("_name", "_target")

    def __init__(self, name: str, target: str) -> None:
        self._name = name
        self._target = target

    def __getattr__(self, attribute: str) -> Any:
        child = f"{self._name}.{attribute}"
        if self._target == child or self._target.startswith(child + "."):
            return Deferred(child, self._target)  # `import nltk.stem.snowball as m` reads .stem, then .snowball
        return getattr(importlib.import_module(self._name), attribute)

    def __repr__(self) -> str:
        return f"<deferred module {self._name!r}>"


def _importer(deferred: frozenset[str]) -> Any:
    """An `__import__` that answers a plain `import X` of a deferred X with a stand-in, and imports the rest."""

    def load(name: str, globals: Any = None, locals: Any = None, fromlist: Any = (), level: int = 0) -> Any:
        if level == 0 and not fromlist and name in deferred and name not in sys.modules:
            return Deferred(name.partition(".")[0], name)
        return builtins.__import__(name, globals, locals, fromlist, level)

    return load


class _DeferringLoader:
    """Sumy's own source loader, running the module with the importer above as its `__import__`."""

    def __init__(self, loader: SourceFileLoader, deferred: frozenset[str]) -> None:
        self._loader = loader
        self._deferred = deferred

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        return None

    def exec_module(self, module: ModuleType) -> None:
        # The module's builtins, with that one change (a copy: the real builtins are left alone).
        module.__builtins__ = {**builtins.__dict__, "__import__": _importer(self._deferred)}  # type: ignore[attr-defined]
        self._loader.exec_module(module)

    def __getattr__(self, name: str) -> Any:  # get_source, get_code...: tracebacks and inspect
        return getattr(self._loader, name)


class SumyImportFinder:
    """Finds the modules of DEFERRED where Python would, and loads them with their heavy imports deferred."""

    def find_spec(self, fullname: str, path: Any = None, target: ModuleType | None = None) -> ModuleSpec | None:
        deferred = DEFERRED.get(fullname)
        if deferred is None:
            return None
        spec = PathFinder.find_spec(fullname, path)
        if spec is None or not isinstance(spec.loader, SourceFileLoader):
            return spec  # not a source file (a frozen or zipped Sumy): imported as it is
        spec.loader = _DeferringLoader(spec.loader, deferred)  # type: ignore[assignment]
        return spec


def defer_heavy_imports() -> None:
    """Install the finder (once); Sumy modules already imported stay as they are."""
    if not any(isinstance(finder, SumyImportFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, SumyImportFinder())
