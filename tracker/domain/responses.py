"""How the council answered a recommendation, kept apart from how far its implementation has got
(councillors ask for both: an accepted recommendation can still be untouched a year on)."""
from __future__ import annotations

RESPONSES = {"accepted": "Accepted", "partly_accepted": "Partly accepted", "rejected": "Rejected"}


def parse_response(text: str | None) -> str | None:
    """'Accepted', 'partly accepted', 'partly_accepted' -> a code; None for blank; ValueError otherwise."""
    plain = " ".join((text or "").replace("_", " ").replace("-", " ").split()).casefold()
    if not plain:
        return None
    for code, label in RESPONSES.items():
        if plain == label.casefold():
            return code
    raise ValueError(f"{text!r} is not a response; use one of: {', '.join(RESPONSES.values())}")
