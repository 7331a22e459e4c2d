"""The language-identification model read from its uncompressed copy gives py3langid's own answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from bot.text import langid_model
from bot.text.langid_model import copy_folder, load_identifier, model_file
from bot.text.language import Languages
from tests.helpers import seed_article

SAMPLES = [
    seed_article(),
    "Городская библиотека открылась после долгого ремонта.",
    "Die neue Brücke über den Fluss wurde am Montag eröffnet.",
    "Η νέα γέφυρα άνοιξε τη Δευτέρα.",
    "El ministro visitó Israel la semana pasada.",
    "ok",
    "1234 5678",
]


@pytest.fixture(scope="module")
def stock() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def test_the_copy_answers_as_py3langid_does(tmp_path: Path, stock: LanguageIdentifier) -> None:
    made = load_identifier(tmp_path)  # unpacks the shipped model and writes the copy
    folder = copy_folder(tmp_path, model_file())
    assert sorted(p.name for p in folder.iterdir()) == ["classes.npy", "nextmove.npy", "output.npy", "pc.npy",
                                                        "ptc.npy", "row.npy"]
    mapped = load_identifier(tmp_path)  # reads the copy
    assert isinstance(mapped.tk_nextmove, memoryview)
    for sample in SAMPLES:
        assert made.classify(sample) == stock.classify(sample) == mapped.classify(sample), sample
        assert mapped.rank(sample)[:5] == stock.rank(sample)[:5], sample


def test_languages_detect_through_the_copy(tmp_path: Path) -> None:
    languages = Languages(cache_dir=tmp_path)
    assert [languages.detect(s) for s in SAMPLES[:5]] == ["en", "ru", "de", "el", "es"]
    assert copy_folder(tmp_path, model_file()).is_dir()


def test_a_new_model_gets_a_new_copy_and_the_old_one_goes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_identifier(tmp_path)
    old = copy_folder(tmp_path, model_file())
    newer = tmp_path / "model.npz.xz"
    newer.write_bytes(model_file().read_bytes())  # the same model, another file: as after an upgrade
    monkeypatch.setattr(langid_model, "model_file", lambda: newer)
    load_identifier(tmp_path)
    assert copy_folder(tmp_path, newer) != old
    assert [p.name for p in tmp_path.glob("langid-*")] == [copy_folder(tmp_path, newer).name]


def test_a_damaged_copy_is_made_again(tmp_path: Path, stock: LanguageIdentifier) -> None:
    load_identifier(tmp_path)
    damaged = copy_folder(tmp_path, model_file()) / "ptc.npy"
    damaged.write_bytes(damaged.read_bytes()[:1000])
    assert load_identifier(tmp_path).classify(SAMPLES[0]) == stock.classify(SAMPLES[0])
    assert damaged.stat().st_size > 1_000_000


def test_an_unwritable_cache_still_detects(tmp_path: Path, stock: LanguageIdentifier) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    assert load_identifier(blocked).classify(SAMPLES[1]) == stock.classify(SAMPLES[1])
    assert load_identifier(None).classify(SAMPLES[2]) == stock.classify(SAMPLES[2])
