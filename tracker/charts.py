"""Server-rendered SVG charts, the same in the dashboard, the PDF and (as PNG-free vector) Word.

Colours only add to words: every chart carries a legend with the category names and counts,
and the page shows the same numbers as a table. Presentation attributes, never inline styles,
so the Content-Security-Policy needs no 'unsafe-inline'.
"""
from __future__ import annotations

from html import escape

from .domain.status import CATEGORIES, CATEGORY_LABELS

# GOV.UK palette; each has at least 3:1 contrast against white (WCAG 1.4.11 non-text contrast).
COLOURS = {
    "complete": "#00703c", "ongoing": "#28a197", "in_progress": "#1d70b8", "not_started": "#505a5f",
    "dependent": "#4c2c92", "on_hold": "#f47738", "postponed": "#b58840", "cancelled": "#d4351c",
    "not_applicable": "#b1b4b6",
}


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def text_on(colour: str) -> str:
    """Near-black or white, whichever contrasts more with ``colour`` (numbers written on bars must
    meet WCAG 1.4.3; white on the orange and teal would not)."""
    background = _luminance(colour)
    on_white = (1.05) / (background + 0.05)
    on_black = (background + 0.05) / (_luminance("#0b0c0c") + 0.05)
    return "#ffffff" if on_white >= on_black else "#0b0c0c"


def stacked_bars(rows: list[tuple[str, dict[str, int]]], *, title: str, width: int = 720,
                 categories=CATEGORIES) -> str:
    """One horizontal bar per row (e.g. a theme), split by status category, numbers written in."""
    label_w, bar_h, gap, top = 200, 26, 10, 34
    legend_rows = (len(categories) + 2) // 3
    height = top + len(rows) * (bar_h + gap) + 16 + legend_rows * 22
    biggest = max([sum(counts.values()) for _, counts in rows] + [1])
    scale = (width - label_w - 60) / biggest
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="img" aria-labelledby="chart-title chart-desc" '
           f'font-family="Arial, Helvetica, sans-serif" font-size="13">',
           f'<title id="chart-title">{escape(title)}</title>']
    desc = "; ".join(f"{label}: " + ", ".join(f"{CATEGORY_LABELS[c]} {counts.get(c, 0)}" for c in categories
                                                if counts.get(c)) for label, counts in rows)
    out.append(f'<desc id="chart-desc">{escape(desc)}</desc>')
    out.append(f'<text x="0" y="18" font-weight="bold" font-size="15" fill="#0b0c0c">{escape(title)}</text>')
    y = top
    for label, counts in rows:
        out.append(f'<text x="0" y="{y + bar_h * 0.68:.0f}" fill="#0b0c0c">{escape(label[:30])}</text>')
        x = float(label_w)
        for category in categories:
            n = counts.get(category, 0)
            if not n:
                continue
            w = n * scale
            out.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{COLOURS[category]}">'
                       f'<title>{escape(label)}: {CATEGORY_LABELS[category]} {n}</title></rect>')
            if w >= 18:
                text_fill = text_on(COLOURS[category])
                out.append(f'<text x="{x + w / 2:.1f}" y="{y + bar_h * 0.68:.0f}" text-anchor="middle" '
                           f'fill="{text_fill}">{n}</text>')
            x += w
        out.append(f'<text x="{x + 6:.1f}" y="{y + bar_h * 0.68:.0f}" fill="#0b0c0c">{sum(counts.values())}</text>')
        y += bar_h + gap
    y += 8
    for i, category in enumerate(categories):
        lx, ly = (i % 3) * (width // 3), y + (i // 3) * 22
        out.append(f'<rect x="{lx}" y="{ly}" width="14" height="14" fill="{COLOURS[category]}"/>')
        out.append(f'<text x="{lx + 20}" y="{ly + 12}" fill="#0b0c0c">{CATEGORY_LABELS[category]}</text>')
    out.append("</svg>")
    return "".join(out)


def stacked_bars_png(rows: list[tuple[str, dict[str, int]]], *, title: str, width: int = 1400,
                     categories=CATEGORIES) -> bytes:
    """The same chart as a PNG, for Word (which cannot take SVG from python-docx)."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    def font(size):
        for path in ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
                     "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"):
            try:
                return ImageFont.truetype(path, size)
            except OSError:
                continue
        return ImageFont.load_default(size=size)

    scale = width / 720
    label_w, bar_h, gap, top = int(200 * scale), int(26 * scale), int(10 * scale), int(40 * scale)
    legend_rows = (len(categories) + 2) // 3
    height = top + len(rows) * (bar_h + gap) + int(24 * scale) + legend_rows * int(24 * scale)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    text_font, title_font = font(int(13 * scale)), font(int(15 * scale))
    draw.text((0, 4), title, fill="#0b0c0c", font=title_font)
    biggest = max([sum(c.values()) for _, c in rows] + [1])
    unit = (width - label_w - 60 * scale) / biggest
    y = top
    for label, counts in rows:
        draw.text((0, y + bar_h * 0.2), label[:30], fill="#0b0c0c", font=text_font)
        x = float(label_w)
        for category in categories:
            n = counts.get(category, 0)
            if not n:
                continue
            w = n * unit
            draw.rectangle([x, y, x + w, y + bar_h], fill=COLOURS[category])
            if w >= 18 * scale:
                fill = text_on(COLOURS[category])
                draw.text((x + w / 2, y + bar_h / 2), str(n), fill=fill, font=text_font, anchor="mm")
            x += w
        draw.text((x + 6 * scale, y + bar_h * 0.2), str(sum(counts.values())), fill="#0b0c0c", font=text_font)
        y += bar_h + gap
    y += int(8 * scale)
    for i, category in enumerate(categories):
        lx, ly = (i % 3) * (width // 3), y + (i // 3) * int(24 * scale)
        draw.rectangle([lx, ly, lx + 14 * scale, ly + 14 * scale], fill=COLOURS[category])
        draw.text((lx + 20 * scale, ly), CATEGORY_LABELS[category], fill="#0b0c0c", font=text_font)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
