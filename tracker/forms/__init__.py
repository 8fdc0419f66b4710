"""What every form shares: the GOV.UK date field that reads dates as people type them, and the
way a refusal from an operation (tracker/refused.py) lands on the form's field."""
from ..domain.dates import DateProblem, read_date
from .dates import GovDateField
from .refusals import show_refusal

__all__ = ["DateProblem", "GovDateField", "read_date", "show_refusal"]
