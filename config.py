"""Settings. Environment variables override the defaults (DATABASE_URL, SECRET_KEY, ...)."""
import datetime as dt
import os
import secrets
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return f"sqlite:///{INSTANCE_DIR / 'tracker.sqlite'}"
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants the psycopg 3 driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _secret_key() -> str:
    """SECRET_KEY from the environment; else one kept in instance/secret_key, made once, so sessions
    survive a restart and every process on this machine signs alike."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = INSTANCE_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
        return key


class Config:
    SECRET_KEY = _secret_key()
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SEEDS_DIR = Path(os.environ.get("SEEDS_DIR", BASE_DIR / "seeds"))
    # Sessions: signed cookies, never readable by scripts, not sent on cross-site POSTs.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "1") == "1"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    WTF_CSRF_TIME_LIMIT = None  # a form left open over lunch must still submit; the token is per session
    # Sessions are rows in user_session (tracker/people/sessions.py): ended at sign-out, on role or
    # password change and deactivation, after SESSION_IDLE_MINUTES without a request and
    # SESSION_MAX_HOURS after sign-in whatever the activity.
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
    SESSION_MAX_HOURS = int(os.environ.get("SESSION_MAX_HOURS", "12"))
    SESSION_TOUCH_SECONDS = 60  # last-seen is written at most this often
    # The signed cookie itself is refused after the absolute lifetime too (Flask checks its age).
    PERMANENT_SESSION_LIFETIME = dt.timedelta(hours=SESSION_MAX_HOURS)
    # Failed sign-ins allowed per email and per client address (tracker/people/throttle.py).
    LOGIN_ATTEMPTS = os.environ.get("LOGIN_ATTEMPTS", "5 per 15 minutes")
    # How many reverse proxies in front of the app may set X-Forwarded-For/-Proto (0: none).
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    PAGE_SIZE = int(os.environ.get("PAGE_SIZE", "50"))
    # Pages drawn once are kept in each worker's memory until the next write (tracker/page_store.py):
    # at most PAGE_STORE_MB a worker (0 turns it off), and PAGE_STORE_SECONDS for what moves by the clock.
    PAGE_STORE_MB = float(os.environ.get("PAGE_STORE_MB", "8"))
    PAGE_STORE_SECONDS = int(os.environ.get("PAGE_STORE_SECONDS", "300"))
    STALE_AFTER_DAYS = int(os.environ.get("STALE_AFTER_DAYS", "90"))
    MAX_CONTENT_LENGTH = 10 * 1024 * 1024
    # Imports (tracker/imports/limits.py): checked before an upload is expanded or parsed, and
    # parsing runs in a child process killed past IMPORT_PARSE_SECONDS or IMPORT_PARSE_MEMORY_MB.
    IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_MB", "5")) * 1024 * 1024
    IMPORT_MAX_UNPACKED_BYTES = int(os.environ.get("IMPORT_MAX_UNPACKED_MB", "64")) * 1024 * 1024
    IMPORT_MAX_PARTS = int(os.environ.get("IMPORT_MAX_PARTS", "1000"))  # members of a .xlsx/.docx zip
    IMPORT_MAX_RATIO = int(os.environ.get("IMPORT_MAX_RATIO", "200"))  # unpacked/stored size of one member
    IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "20000"))
    IMPORT_MAX_COLUMNS = int(os.environ.get("IMPORT_MAX_COLUMNS", "200"))
    IMPORT_MAX_CELLS = int(os.environ.get("IMPORT_MAX_CELLS", "1000000"))
    IMPORT_MAX_PDF_PAGES = int(os.environ.get("IMPORT_MAX_PDF_PAGES", "300"))
    IMPORT_PARSE_SECONDS = float(os.environ.get("IMPORT_PARSE_SECONDS", "30"))
    IMPORT_PARSE_MEMORY_MB = int(os.environ.get("IMPORT_PARSE_MEMORY_MB", "1024"))
    IMPORT_KEEP_MINUTES = int(os.environ.get("IMPORT_KEEP_MINUTES", "60"))  # an upload waiting for confirm
    # Update requests to owners (tracker/owners/mail.py): sent by SMTP when MAIL_SERVER is set, otherwise
    # written as .eml files to MAIL_OUTBOX (instance/outbox/) and listed at /outbox for the manager to forward.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "0") == "1"
    MAIL_FROM = os.environ.get("MAIL_FROM", "best-value-tracker@localhost")
    MAIL_OUTBOX = os.environ.get("MAIL_OUTBOX", str(INSTANCE_DIR / "outbox"))
    MAIL_TIMEOUT_SECONDS = float(os.environ.get("MAIL_TIMEOUT_SECONDS", "20"))
    # The address reply links start with in mail sent by `flask reminders send` (no request to take it from).
    BASE_URL = os.environ.get("BASE_URL", "")  # e.g. https://tracker.council.gov.uk; pages use their own address
    REMINDER_DAYS_BEFORE = int(os.environ.get("REMINDER_DAYS_BEFORE", "3"))
    # Background jobs (tracker/jobs): on RQ when REDIS_URL is set (run `flask --app wsgi jobs worker`
    # beside the app processes), else in a thread of the app process. Results are kept as files
    # under JOBS_DIR (every app process must see the same folder) for JOB_KEEP_HOURS.
    REDIS_URL = os.environ.get("REDIS_URL", "")
    JOBS_QUEUE = os.environ.get("JOBS_QUEUE", "best-value-tracker")
    JOBS_DIR = os.environ.get("JOBS_DIR", "")  # default: instance/jobs
    JOB_TIMEOUT = int(os.environ.get("JOB_TIMEOUT", "1800"))  # seconds before a job is stopped (RQ) or given up
    JOB_KEEP_HOURS = int(os.environ.get("JOB_KEEP_HOURS", "24"))
    # Appendix B as PDF of a review with more actions than this is made by a job, not in the request.
    REPORT_JOB_THRESHOLD = int(os.environ.get("REPORT_JOB_THRESHOLD", "150"))


class DevelopmentConfig(Config):
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "0") == "1"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE


class TestConfig(Config):
    TESTING = True
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # fast for tests only; production uses scrypt
    SECRET_KEY = "test-secret-key"
    SESSION_COOKIE_SECURE = False
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
    MAIL_SERVER = ""  # never mail anyone from a test run; tests that send start their own server
    MAIL_OUTBOX = str(Path(tempfile.gettempdir()) / "tracker-test-outbox")  # not the checkout's instance/


CONFIGS = {"production": Config, "development": DevelopmentConfig, "test": TestConfig}
