"""Word: real headings and real tables, since council agenda packs are assembled in Word."""
from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from ...charts import stacked_bars_png
from .html import footer_text

FONT = "Arial"
TABLE_PT = 9  # as the PDF's tables (static/css/report.css)
BLACK = RGBColor(0x0B, 0x0C, 0x0C)


def _row_property(row, name: str) -> None:
    element = OxmlElement(name)
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _field(paragraph, instruction: str, half_points: int = 16) -> None:
    # A Word field (PAGE, NUMPAGES): Word fills it in on every page; "1" shows until it does.
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    inner, properties, size, text = (OxmlElement(n) for n in ("w:r", "w:rPr", "w:sz", "w:t"))
    size.set(qn("w:val"), str(half_points))
    properties.append(size)
    text.text = "1"
    inner.extend([properties, text])
    field.append(inner)
    paragraph._p.append(field)


def _styles(document) -> None:
    # The default template's headings are blue Calibri Light; committee papers are black Arial.
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(10)
    for name, size in (("Heading 1", 16), ("Heading 2", 13), ("Heading 3", 11), ("Caption", 9)):
        style = document.styles[name]
        style.font.name, style.font.size, style.font.color.rgb = FONT, Pt(size), BLACK
        style.font.italic = False
        # East-Asian and complex-script slots too, or Word keeps the theme font for some text.
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(slot), FONT)
        for theme_slot in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme_slot), None)


# Arial Bold's advance widths in ems, near enough to tell whether a heading's longest word fits its
# column; a cell loses about 0.38 cm to its margins.
_NARROW, _WIDE = set("ijlt.,;:'!|fr()-/ "), set("mwMW@")
_CELL_MARGINS_PT = 11


def _word_ems(word: str) -> float:
    return sum(0.3 if c in _NARROW else 0.9 if c in _WIDE else 0.72 if c.isupper() else 0.6 for c in word)


def _fitting_size(text: str, width_emu: int, size: float = 10, smallest: float = 6.5) -> float | None:
    """The type size (pt) at which the longest word of ``text`` fits ``width_emu``; None when ``size`` fits."""
    longest = max((_word_ems(word) for word in str(text).split()), default=0)
    room = width_emu / 12700 - _CELL_MARGINS_PT
    if not longest or longest * size <= room:
        return None
    return max(smallest, int(2 * room / longest) / 2)


def _grid_lines(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        for name, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "505A5F")):
            line.set(qn(name), value)
        borders.append(line)
    table._tbl.tblPr.append(borders)


def _fill(cell, value, width_emu: int) -> None:
    runs = []  # a new row's cell holds one empty paragraph
    if isinstance(value, dict):
        first = True
        if value.get("title"):
            runs.append(cell.paragraphs[0].add_run(value["title"]))
            runs[-1].bold = True
            first = False
        for n, text in value["numbered"]:
            paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
            first = False
            runs.append(paragraph.add_run(f"{n}) "))
            runs[-1].bold = True
            runs.append(paragraph.add_run(text))
    else:
        text = "" if value is None else str(value)
        runs.append(cell.paragraphs[0].add_run(text))
    # The tables' type is the PDF's (9 pt); a word too long for its column (a ref id such as
    # CC-40-PERF-01) gets a smaller type rather than being broken across two lines.
    for run in runs:
        run.font.size = Pt(_fitting_size(run.text, width_emu, size=TABLE_PT) or TABLE_PT)


def _table(document, block: dict, usable) -> None:
    if not block.get("caption_hidden"):
        caption = document.add_paragraph(block["caption"], style="Caption")
        caption.paragraph_format.keep_with_next = True
    table = document.add_table(rows=1, cols=len(block["columns"]))
    try:
        table.style = "Table Grid"
    except KeyError:  # a council's template without Word's grid style: draw the lines on the table
        _grid_lines(table)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    header = table.rows[0]
    _row_property(header, "w:tblHeader")  # Word repeats it at the top of every page the table runs onto
    _row_property(header, "w:cantSplit")
    widths = block.get("widths") or [1] * len(block["columns"])
    for cell, title, w in zip(header.cells, block["columns"], widths, strict=False):
        cell.paragraphs[0].text = ""
        run = cell.paragraphs[0].add_run(title)
        run.bold = True
        # A narrow column's heading gets a smaller type rather than a word broken mid-way ("Environmen t").
        run.font.size = Pt(_fitting_size(title, int(usable * w / sum(widths)), size=TABLE_PT) or TABLE_PT)
        _shade(cell, "F3F2F1")
    column_widths = [int(usable * w / sum(widths)) for w in widths]
    for values in block["rows"]:
        row = table.add_row()
        _row_property(row, "w:cantSplit")  # a row is never cut across two pages
        for cell, value, width in zip(row.cells, values, column_widths, strict=False):
            _fill(cell, value, width)
    if block.get("widths"):
        total = sum(widths)
        for column, w in zip(table.columns, widths, strict=False):
            column.width = int(usable * w / total)
            for cell in column.cells:
                cell.width = int(usable * w / total)
    document.add_paragraph()


def _clear_body(document) -> None:
    """Empty a template's body (its sample text, its instructions) but keep its page set-up."""
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def _missing_styles(document) -> None:
    """A council's template keeps its own styles; only those the report needs and it lacks are added."""
    names = {style.name for style in document.styles}
    for name, size in (("Heading 1", 16), ("Heading 2", 13), ("Heading 3", 11), ("Caption", 9)):
        if name not in names:
            style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = document.styles["Normal"]
            style.font.bold, style.font.size = name != "Caption", Pt(size)
            style.paragraph_format.keep_with_next = name != "Caption"


def _has_page_field(footer) -> bool:
    xml = footer._element.xml
    return "PAGE" in xml and ("fldSimple" in xml or "instrText" in xml)


def _footer(section, report: dict, usable, *, keep: bool) -> None:
    # The meeting and its date on the left, "Page x of y" on the right, as in the PDF. A council's
    # template that numbers its pages already keeps its own footer as it is.
    footer = section.footer
    if keep and _has_page_field(footer):
        return
    paragraph = footer.paragraphs[0] if not keep or not footer.paragraphs[0].text.strip() else footer.add_paragraph()
    tabs = paragraph.paragraph_format.tab_stops
    # The Footer style's own stops (Word's: centre at 8.25 cm) would catch the tab first and run
    # "Page 1 of 13" into the footer text: clear them, so the tab goes to the right edge.
    style = paragraph.style
    while style is not None:
        for stop in style.paragraph_format.tab_stops:
            if stop.position != usable:
                tabs.add_tab_stop(stop.position, WD_TAB_ALIGNMENT.CLEAR)
        style = style.base_style
    tabs.add_tab_stop(usable, WD_TAB_ALIGNMENT.RIGHT)
    paragraph.add_run(footer_text(report) + "\tPage ").font.size = Pt(8)
    _field(paragraph, "PAGE")
    paragraph.add_run(" of ").font.size = Pt(8)
    _field(paragraph, "NUMPAGES")


def render_docx(report: dict, *, template: bytes | None = None) -> bytes:
    """``template``: the council's own .docx; its styles, header, footer and page set-up are kept."""
    if template:
        document = Document(io.BytesIO(template))
        _clear_body(document)
        _missing_styles(document)
        section = document.sections[-1]
    else:
        document = Document()
        _styles(document)
        section = document.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(1.6))
    usable = section.page_width - section.left_margin - section.right_margin
    _footer(section, report, usable, keep=bool(template))
    meeting = report["meeting"].get("label") or "Draft – not yet published"
    document.add_paragraph().add_run(report["review"]["authority"]).bold = True
    document.add_paragraph(meeting)
    document.add_paragraph(report["review"]["title"])
    for block in report["blocks"]:
        kind = block["type"]
        if kind == "heading":
            document.add_heading(block["text"], level=min(block["level"], 3))
        elif kind == "page_break":
            document.add_page_break()
        elif kind == "paragraph":
            paragraph = document.add_paragraph()
            if block.get("label"):
                paragraph.add_run(block["label"] + " ").bold = True
            paragraph.add_run(block["text"])
        elif kind == "list":
            for item in block["items"]:
                paragraph = document.add_paragraph()
                paragraph.paragraph_format.left_indent = Cm(0.8)
                paragraph.add_run(f"{item[0]} ").bold = True
                paragraph.add_run(item[1])
                if len(item) > 2 and item[2]:
                    status = document.add_paragraph()
                    status.paragraph_format.left_indent = Cm(0.8)
                    status.add_run("Status: ").bold = True
                    status.add_run(item[2])
        elif kind == "chart":
            document.add_picture(io.BytesIO(stacked_bars_png(block["rows"], title=block["title"])), width=usable)
            document.add_paragraph("The same numbers are in the table below.")
        elif kind == "table":
            _table(document, block, usable)
    document.add_paragraph(f"Generated by Best Value Tracker on {report['generated']}.").runs[0].italic = True
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
