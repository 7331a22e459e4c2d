"""py3langid's language identifier, read from an uncompressed copy of its model in the user's cache directory.

py3langid ships its model LZMA-compressed (4.6 MB, 68 MB unpacked), and unpacking it took ~0.45 s of
every process that detects a language (`briefbot summarize`, `add`, the bot's first article). The copy
is derived from the shipped file, nothing is downloaded: the first process to need it unpacks the
model as py3langid does and writes its arrays as .npy files into a folder named after py3langid's
version and the model file's size and time, so a new py3langid gets a new copy (older ones are
removed). Later processes map the files into memory instead (a few milliseconds, and the pages are
shared between processes). Where the cache directory cannot be written, the model is read as
py3langid reads it, every time.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier
from py3langid.modelio import load_model

logger = logging.getLogger(__name__)

# py3langid's model tuple, in load_model's order: (nb_ptc, nb_pc, nb_classes, tk_nextmove, tk_row, tk_output).
_ARRAYS = ("ptc", "pc", "classes", "nextmove", "row", "output")
_DTYPES = {"ptc": np.float16, "pc": np.float32, "nextmove": np.uint32, "row": np.uint16, "output": np.int32}
# The two big arrays (28 and 39 MB), mapped rather than read.
_MAPPED = frozenset({"ptc", "nextmove"})


def model_file() -> Path:
    return MODEL_DIR / MODEL_FILE


def copy_folder(cache_dir: Path, source: Path) -> Path:
    """Where the uncompressed copy of `source` lives: named after py3langid's version and the file's size and time."""
    stat = source.stat()
    key = f"{metadata.version('py3langid')}:{source.resolve()}:{stat.st_size}:{stat.st_mtime_ns}"
    return cache_dir / f"langid-{hashlib.sha256(key.encode()).hexdigest()[:16]}"


def load_identifier(cache_dir: Path | None) -> LanguageIdentifier:
    """py3langid's identifier (probabilities normalised), from the cached copy; made first when missing or stale."""
    source = model_file()
    if cache_dir is not None:
        folder = copy_folder(cache_dir, source)
        try:
            return _identifier(_read_copy(folder))
        except (OSError, ValueError):  # missing or damaged: made anew below
            shutil.rmtree(folder, ignore_errors=True)
    model = load_model(source)
    if cache_dir is not None:
        try:
            _write_copy(folder, model)
        except OSError as error:
            logger.debug("could not keep an uncompressed language model in %s: %s", cache_dir, error)
    return _identifier(model)


def _identifier(model: tuple[Any, ...]) -> LanguageIdentifier:
    ptc, pc, classes, nextmove, row, output = model
    return LanguageIdentifier(np.asarray(ptc), np.asarray(pc), list(classes), nextmove, output, norm_probs=True,
                              tk_row=row)


def _read_copy(folder: Path) -> tuple[Any, ...]:
    arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r" if name in _MAPPED else None, allow_pickle=False)
              for name in _ARRAYS}
    # The automaton is walked a byte at a time in Python: a memoryview indexes like py3langid's array
    # and yields plain ints, without copying the mapped file.
    return (arrays["ptc"], arrays["pc"], arrays["classes"].tolist(), memoryview(arrays["nextmove"]),
            memoryview(arrays["row"]), arrays["output"].tolist())


def _write_copy(folder: Path, model: tuple[Any, ...]) -> None:
    """Write the arrays into a new folder beside `folder`, then rename it: readers see all of it or nothing."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=".langid-", dir=folder.parent))
    try:
        for name, value in zip(_ARRAYS, model, strict=True):
            array = np.asarray(value) if name == "classes" else np.asarray(value, dtype=_DTYPES[name])
            np.save(partial / f"{name}.npy", array, allow_pickle=False)
        os.rename(partial, folder)
    except OSError:
        shutil.rmtree(partial, ignore_errors=True)
        if not folder.is_dir():  # another process may have renamed its copy first: that one serves
            raise
        return
    for stale in folder.parent.glob("langid-*"):
        if stale != folder:
            shutil.rmtree(stale, ignore_errors=True)
