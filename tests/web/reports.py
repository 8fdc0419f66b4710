"""Steps tests share for committee reports: a draft made and published through the pages."""
from __future__ import annotations


def draft_report(manager, meeting_on: str) -> int:
    response = manager.post("/reports", token_from="/reports",
                            data={"committee": "Overview and Scrutiny Committee", "meeting_on": meeting_on})
    assert response.status_code == 303
    return int(response.headers["Location"].rsplit("/", 1)[1])


def publish(manager, report_id: int) -> None:
    assert manager.post(f"/reports/{report_id}/publish", token_from=f"/reports/{report_id}/publish").status_code == 303
