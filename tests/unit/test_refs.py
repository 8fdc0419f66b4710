import pytest

from tracker.domain.refs import BadPattern, check_ref, compile_pattern, theme_in_ref

CARLISLE = r"CC-\d{2}-{theme}-\d{2}"


@pytest.mark.parametrize("ref, theme, ok", [
    ("CC-01-ENV-01", "ENV", True),
    ("CC-87-ORG-32", "ORG", True),
    ("CC-1-ENV-01", "ENV", False),      # one digit where the pattern wants two
    ("CC-01-ENV-1", "ENV", False),
    ("XX-01-ENV-01", "ENV", False),
    ("CC-01-ENV-01 ", "ENV", False),    # whole-id match, no trailing text
    ("CC-01-OWN-01", "ENV", False),     # names another theme
])
def test_carlisle_pattern(ref, theme, ok):
    assert check_ref(ref, CARLISLE, theme).ok is ok


@pytest.mark.parametrize("pattern, good, bad", [
    (r"SC\d+", ["SC18", "SC7"], ["SC", "S18", "SC18a"]),
    (r"R\d+", ["R1", "R12"], ["1", "r1"]),
    (r"\d+\.\d+", ["1.1", "2.10"], ["1", "1.", "a.1"]),
    (r"\d{2} {theme} \d{2}", ["22 CTAX 01"], ["22 CTAX 1", "22CTAX01"]),
])
def test_other_councils_patterns(pattern, good, bad):
    assert all(check_ref(r, pattern).ok for r in good)
    assert not any(check_ref(r, pattern).ok for r in bad)


def test_theme_is_read_from_the_ref():
    assert theme_in_ref("22 CTAX 01", r"\d{2} {theme} \d{2}") == "CTAX"
    assert theme_in_ref("R1", r"R\d+") is None


@pytest.mark.parametrize("pattern", ["", "CC-(", "{theme}-{theme}"])
def test_bad_patterns_are_refused(pattern):
    with pytest.raises(BadPattern):
        compile_pattern(pattern)
