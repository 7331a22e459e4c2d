from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings, settings_help

README = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")


@pytest.mark.parametrize(("name", "default", "help"), settings_help())
def test_every_setting_is_documented_in_the_readme(name: str, default: object, help: str) -> None:
    assert f"`{name}`" in README


def test_settings_from_environment_with_types() -> None:
    settings = Settings.from_env({
        "BRIEFBOT_CHAT_ID": "42",
        "BRIEFBOT_ALLOW_PRIVATE_NETWORKS": "yes",
        "BRIEFBOT_FETCH_TIMEOUT": "2.5",
        "BRIEFBOT_ALLOWED_USERS": "1, 2,3",
        "UNRELATED": "x",
    })
    assert settings.chat_id == 42
    assert settings.allow_private_networks is True
    assert settings.fetch_timeout == 2.5
    assert settings.allowed_user_ids == frozenset({1, 2, 3})


def test_flags_override_the_environment() -> None:
    settings = Settings.from_env({"BRIEFBOT_CHAT_ID": "42"}, chat_id=7, database_url=None)
    assert settings.chat_id == 7


def test_bad_values_name_the_variable() -> None:
    with pytest.raises(ValueError, match="BRIEFBOT_CHAT_ID"):
        Settings.from_env({"BRIEFBOT_CHAT_ID": "many"})


def test_default_database_is_a_sqlite_file_in_the_user_data_dir() -> None:
    assert Settings().resolved_database_url.startswith("sqlite:///")
    assert Settings().resolved_database_url.endswith("briefbot.sqlite3")
