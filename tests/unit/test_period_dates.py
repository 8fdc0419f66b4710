"""Target dates as trackers write them: a period is read as its last day; forms stay strict."""
import datetime as dt

import pytest

from tracker.domain.dates import DateProblem, read_date, read_period_end


@pytest.mark.parametrize("text, day", [
    ("31/03/27", dt.date(2027, 3, 31)),
    ("March 2027", dt.date(2027, 3, 31)),
    ("Feb-28", dt.date(2028, 2, 29)),
    ("Q1 2026/27", dt.date(2026, 6, 30)),
    ("Q4 2026/27", dt.date(2027, 3, 31)),
    ("Quarter 3 2026-2027", dt.date(2026, 12, 31)),
    ("Q3 2026", dt.date(2026, 9, 30)),
    ("2026/27", dt.date(2027, 3, 31)),
    ("Summer 2027", dt.date(2027, 8, 31)),
    ("Winter 2026", dt.date(2027, 2, 28)),
    ("By end of March 2027", dt.date(2027, 3, 31)),
    ("July 2026 and ongoing", dt.date(2026, 7, 31)),
    ("2027", dt.date(2027, 12, 31)),
])
def test_a_period_is_read_as_its_last_day(text, day):
    assert read_period_end(text, "Target")[0] == day


@pytest.mark.parametrize("text", ["next spring", "2026/30", "Q5 2026/27", "when funding allows"])
def test_what_is_no_period_is_refused(text):
    with pytest.raises(DateProblem):
        read_period_end(text, "Target")


def test_a_form_still_wants_a_day():
    with pytest.raises(DateProblem):
        read_date("March 2027", "Target")
