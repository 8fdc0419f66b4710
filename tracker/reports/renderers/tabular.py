"""Excel and CSV: the report's tables as rows, with numbered measures one row each."""
from __future__ import annotations

import io

import pandas as pd


def _flatten(block: dict) -> pd.DataFrame:
    columns = block["columns"]
    rows = []
    for values in block["rows"]:
        numbered = [(i, v) for i, v in enumerate(values) if isinstance(v, dict)]
        if not numbered:
            rows.append(values)
            continue
        # Measure n beside output n: one row per number, like the appendix reads across.
        numbers = [n for n, _ in numbered[0][1]["numbered"]]
        for n in numbers:
            row = []
            for v in values:
                if isinstance(v, dict):
                    row.append(dict((k, t) for k, t in v["numbered"]).get(n, ""))
                else:
                    row.append(v)
            rows.append(row)
    frame = pd.DataFrame(rows, columns=columns)
    title_cells = {i: v for i, v in enumerate(block["rows"][0]) if isinstance(v, dict) and v.get("title")} \
        if block["rows"] else {}
    if title_cells:
        titles = []
        for values in block["rows"]:
            first = next(v for v in values if isinstance(v, dict))
            title = next((v["title"] for v in values if isinstance(v, dict) and v.get("title")), "")
            titles += [title] * len(first["numbered"])
        frame.insert(1, "Title", titles)
        numbers = [n for values in block["rows"] for n, _ in next(v for v in values if isinstance(v, dict))["numbered"]]
        frame.insert(2, "No.", numbers)
    return frame


def _frames(report: dict) -> list[tuple[str, pd.DataFrame]]:
    frames, section = [], report["title"]
    text_rows = []
    for block in report["blocks"]:
        if block["type"] == "heading":
            section = block["text"]
        elif block["type"] == "table":
            frame = _flatten(block)
            frame.insert(0, "Section", section)
            frames.append((block["caption"], frame))
        elif block["type"] in ("paragraph", "list"):
            items = block.get("items") or [[block.get("label") or "", block["text"]]]
            text_rows += [[section, label, text] for label, text in items]
    if text_rows and report["part"] == "appendix-a":
        frames.insert(0, ("Key Recommendations", pd.DataFrame(text_rows, columns=["Section", "Label", "Text"])))
    return frames


def render_xlsx(report: dict) -> bytes:
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        used = set()
        for caption, frame in _frames(report) or [("Report", pd.DataFrame())]:
            name = "".join(ch for ch in caption if ch not in "[]:*?/\\")[:31] or "Sheet"
            base, n = name, 2
            while name in used:
                name = f"{base[:28]} {n}"
                n += 1
            used.add(name)
            frame.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            for column in sheet.columns:
                width = max(len(str(c.value or "")) for c in column[:200])
                sheet.column_dimensions[column[0].column_letter].width = min(max(10, width + 2), 60)
    return out.getvalue()


def render_csv(report: dict) -> bytes:
    frames = _frames(report)
    if not frames:
        return b""
    combined = pd.concat([f.assign(Table=caption) for caption, f in frames], ignore_index=True) \
        if len(frames) > 1 else frames[0][1]
    return combined.to_csv(index=False).encode("utf-8-sig")
