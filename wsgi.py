"""Entry point for gunicorn (`gunicorn wsgi:app`) and the flask CLI (`flask --app wsgi ...`)."""
import gc

from tracker import create_app

app = create_app()
# What start-up made lives as long as the process: keep it out of every later collection's scan.
gc.freeze()
