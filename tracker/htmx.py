"""The htmx request helper on its own, so pages can ask "is this an htmx request?" without
importing the database (pages do not touch the session: see pyproject's import contracts)."""
from flask_htmx import HTMX

htmx = HTMX()
