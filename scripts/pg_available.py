"""Exit 0 when a PostgreSQL server answers at the given SQLAlchemy URL, 1 otherwise (with why)."""
import sys

from sqlalchemy import create_engine, text

url = sys.argv[1]
try:
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
except Exception as exc:  # noqa: BLE001 (any failure means "not available")
    print(f"PostgreSQL not available: {type(exc).__name__}: {exc}".splitlines()[0], file=sys.stderr)
    sys.exit(1)
