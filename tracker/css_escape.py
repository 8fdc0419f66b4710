"""Text from users placed inside CSS (the running footer of a printed report).

Kept apart from the WeasyPrint helper so the HTML download can use it without loading WeasyPrint."""
from __future__ import annotations


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string: every character but ASCII letters, digits and spaces becomes a
    six-digit hex escape (``"`` -> ``\\000022 ``), so no value can close the string, end the rule,
    start a comment or url(), or close the <style> element it sits in."""
    out = []
    for char in text:
        if char.isascii() and (char.isalnum() or char == " "):
            out.append(char)
        else:
            # U+0000 is not allowed in CSS; U+FFFD is what a CSS parser would make of it anyway.
            out.append("\\%06X " % (ord(char) or 0xFFFD))
    return '"' + "".join(out) + '"'
