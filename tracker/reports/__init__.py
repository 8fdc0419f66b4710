"""Committee reports: builders (plain data), renderers, the report pages and commands."""
