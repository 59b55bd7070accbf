"""Settings: clear errors, a private development key, and no default secret in production."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from fikir.config.settings import SettingsError, load_settings


def test_development_key_is_generated_once_and_private(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    first = load_settings(data_dir=tmp_path, env="development")
    key_file = tmp_path / "secret_key"
    assert key_file.exists()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert "FIKIR_SECRET_KEY is not set" in caplog.text
    second = load_settings(data_dir=tmp_path, env="development")
    assert first.secret == second.secret


def test_production_refuses_a_missing_key(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="FIKIR_SECRET_KEY"):
        load_settings(data_dir=tmp_path, env="production")
    assert not (tmp_path / "secret_key").exists()


def test_short_key_and_webhook_without_secret_are_refused(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="at least 32"):
        load_settings(data_dir=tmp_path, secret_key="short")
    with pytest.raises(SettingsError, match="FIKIR_TELEGRAM_WEBHOOK_SECRET"):
        load_settings(data_dir=tmp_path, telegram_webhook_url="https://x.example/hook")


def test_environment_names_from_design(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", "AC123")
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "tok")
    monkeypatch.setenv("FIKIR_TWILIO_API_URL", "http://127.0.0.1:9/")
    monkeypatch.setenv("FIKIR_K_ANONYMITY", "7")
    settings = load_settings(data_dir=tmp_path)
    assert settings.twilio_enabled and settings.twilio_api_url == "http://127.0.0.1:9"
    assert settings.k_anonymity == 7
    monkeypatch.setenv("FIKIR_PORT", "not-a-port")
    with pytest.raises(SettingsError, match="port"):
        load_settings(data_dir=tmp_path)
