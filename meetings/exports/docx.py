"""An official document as a Word file (python-docx), laid out as Decree 30/2020/ND-CP asks.

The heading is a borderless two-column table (the issuer and its number on the left, the
national heading and the place and date on the right, so "Số:" and the date share a line).
Word has no "rule a third as wide as the text above": each short rule is an empty paragraph
with a bottom border, indented to the rule's width. The same input gives the same bytes (fixed
properties and zip times), so a file can be checked or archived by its hash.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime, time

from docx import Document as WordDocument
from docx.document import Document as Word
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement as Element
from docx.section import Section
from docx.shared import Mm, Pt
from docx.table import Table as WordTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as WordParagraph

from meetings.exports.official import (
    FONT,
    HEADER_SPLIT,
    MARGINS_MM,
    PAGE_MM,
    SIZES,
    Block,
    Bullets,
    Heading,
    OfficialDocument,
    Paragraph,
    Signature,
    Table,
)

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT_MM = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]
INDENT_MM = 12.7  # the body's first-line indent (the decree: 1 to 1.27 cm)
LINE_SPACING = 1.2  # between single and 1.5 lines, as the decree allows
CLOSING_SPLIT = 0.45  # the recipients' column; the signature takes the rest
CELL_PADDING_MM = 1.905  # Word's default left and right cell margins (108 twips)
# Widths of the bold 13 pt motto in Times New Roman (measured), for the rule as long as it.
MOTTO_MM = {"vi": 56.1, "en": 72.9}
ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}
Container = Word | _Cell


def docx(document: OfficialDocument) -> bytes:
    """The document as DOCX bytes."""
    word = WordDocument()
    _page(word.sections[0])
    _defaults(word, document.language)
    _heading(word, document)
    _title(word, document)
    for block in document.blocks:
        _block(word, block)
    _closing(word, document)
    _page_numbers(word.sections[0])
    _properties(word, document)
    buffer = io.BytesIO()
    word.save(buffer)
    return _fixed_times(buffer.getvalue(), document)


# -- page, fonts, file ---------------------------------------------------------------


def _page(section: Section) -> None:
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = Mm(10)


def _defaults(word: Word, language: str) -> None:
    """Times New Roman for every script slot (programs look Vietnamese letters up in the
    ASCII, high-ANSI or complex-script slot), the document's language, no extra spacing."""
    run_defaults = _path(word.styles.element, "w:docDefaults", "w:rPrDefault", "w:rPr")
    _fonts(run_defaults)
    _path(run_defaults, "w:lang").set(qn("w:val"), "vi-VN" if language == "vi" else "en-GB")
    spacing = _path(word.styles.element, "w:docDefaults", "w:pPrDefault", "w:pPr", "w:spacing")
    spacing.attrib.clear()
    spacing.set(qn("w:after"), "0")
    normal = word.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(SIZES["body"])
    _fonts(normal.element.get_or_add_rPr())


def _path(element: Element, *tags: str) -> Element:
    """A descendant python-docx's default template is known to have."""
    for tag in tags:
        found = element.find(qn(tag))
        assert found is not None, tag
        element = found
    return element


def _fonts(run_properties: Element) -> None:
    found = run_properties.find(qn("w:rFonts"))
    if found is None:
        found = OxmlElement("w:rFonts")
        run_properties.insert(0, found)
    found.attrib.clear()  # theme fonts would win over the named ones
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        found.set(qn(slot), FONT)


def _properties(word: Word, document: OfficialDocument) -> None:
    made = datetime.combine(document.on, time(), UTC)
    properties = word.core_properties
    properties.title = document.file_title
    properties.author = properties.last_modified_by = document.author or document.issuer
    properties.language = "vi-VN" if document.language == "vi" else "en-GB"
    properties.created = properties.modified = made
    properties.last_printed = made
    properties.revision = 1
    properties.comments = ""


def _fixed_times(content: bytes, document: OfficialDocument) -> bytes:
    """The same archive with every member stamped with the document's date."""
    stamp = (document.on.year, document.on.month, document.on.day, 0, 0, 0)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            entry = zipfile.ZipInfo(member.filename, stamp)
            target.writestr(entry, source.read(member), zipfile.ZIP_DEFLATED)
    return out.getvalue()


# -- paragraphs and runs ---------------------------------------------------------------


def _paragraph(
    container: Container,
    align: str = "center",
    *,
    before: float = 0,
    after: float = 0,
    first: bool = False,
    spacing: float = 1.0,
) -> WordParagraph:
    """A paragraph (the cell's own first one if `first`), aligned and spaced in points."""
    paragraph = container.paragraphs[0] if first else container.add_paragraph()
    layout = paragraph.paragraph_format
    layout.alignment = ALIGN[align]
    layout.space_before, layout.space_after = Pt(before), Pt(after)
    layout.line_spacing = spacing
    return paragraph


def _run(
    paragraph: WordParagraph, text: str, size: int, *, bold: bool = False, italic: bool = False
) -> None:
    run = paragraph.add_run(text)
    run.font.size, run.bold, run.italic = Pt(size), bold, italic


def _text(
    container: Container, text: str, size: int, *, first: bool = False, **style: bool
) -> WordParagraph:
    paragraph = _paragraph(container, first=first)
    _run(paragraph, text, size, **style)
    return paragraph


def _lines(paragraph: WordParagraph, lines: list[str], size: int, *, bold: bool = False) -> None:
    """Lines of one paragraph, with line breaks between them."""
    for index, line in enumerate(lines):
        if index:
            paragraph.runs[-1].add_break()
        _run(paragraph, line, size, bold=bold)


BORDER_FOLLOWERS = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc")


def _rule(container: Container, width_mm: float, column_mm: float) -> None:
    """A centred solid rule `width_mm` long under the line above."""
    paragraph = container.add_paragraph()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (
        ("w:val", "single"),
        ("w:sz", "6"),
        ("w:space", "1"),
        ("w:color", "000000"),
    ):
        bottom.set(qn(name), value)
    border.append(bottom)
    paragraph._p.get_or_add_pPr().insert_element_before(border, *BORDER_FOLLOWERS)
    layout = paragraph.paragraph_format
    side = Mm(max(column_mm - width_mm, 0) / 2)
    layout.left_indent = layout.right_indent = side
    layout.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    layout.line_spacing = Pt(2)
    layout.space_before = layout.space_after = Pt(0)


def _width_mm(text: str, size: int, capitals: bool) -> float:
    """About how wide a bold line is in Times New Roman (em per letter, measured)."""
    per_letter = 0.62 if capitals else 0.47
    return len(text) * per_letter * size * 25.4 / 72


def _short_rule(container: Container, text: str, size: int, column_mm: float, caps: bool) -> None:
    """A rule two fifths as long as the line above it (the decree: a third to a half)."""
    line = min(_width_mm(text, size, caps), column_mm - 4)
    _rule(container, line * 0.4, column_mm)


# -- the heading, kind and title -------------------------------------------------------


def _grid(word: Word, rows: int, shares: tuple[float, ...], style: str | None) -> WordTable:
    table = word.add_table(rows=rows, cols=len(shares))
    if style:
        table.style = word.styles[style]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for index, share in enumerate(shares):
        table.columns[index].width = Mm(TEXT_MM * share)
        for cell in table.columns[index].cells:
            cell.width = Mm(TEXT_MM * share)
    return table


def _heading(word: Word, document: OfficialDocument) -> None:
    table = _grid(word, 2, (HEADER_SPLIT, 1 - HEADER_SPLIT), None)
    inner = 2 * CELL_PADDING_MM
    left, right = TEXT_MM * HEADER_SPLIT - inner, TEXT_MM * (1 - HEADER_SPLIT) - inner
    issuer_cell, national_cell = table.rows[0].cells
    parents, issuers = document.authority_lines
    if parents:
        _lines(_paragraph(issuer_cell, first=True), parents, SIZES["authority"])
    _lines(_paragraph(issuer_cell, first=not parents), issuers, SIZES["authority"], bold=True)
    _short_rule(issuer_cell, max(issuers, key=len), SIZES["authority"], left, caps=True)
    _text(national_cell, document.forms.national, SIZES["national"], first=True, bold=True)
    _text(national_cell, document.forms.motto, SIZES["motto"], bold=True)
    _rule(national_cell, MOTTO_MM[document.language], right)
    number_cell, date_cell = table.rows[1].cells
    number = _text(number_cell, document.number_line, SIZES["number"], first=True)
    number.paragraph_format.space_before = Pt(6)
    dated = _text(date_cell, document.date_line, SIZES["date"], first=True, italic=True)
    dated.paragraph_format.space_before = Pt(6)


def _title(word: Word, document: OfficialDocument) -> None:
    kind = _paragraph(word, before=24)
    _run(kind, document.kind_name, SIZES["kind"], bold=True)
    kind.paragraph_format.keep_with_next = True
    title = _paragraph(word)
    _run(title, document.title, SIZES["title"], bold=True)
    title.paragraph_format.keep_with_next = True
    _short_rule(word, document.title, SIZES["title"], TEXT_MM, caps=False)
    _paragraph(word, after=6)


# -- the body --------------------------------------------------------------------------


def _block(word: Word, block: Block) -> None:
    if isinstance(block, Heading):
        _section_heading(word, block)
    elif isinstance(block, Paragraph):
        _body_paragraph(word, block)
    elif isinstance(block, Bullets):
        for item in block.items:
            _body_paragraph(word, Paragraph(f"- {item}"))
    else:
        _table(word, block)


def _indented(word: Word, before: float = 6) -> WordParagraph:
    paragraph = _paragraph(word, "justify", before=before, spacing=LINE_SPACING)
    paragraph.paragraph_format.first_line_indent = Mm(INDENT_MM)
    return paragraph


def _section_heading(word: Word, heading: Heading) -> None:
    paragraph = _indented(word, before=12 if heading.level == 1 else 6)
    paragraph.paragraph_format.keep_with_next = True
    _run(paragraph, heading.text, SIZES["body"], bold=True, italic=heading.level >= 3)
    level = OxmlElement("w:outlineLvl")
    level.set(qn("w:val"), str(min(heading.level, 9) - 1))
    paragraph._p.get_or_add_pPr().append(level)


def _body_paragraph(word: Word, paragraph: Paragraph) -> None:
    made = _indented(word)
    if paragraph.lead:
        _run(made, paragraph.lead, SIZES["body"], bold=True, italic=paragraph.italic)
    _run(made, paragraph.text, SIZES["body"], italic=paragraph.italic)


def _table(word: Word, table: Table) -> None:
    _paragraph(word, after=0).paragraph_format.line_spacing = Pt(6)
    grid = _grid(word, len(table.rows) + 1, table.shares(), "Table Grid")
    header = grid.rows[0]
    header_properties = header._tr.get_or_add_trPr()
    header_properties.append(OxmlElement("w:tblHeader"))  # repeated on every page
    for column, text in enumerate(table.header):
        cell = _paragraph(header.cells[column], first=True, before=3, after=3)
        _run(cell, text, SIZES["table"], bold=True)
    for row_index, row in enumerate(table.rows, start=1):
        for column, text in enumerate(row):
            align = table.alignment(column)
            cell = _paragraph(grid.rows[row_index].cells[column], align, first=True, before=3)
            cell.paragraph_format.space_after = Pt(3)
            _run(cell, text, SIZES["table"])
    _paragraph(word, after=0).paragraph_format.line_spacing = Pt(6)


# -- recipients and signature ----------------------------------------------------------


def _closing(word: Word, document: OfficialDocument) -> None:
    """Recipients on the left, the signature on the right; when a second person signs (the
    secretary of minutes), both signatures side by side and the recipients below."""
    _paragraph(word, after=6)
    rows = 2 if document.witness else 1
    table = _grid(word, rows, (CLOSING_SPLIT, 1 - CLOSING_SPLIT), None)
    for row in table.rows:  # recipients and signatures stay on one page
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    if document.witness:
        _sign(table.rows[0].cells[0], document.witness, document)
        recipients = table.rows[1].cells[0]
    else:
        recipients = table.rows[0].cells[0]
    heading = _paragraph(recipients, "left", first=True)
    _run(heading, document.forms.recipients, SIZES["recipients_heading"], bold=True, italic=True)
    for line in document.recipient_lines:
        _run(_paragraph(recipients, "left"), line, SIZES["recipients"])
    if document.signature is not None:
        _sign(table.rows[0].cells[1], document.signature, document)


def _sign(cell: Container, signature: Signature, document: OfficialDocument) -> None:
    lines = signature.lines(document.language)
    for index, line in enumerate(lines):
        _text(cell, line, SIZES["signature"], first=index == 0, bold=True)
    name = _text(cell, signature.name, SIZES["signature"], bold=True)
    name.paragraph_format.space_before = Pt(72)  # room for the signature and the seal


def _page_numbers(section: Section) -> None:
    """Page numbers centred at the top from the second page on."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), str(SIZES["page_number"] * 2))
    properties.append(size)
    run.append(properties)
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
