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


SECRET = "s" * 40


def test_production_refuses_a_plain_http_public_url(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="FIKIR_PUBLIC_URL is plain http://"):
        load_settings(
            data_dir=tmp_path, env="production", secret_key=SECRET, public_url="http://fikir.az"
        )
    # Development keeps working over plain http, and so does production on this machine alone.
    load_settings(data_dir=tmp_path, env="development", public_url="http://fikir.az")
    load_settings(
        data_dir=tmp_path, env="production", secret_key=SECRET, public_url="http://127.0.0.1:8000"
    )


def test_production_warns_loudly_about_what_it_allows(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = load_settings(
        data_dir=tmp_path,
        env="production",
        secret_key=SECRET,
        public_url="http://localhost:8000",
        sqlite_synchronous="normal",
    )
    warned = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("not marked Secure" in line for line in warned)
    assert any("FIKIR_METRICS_TOKEN is not set" in line for line in warned)
    assert any("power cut" in line for line in warned)
    assert not settings.docs_enabled
    caplog.clear()
    quiet = load_settings(
        data_dir=tmp_path,
        env="production",
        secret_key=SECRET,
        public_url="https://fikir.example.org",
        metrics_token="m" * 32,
    )
    assert quiet.production_warnings() == [] and quiet.sqlite_synchronous == "full"
    assert not [r for r in caplog.records if "INSECURE" in r.getMessage()]


def test_metrics_token_and_synchronous_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("FIKIR_METRICS_TOKEN", "t" * 24)
    monkeypatch.setenv("FIKIR_SQLITE_SYNCHRONOUS", "normal")
    settings = load_settings(data_dir=tmp_path)
    assert settings.metrics_token is not None
    assert settings.metrics_token.get_secret_value() == "t" * 24
    assert settings.sqlite_synchronous == "normal" and settings.docs_enabled
    monkeypatch.setenv("FIKIR_METRICS_TOKEN", "short")
    with pytest.raises(SettingsError, match="FIKIR_METRICS_TOKEN"):
        load_settings(data_dir=tmp_path)
    monkeypatch.setenv("FIKIR_METRICS_TOKEN", "t" * 24)
    monkeypatch.setenv("FIKIR_SQLITE_SYNCHRONOUS", "off")
    with pytest.raises(SettingsError, match="sqlite_synchronous"):
        load_settings(data_dir=tmp_path)
