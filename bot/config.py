"""Settings from the environment and ``.env`` (pydantic-settings). Names are stable API."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from states.support_hours import SupportHours, parse_hours

MIN_SECRET = 32
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def _secret_file(path: Path) -> bytes:
    import os
    import secrets

    from storage.files import FILE_MODE, private_dir

    private_dir(path.parent)  # created 0700 (the key itself is 0600)
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
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        os.fchmod(fd, FILE_MODE)
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
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True
    )

    # storage
    database_url: str = Field("sqlite+aiosqlite:///./data/redeem-bot.db", alias="DATABASE_URL")
    # the embedded backend's own database (the vendor's side: members, products, claims);
    # separate from the conversation store so the two never wait on one SQLite write lock
    backend_database_url: str = Field(
        "sqlite+aiosqlite:///./data/backend.db", alias="BACKEND_DATABASE_URL"
    )
    media_dir: Path = Field(Path("./data/media"), alias="MEDIA_DIR")
    promotions_file: Path = Field(PACKAGED_PROMOTIONS, alias="PROMOTIONS_FILE")
    log_level: str = Field("INFO", alias="LOG_LEVEL")
    default_locale: str = Field("en", alias="DEFAULT_LOCALE")
    # the language of the staff chat and the staff commands' answers (en, de, zh-Hant)
    staff_locale: str = Field("en", alias="STAFF_LOCALE")

    # a random secret (pepper of the first password entry's slow hash, key of the emailed
    # codes' digests). Unset: generated once into SECRET_KEY_FILE. Replicas share one.
    secret_key: SecretStr | None = Field(None, alias="SECRET_KEY")
    # where the generated key lives: never beside the databases, so a copy of ./data alone
    # is not enough to test guesses. Unset: $XDG_CONFIG_HOME/redeem-bot/secret.key
    # (~/.config/redeem-bot/secret.key), directory 0700, file 0600
    secret_key_file: Path | None = Field(None, alias="SECRET_KEY_FILE")

    # vendor rules
    # one or more regexes (full match on the upper-cased serial without spaces/dashes),
    # separated by ';'; empty = the built-in MSI formats (handlers/validators.py)
    serial_patterns: str = Field("", alias="SERIAL_PATTERNS")
    login_max_failures: int = Field(5, alias="LOGIN_MAX_FAILURES")
    login_lock_minutes: int = Field(15, alias="LOGIN_LOCK_MINUTES")
    # the pages the sign-up consent links to: the privacy policy (agreeing is required) and
    # the MSI Reward Program terms and conditions (agreed to by joining)
    privacy_url: str = Field("https://www.msi.com/page/privacy-policy", alias="PRIVACY_URL")
    terms_url: str = Field("https://www.msi.com/page/terms-of-use", alias="TERMS_URL")

    # backend
    backend: Literal["local", "http"] = Field("local", alias="BACKEND")
    backend_url: str = Field("http://127.0.0.1:8181", alias="BACKEND_URL")
    backend_token: SecretStr | None = Field(None, alias="BACKEND_TOKEN")
    backend_timeout: float = Field(10.0, alias="BACKEND_TIMEOUT")

    # telegram
    telegram_bot_token: SecretStr | None = Field(None, alias="TELEGRAM_BOT_TOKEN")
    bot_framework: Literal["aiogram", "ptb", "wire"] = Field("aiogram", alias="BOT_FRAMEWORK")
    telegram_api_base: str = Field("https://api.telegram.org", alias="TELEGRAM_API_BASE")
    webhook_url: str | None = Field(None, alias="WEBHOOK_URL")
    webhook_listen: str = Field("127.0.0.1:8080", alias="WEBHOOK_LISTEN")
    webhook_secret: SecretStr | None = Field(None, alias="WEBHOOK_SECRET")
    staff_chat_id: str | None = Field(None, alias="STAFF_CHAT_ID")
    # forum topics: staff answers reach customers without the staff member's name unless set
    staff_signature: bool = Field(False, alias="STAFF_SIGNATURE")
    # sending limits, messages per seconds: "overall=30/1,chat=3/3,group=20/60" (Telegram's);
    # change them only for tests against a local stand-in
    telegram_rate_limits: str | None = Field(None, alias="TELEGRAM_RATE_LIMITS")
    # customer turns worked on at once; the rest wait in arrival order. A bound keeps
    # latency even under a burst: 1,000 customers at once are answered first come, first
    # served, not all slowly together (see README, architecture). It must cover the turns
    # waiting on the network meanwhile (Telegram's round trip, a database hop): 64 left the
    # event loop idle a quarter of the time at 300 customers (bench/README.md)
    telegram_concurrency: int = Field(256, ge=1, le=10_000, alias="TELEGRAM_CONCURRENCY")
    # receive path (flood and shutdown): updates one chat may have waiting in the process (an
    # album counts once); the excess is dropped with one "please slow down" answer per flood
    telegram_chat_backlog: int = Field(20, ge=1, le=10_000, alias="TELEGRAM_CHAT_BACKLOG")
    # on SIGTERM/SIGINT: seconds the turns in progress get to finish; the rest (and updates
    # not started) stay in the inbox and are handled after the restart
    shutdown_timeout: float = Field(10.0, ge=0, le=600, alias="SHUTDOWN_TIMEOUT")

    # staff authority (who may act in the staff chat; see README "Staff")
    # Telegram user ids, comma-separated: the allow-list. An anonymous admin, the group itself
    # or another bot is staff only when its (chat or bot) id is listed here
    staff_user_ids: str = Field("", alias="STAFF_USER_IDS")
    # auto: the allow-list when set, else the staff chat's administrators; allowlist; admins;
    # both: listed and an administrator right now
    staff_authority: Literal["auto", "allowlist", "admins", "both"] = Field(
        "auto", alias="STAFF_AUTHORITY"
    )
    # how long a staff chat member's role (getChatMember) is trusted before it is asked again
    staff_role_cache_seconds: float = Field(60.0, ge=0, le=3600, alias="STAFF_ROLE_CACHE_SECONDS")
    # conversations whose session is kept in memory (most recently used; 0: always read the
    # database). Beyond it a step reads its session from the database (bench/README.md)
    session_cache_size: int = Field(4096, ge=0, le=1_000_000, alias="SESSION_CACHE_SIZE")
    # the staff workspace: when people answer ("Mon-Fri 09:00-18:00 Europe/Berlin"; empty:
    # always), and after how many minutes unanswered staff get a reminder in the topic
    support_hours: str = Field("", alias="SUPPORT_HOURS")
    support_sla_minutes: int = Field(60, ge=1, le=7 * 24 * 60, alias="SUPPORT_SLA_MINUTES")
    # the review desk as cards: the chat the claim cards go to (unset: no cards), and
    # the unused codes of a digital promotion below which staff are warned there
    review_chat_id: str | None = Field(None, alias="REVIEW_CHAT_ID")
    code_stock_warn: int = Field(10, ge=0, le=1_000_000, alias="CODE_STOCK_WARN")

    # housekeeping: the running bot prunes tables that only grow (bot/housekeeping.py).
    # Handled update ids are kept long enough to drop any redelivery (Telegram keeps an
    # update at most 24 hours); sent outbox rows (reply texts, codes among them) only briefly
    update_log_retention_hours: int = Field(72, ge=25, alias="UPDATE_LOG_RETENTION_HOURS")
    outbox_retention_hours: int = Field(24, ge=1, alias="OUTBOX_RETENTION_HOURS")
    prune_interval_minutes: int = Field(60, ge=1, alias="PRUNE_INTERVAL_MINUTES")
    prune_batch: int = Field(1000, ge=1, le=100_000, alias="PRUNE_BATCH")
    # the receive inbox keeps raw updates (a password typed in chat among them) only until
    # handled; one never handled (a crash loop, a bug) is pruned past this age (Telegram too
    # forgets an update it could not deliver in 24 h)
    inbox_retention_hours: int = Field(24, ge=1, le=24 * 7, alias="INBOX_RETENTION_HOURS")

    # email ownership (one-time codes by email for sign-up and password reset). Without
    # SMTP_HOST the code is shown in the chat as a marked demo message (no proof of anything)
    smtp_host: str | None = Field(None, alias="SMTP_HOST")
    smtp_port: int = Field(587, ge=1, le=65535, alias="SMTP_PORT")  # 465: TLS from the start
    smtp_user: str | None = Field(None, alias="SMTP_USER")
    smtp_password: SecretStr | None = Field(None, alias="SMTP_PASSWORD")
    smtp_from: str = Field("MSI Member Center <no-reply@localhost>", alias="SMTP_FROM")
    smtp_starttls: bool = Field(True, alias="SMTP_STARTTLS")
    smtp_timeout: float = Field(10.0, gt=0, alias="SMTP_TIMEOUT")
    email_code_minutes: int = Field(15, ge=1, le=1440, alias="EMAIL_CODE_MINUTES")
    email_code_tries: int = Field(5, ge=1, le=20, alias="EMAIL_CODE_TRIES")
    email_resend_seconds: int = Field(60, ge=1, alias="EMAIL_RESEND_SECONDS")
    # one mailbox, one member: "+tag" ignored; dots ignored for these domains (comma list)
    email_ignore_plus_tags: bool = Field(True, alias="EMAIL_IGNORE_PLUS_TAGS")
    email_dotless_domains: str = Field("gmail.com,googlemail.com", alias="EMAIL_DOTLESS_DOMAINS")

    # logging (bot/logs.py): third-party libraries (aiosqlite, SQLAlchemy, aiogram,
    # python-telegram-bot, httpx, aiohttp, asyncio...) log at this level or above, whatever
    # LOG_LEVEL says: at DEBUG they print statement parameters and whole updates. Lower it
    # only to debug a library; their records below WARNING then show argument types, not values
    log_library_level: str = Field("WARNING", alias="LOG_LIBRARY_LEVEL")

    @field_validator("log_level", "log_library_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in LOG_LEVELS:
            raise ValueError(f"must be one of {', '.join(LOG_LEVELS)}")
        return level

    # images (see storage/image_pool.py, handlers/images.py): worker processes decoding
    # pictures, pictures that may wait for one (more: "busy, try again in a moment"), and
    # pictures per chat as "count/seconds" for signed-in customers and for guests
    image_workers: int = Field(2, ge=1, le=64, alias="IMAGE_WORKERS")
    image_queue: int = Field(8, ge=0, le=10_000, alias="IMAGE_QUEUE")
    image_rate: str = Field("10/60", alias="IMAGE_RATE")
    image_rate_guest: str = Field("3/60", alias="IMAGE_RATE_GUEST")
    # OCR (storage/ocr_pool.py: the invoice pre-check, the sticker's printed S/N): worker
    # processes (~300 MB and ~1 s of a core per page each), checks that may wait for one,
    # and seconds a check may take before the claim goes on "unchecked"; 0 workers: OCR off
    # (no pre-check: claims go on unchecked, the sticker is read by its barcode only)
    ocr_workers: int = Field(1, ge=0, le=16, alias="OCR_WORKERS")
    ocr_queue: int = Field(4, ge=0, le=1000, alias="OCR_QUEUE")
    ocr_timeout_seconds: float = Field(20.0, gt=0, le=600, alias="OCR_TIMEOUT_SECONDS")

    @field_validator("image_rate", "image_rate_guest")
    @classmethod
    def _rate(cls, value: str) -> str:
        cls.image_rate_pair(value)
        return value

    @staticmethod
    def image_rate_pair(value: str) -> tuple[int, float]:
        """ "10/60" -> (10, 60.0): that many pictures per that many seconds."""
        count, sep, seconds = value.partition("/")
        try:
            pair = (int(count), float(seconds))
        except ValueError:
            pair = (0, 0.0)
        if not sep or pair[0] < 1 or not pair[1] > 0:
            raise ValueError(f"expected count/seconds, e.g. 10/60, not {value!r}")
        return pair

    @field_validator("database_url", "backend_database_url")
    @classmethod
    def _durable(cls, url: str) -> str:
        if url.startswith("sqlite") and (url.rstrip("/").endswith(":") or ":memory:" in url):
            raise ValueError(
                "an in-memory SQLite database would lose every conversation and claim at exit; "
                "give a file, e.g. sqlite+aiosqlite:///./data/redeem-bot.db"
            )
        return url

    @field_validator("staff_user_ids")
    @classmethod
    def _ids(cls, value: str) -> str:
        for part in value.replace(",", " ").split():
            if not part.lstrip("-").isdigit():
                raise ValueError(f"{part!r} is not a Telegram id; give numbers separated by commas")
        return value

    @field_validator("support_hours")
    @classmethod
    def _hours(cls, value: str) -> str:
        parse_hours(value)  # HoursError (a ValueError) says what is wrong
        return value

    def hours(self) -> SupportHours:
        """SUPPORT_HOURS, read."""
        return parse_hours(self.support_hours)

    @model_validator(mode="after")
    def _staff_listed(self) -> Settings:
        if self.staff_authority in ("allowlist", "both") and not self.staff_ids():
            raise ValueError(
                f"STAFF_AUTHORITY={self.staff_authority} needs STAFF_USER_IDS (nobody would be staff)"
            )
        return self

    def staff_ids(self) -> frozenset[str]:
        """The allow-list (STAFF_USER_IDS) as id strings."""
        return frozenset(str(int(p)) for p in self.staff_user_ids.replace(",", " ").split())

    def secret_bytes(self) -> bytes:
        """The secret key: SECRET_KEY (at least 32 characters), else a random one generated
        once into SECRET_KEY_FILE (0600; by default in the user's config directory, away
        from ./data), safely when several processes start at the same time."""
        if self.secret_key is not None:
            key = self.secret_key.get_secret_value()
            if len(key) < MIN_SECRET:
                raise ValueError(f"SECRET_KEY must be at least {MIN_SECRET} characters")
            return key.encode()
        return _secret_file(self.secret_key_path())

    def secret_key_path(self) -> Path:
        """Where the generated secret key lives when ``SECRET_KEY`` is not set."""
        if self.secret_key_file is not None:
            return self.secret_key_file
        import os

        base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
        return Path(base) / "redeem-bot" / "secret.key"

    def dotless_domains(self) -> tuple[str, ...]:
        return tuple(d.strip().lower() for d in self.email_dotless_domains.split(",") if d.strip())

    def serial_regexes(self) -> list[str]:
        return [p for p in (s.strip() for s in self.serial_patterns.split(";")) if p]
