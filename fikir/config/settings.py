"""Settings from the environment, validated once, so a misconfigured deployment fails at start."""

from __future__ import annotations

import ipaddress
import logging
import os
import secrets
import stat
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from fikir.config.languages import LANGUAGE_CODES
from fikir.config.organisation import organisation_names

log = logging.getLogger(__name__)

SECRET_KEY_FILE = "secret_key"  # noqa: S105 - a file name, not a secret
MIN_SECRET_LENGTH = 32


class SettingsError(RuntimeError):
    """A setting is missing or wrong; the message names the variable and what to do."""


class Settings(BaseSettings):
    """Everything fikir reads from its environment (DESIGN.md lists the variables)."""

    model_config = SettingsConfigDict(env_prefix="FIKIR_", extra="ignore", populate_by_name=True)

    env: Literal["development", "test", "production"] = "development"
    data_dir: Path = Path("var")
    database_url: str = ""
    secret_key: SecretStr | None = None

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    public_url: str = ""
    # Proxies whose X-Forwarded-For names the client (uvicorn's list: addresses, CIDRs or "*");
    # sign-in throttling counts by that client, so a proxy left out makes everyone one source.
    forwarded_allow_ips: str = "127.0.0.1"

    telegram_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org"
    telegram_webhook_url: str = ""
    telegram_webhook_secret: SecretStr | None = None

    twilio_account_sid: str = Field(
        default="", validation_alias=AliasChoices("TWILIO_ACCOUNT_SID", "twilio_account_sid")
    )
    twilio_auth_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("TWILIO_AUTH_TOKEN", "twilio_auth_token")
    )
    twilio_from: str = ""
    twilio_api_url: str = "https://api.twilio.com"
    # WhatsApp through the same Twilio account: the sender (whatsapp:+994…), the approved
    # template per language (Content SIDs, {"az": "HX…"}) for messages outside the 24-hour
    # window, and how long a message waits for the person to write before it is skipped.
    whatsapp_from: str = ""
    whatsapp_templates: dict[str, str] = Field(default_factory=dict)
    whatsapp_wait_hours: float = Field(default=72.0, ge=0, le=24 * 30)
    whatsapp_rate: float = Field(default=10.0, gt=0, description="WhatsApp messages per second")

    # What the printed poster (/say/poster.pdf) and the live poll page tell people: the
    # Telegram bot's username (without @; its link is https://t.me/<name>) and the number
    # that SMS keywords are sent to.
    telegram_bot_username: str = ""
    sms_number: str = ""
    # The public web channel (/say): messages from one client (a salted, daily-rotating hash of
    # its network address, kept in memory) per 10 minutes before a proof of work is asked, and
    # before even that is refused (docs/privacy.md, "The web channel").
    say_soft_limit: int = Field(default=30, ge=1, le=100_000)
    say_hard_limit: int = Field(default=300, ge=1, le=1_000_000)

    smsgate_url: str = ""
    smsgate_user: str = ""
    smsgate_password: SecretStr | None = None
    smsgate_webhook_secret: SecretStr | None = None

    sms_rate: float = Field(default=1.0, gt=0, description="SMS segments per second")
    # "auto": SMS in az, tly and en (registry: sms.plain_letters) always use plain GSM-7 letters
    # (e for ə, s for ş …), in every message of a conversation alike; "never": every letter as written.
    sms_transliterate: Literal["auto", "never"] = "auto"
    sms_segment_cost: float = Field(
        default=0.05, ge=0, description="estimated cost per segment, USD"
    )
    telegram_rate: float = Field(default=30.0, gt=0)

    k_anonymity: int = Field(default=5, ge=2, le=100)
    # Who reads the messages, as participants are told: one name, or JSON by language code.
    organisation_name: str = ""
    retention_months: int = Field(default=24, ge=1, le=240)
    # "You said, we did": an update reaches those who wrote about it in the last N months.
    updates_months: int = Field(default=6, ge=1, le=60)

    digest_cron: str = "0 9 1 * *"
    timezone: str = "Asia/Baku"
    digest_emails: str = ""
    smtp_url: str = ""
    # Duty officers' addresses, told at once of a reprisal report (docs/safety.md).
    duty_emails: str = ""
    # Alerts between digests (docs/alerts.md): an immediate subscription hears at most once per
    # window; daily ones at this local hour; a sharp rise needs this Poisson tail and ratio.
    alert_window_minutes: int = Field(default=15, ge=1, le=1440)
    alert_daily_hour: int = Field(default=8, ge=0, le=23)
    alert_rise_alpha: float = Field(default=0.001, gt=0, lt=0.5)
    alert_rise_ratio: float = Field(default=2.0, ge=1.0, le=100.0)
    # A scheduled poll is held, not sent, when its SMS cost grew past the confirmed plan by more.
    poll_cost_margin: float = Field(default=0.10, ge=0, le=10)

    log_level: str = "INFO"
    scheduler: bool = True

    # Exposure and durability (docs/deploy.md, "Hardening"): see _production_warnings.
    sqlite_synchronous: Literal["full", "normal"] = "full"
    metrics_token: SecretStr | None = None

    @field_validator("telegram_api_url", "twilio_api_url", "public_url", "smsgate_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @field_validator("organisation_name")
    @classmethod
    def _organisation(cls, value: str) -> str:
        organisation_names(value)  # refuses a malformed value at start
        return value

    @field_validator("telegram_bot_username")
    @classmethod
    def _bot_username(cls, value: str) -> str:
        name = value.strip().removeprefix("@").removeprefix("https://t.me/")
        if name and not (
            5 <= len(name) <= 32 and name.isascii() and name.replace("_", "").isalnum()
        ):
            raise ValueError(
                "FIKIR_TELEGRAM_BOT_USERNAME is the bot's username (letters, digits and _, "
                f"5 to 32 of them, e.g. fikir_az_bot); {value!r} is not one"
            )
        return name

    @model_validator(mode="after")
    def _check(self) -> Settings:
        if self.say_hard_limit < self.say_soft_limit:
            raise ValueError(
                "FIKIR_SAY_HARD_LIMIT must not be below FIKIR_SAY_SOFT_LIMIT (messages per client "
                "per 10 minutes: first a proof of work is asked, then they are refused)"
            )
        if self.telegram_webhook_url and not self.telegram_webhook_secret:
            raise ValueError(
                "FIKIR_TELEGRAM_WEBHOOK_URL is set but FIKIR_TELEGRAM_WEBHOOK_SECRET is not: "
                "set a random secret (letters, digits, _ and -) so forged updates are refused"
            )
        if (
            self.secret_key is not None
            and len(self.secret_key.get_secret_value()) < MIN_SECRET_LENGTH
        ):
            raise ValueError(
                f"FIKIR_SECRET_KEY must be at least {MIN_SECRET_LENGTH} characters; "
                "generate one with: python -c 'import secrets; print(secrets.token_urlsafe(48))'"
            )
        if (
            self.env == "production"
            and self.public_url.startswith("http://")
            and not _is_loopback_url(self.public_url)
        ):
            raise ValueError(
                "FIKIR_PUBLIC_URL is plain http:// in production: staff session cookies would "
                "travel unencrypted and could not be marked Secure. Serve fikir behind HTTPS and "
                "set FIKIR_PUBLIC_URL=https://… (see docs/deploy.md, Hardening)"
            )
        for lang, sid in self.whatsapp_templates.items():
            if lang not in LANGUAGE_CODES or not sid.startswith("HX"):
                raise ValueError(
                    "FIKIR_WHATSAPP_TEMPLATES maps language codes to Content SIDs, "
                    f'e.g. {{"az": "HX…"}}; {lang!r} → {sid!r} is not one'
                )
        if self.metrics_token is not None and len(self.metrics_token.get_secret_value()) < 16:
            raise ValueError("FIKIR_METRICS_TOKEN must be at least 16 characters")
        return self

    def production_warnings(self) -> list[str]:
        """What weakens a production deployment without stopping it; logged loudly at start."""
        if self.env != "production":
            return []
        found = []
        if not self.public_url.startswith("https://"):
            found.append(
                "FIKIR_PUBLIC_URL is not https://: the staff session cookie is not marked Secure; "
                "only acceptable when fikir is reached on this machine alone"
            )
        if self.metrics_token is None:
            found.append(
                "FIKIR_METRICS_TOKEN is not set: GET /metrics answers loopback clients only"
            )
        if self.sqlite_synchronous == "normal" and is_sqlite_url(self.effective_database_url):
            found.append(
                "FIKIR_SQLITE_SYNCHRONOUS=normal: a power cut can lose messages already "
                "acknowledged to Telegram and Twilio"
            )
        return found

    @property
    def docs_enabled(self) -> bool:
        """/docs and /openapi.json list every route, admin ones too: development only."""
        return self.env == "development"

    # Derived values -------------------------------------------------------------------------
    @property
    def effective_database_url(self) -> str:
        """The configured URL, or the embedded SQLite file under data_dir."""
        return self.database_url or f"sqlite:///{(self.data_dir / 'fikir.db').as_posix()}"

    @property
    def telegram_bot_url(self) -> str:
        """The bot's public link, from its username ("" when the username is not set)."""
        return f"https://t.me/{self.telegram_bot_username}" if self.telegram_bot_username else ""

    @property
    def secret(self) -> bytes:
        """The secret key as bytes; `load_settings` guarantees it is set."""
        if self.secret_key is None:
            raise SettingsError("FIKIR_SECRET_KEY is not set")
        return self.secret_key.get_secret_value().encode()

    @property
    def telegram_enabled(self) -> bool:
        return self.telegram_token is not None

    @property
    def twilio_enabled(self) -> bool:
        return bool(self.twilio_account_sid and self.twilio_auth_token)

    @property
    def whatsapp_enabled(self) -> bool:
        return self.twilio_enabled and bool(self.whatsapp_from)

    @property
    def smsgate_enabled(self) -> bool:
        return bool(self.smsgate_url and self.smsgate_user and self.smsgate_password)

    @property
    def organisation(self) -> dict[str, str]:
        """The organisation's name in every language fikir speaks."""
        return organisation_names(self.organisation_name)

    @property
    def digest_email_list(self) -> list[str]:
        return [e.strip() for e in self.digest_emails.split(",") if e.strip()]

    @property
    def duty_email_list(self) -> list[str]:
        return [e.strip() for e in self.duty_emails.split(",") if e.strip()]


def _is_loopback_url(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_sqlite_url(url: str) -> bool:
    return url.startswith("sqlite")


def _read_or_create_secret(data_dir: Path) -> str:
    """Keep a development key in a private file so pseudonyms stay stable across restarts."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / SECRET_KEY_FILE
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    log.warning(
        "FIKIR_SECRET_KEY is not set: generated a development key in %s (mode 0600). "
        "Set FIKIR_SECRET_KEY and FIKIR_ENV=production before real use.",
        path,
    )
    return key


def load_settings(**overrides: object) -> Settings:
    """Build settings from the environment; fill in a development key or refuse in production."""
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValueError as exc:
        raise SettingsError(f"invalid configuration: {exc}") from exc
    if settings.secret_key is None:
        if settings.env == "production":
            raise SettingsError(
                "FIKIR_SECRET_KEY is required when FIKIR_ENV=production: set it to a long random "
                "value kept outside the database and its backups (see docs/privacy.md)"
            )
        settings = settings.model_copy(
            update={"secret_key": SecretStr(_read_or_create_secret(settings.data_dir))}
        )
    for warning in settings.production_warnings():
        log.warning("INSECURE CONFIGURATION: %s", warning)
    return settings
