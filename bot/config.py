"""Settings from the environment and ``.env`` (pydantic-settings). Names are stable API."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MIN_SECRET = 32


def _secret_file(path: Path) -> bytes:
    import os
    import secrets

    path.parent.mkdir(parents=True, exist_ok=True)
    for _ in range(50):
        if path.exists():
            key = path.read_text().strip()
            if len(key) >= MIN_SECRET:
                return key.encode()
            if path.stat().st_size == 0 and _age(path) < 5:  # another process is writing it
                import time

                time.sleep(0.05)
                continue
            raise ValueError(f"{path} holds no usable key; delete it or set SECRET_KEY")
        temp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(temp, path)  # atomic: exactly one process creates the key
        except FileExistsError:
            pass
        finally:
            temp.unlink(missing_ok=True)
    raise RuntimeError(f"could not read or create {path}")


def _age(path: Path) -> float:
    import time

    return time.time() - path.stat().st_mtime


PACKAGED_PROMOTIONS = Path(__file__).resolve().parent.parent / "backend" / "promotions.json"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True)

    # storage
    database_url: str = Field("sqlite+aiosqlite:///./data/redeem-bot.db", alias="DATABASE_URL")
    # the embedded backend's own database (the vendor's side: members, products, claims);
    # separate from the conversation store so the two never wait on one SQLite write lock
    backend_database_url: str = Field("sqlite+aiosqlite:///./data/backend.db", alias="BACKEND_DATABASE_URL")
    media_dir: Path = Field(Path("./data/media"), alias="MEDIA_DIR")
    promotions_file: Path = Field(PACKAGED_PROMOTIONS, alias="PROMOTIONS_FILE")
    log_level: str = Field("INFO", alias="LOG_LEVEL")
    default_locale: str = Field("en", alias="DEFAULT_LOCALE")

    # a random secret for keyed digests of transient data (e.g. the first password entry
    # until it is confirmed). Unset: generated once into data/secret.key. Replicas share one.
    secret_key: SecretStr | None = Field(None, alias="SECRET_KEY")

    # vendor rules
    # one or more regexes (full match on the upper-cased serial without spaces/dashes),
    # separated by ';'; empty = the built-in MSI formats (handlers/validators.py)
    serial_patterns: str = Field("", alias="SERIAL_PATTERNS")
    login_max_failures: int = Field(5, alias="LOGIN_MAX_FAILURES")
    login_lock_minutes: int = Field(15, alias="LOGIN_LOCK_MINUTES")

    # backend
    backend: Literal["local", "http"] = Field("local", alias="BACKEND")
    backend_url: str = Field("http://127.0.0.1:8181", alias="BACKEND_URL")
    backend_token: SecretStr | None = Field(None, alias="BACKEND_TOKEN")
    backend_timeout: float = Field(10.0, alias="BACKEND_TIMEOUT")

    # telegram
    telegram_bot_token: SecretStr | None = Field(None, alias="TELEGRAM_BOT_TOKEN")
    bot_framework: Literal["aiogram", "ptb"] = Field("aiogram", alias="BOT_FRAMEWORK")
    telegram_api_base: str = Field("https://api.telegram.org", alias="TELEGRAM_API_BASE")
    webhook_url: str | None = Field(None, alias="WEBHOOK_URL")
    webhook_listen: str = Field("127.0.0.1:8080", alias="WEBHOOK_LISTEN")
    webhook_secret: SecretStr | None = Field(None, alias="WEBHOOK_SECRET")
    staff_chat_id: str | None = Field(None, alias="STAFF_CHAT_ID")
    # sending limits, messages per seconds: "overall=30/1,chat=3/3,group=20/60" (Telegram's);
    # change them only for tests against a local stand-in
    telegram_rate_limits: str | None = Field(None, alias="TELEGRAM_RATE_LIMITS")
    # customer turns worked on at once; the rest wait in arrival order. A bound keeps
    # latency even under a burst: 1,000 customers at once are answered first come, first
    # served, not all slowly together (see README, architecture)
    telegram_concurrency: int = Field(64, ge=1, le=10_000, alias="TELEGRAM_CONCURRENCY")
    # receive path (flood and shutdown): updates one chat may have waiting in the process (an
    # album counts once); the excess is dropped with one "please slow down" answer per flood
    telegram_chat_backlog: int = Field(20, ge=1, le=10_000, alias="TELEGRAM_CHAT_BACKLOG")
    # on SIGTERM/SIGINT: seconds the turns in progress get to finish; the rest (and updates
    # not started) stay in the inbox and are handled after the restart
    shutdown_timeout: float = Field(10.0, ge=0, le=600, alias="SHUTDOWN_TIMEOUT")

    @field_validator("database_url", "backend_database_url")
    @classmethod
    def _durable(cls, url: str) -> str:
        if url.startswith("sqlite") and (url.rstrip("/").endswith(":") or ":memory:" in url):
            raise ValueError(
                "an in-memory SQLite database would lose every conversation and claim at exit; "
                "give a file, e.g. sqlite+aiosqlite:///./data/redeem-bot.db"
            )
        return url

    def secret_bytes(self) -> bytes:
        """The secret key: SECRET_KEY (at least 32 characters), else a random one generated
        once into a file beside the media directory (0600), safely when several processes
        start at the same time."""
        if self.secret_key is not None:
            key = self.secret_key.get_secret_value()
            if len(key) < MIN_SECRET:
                raise ValueError(f"SECRET_KEY must be at least {MIN_SECRET} characters")
            return key.encode()
        return _secret_file(self.media_dir.parent / "secret.key")

    def serial_regexes(self) -> list[str]:
        return [p for p in (s.strip() for s in self.serial_patterns.split(";")) if p]
