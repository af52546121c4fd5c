"""Official documents (公文) as .docx laid out by GB/T 9704-2012.

`to_docx(OfficialDocument) -> bytes` writes a neutral document structure (issuing office,
文号 or 期号, title, recipients, body blocks, signature, 成文日期, 抄送/印发) the way county
offices print them:

- A4, 版心 156 mm × 225 mm: 天头 37 mm, 订口 28 mm (top 37, bottom 35, left 28, right 26);
  a document grid of 22 lines of 28 characters.
- Title 2号 方正小标宋简体, body 3号 仿宋_GB2312, level-1 headings (一、) 黑体, level-2
  headings (（一）) 楷体_GB2312, levels 3 and 4 (1. and （1）) 仿宋; fonts by their names,
  with the names found on other systems as `altName` in the font table (Word and WPS
  substitute by them when the GB2312 fonts are missing).
- 发文机关标志 red over a red 分隔线; 发文机关署名 and 成文日期 (Arabic numerals, no zero
  padding) on the right; 版记 (抄送, 印发机关 and 印发日期) between lines at the end.
- Page numbers "— 1 —" in 4号 宋体 from a PAGE field: odd pages on the right, even pages on
  the left, one character in from the edge of the 版心.

The bytes depend on the document alone: the core properties carry the document's own date
(never the clock), and the zip is rewritten with fixed timestamps and sorted entries.
Nothing here knows bulletins or reports: their mapping to an OfficialDocument lives with
the pages that show them (site/pages/bulletins.py, site/pages/yearend.py).
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Union

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips

# --- The neutral structure ----------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    text: str  # with its numbering as printed: 一、… （一）… 1. … （1）…
    level: int  # 1-4


@dataclass(frozen=True)
class Paragraph:
    text: str
    bold_lead: str = ""  # a run-in heading printed before the text in the heading's font


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""


Block = Union[Heading, Paragraph, Table]


@dataclass(frozen=True)
class OfficialDocument:
    issuer: str                      # 发文机关标志 (without 文件), e.g. 紫阳县人民政府办公室
    title: str
    date: date                       # 成文日期
    doc_no: str = ""                 # 发文字号 in 〔〕 form
    issue_no: str = ""               # 期号 of a bulletin, e.g. 第6期 (printed instead of a 文号)
    recipients: str = ""             # 主送机关, without the colon
    body: tuple[Block, ...] = ()
    attachments: tuple[str, ...] = ()  # 附件说明: attachment names, in order
    signer: str = ""                 # 发文机关署名 (default: issuer)
    note: str = ""                   # 附注, printed in （）
    cc: str = ""                     # 抄送机关
    printer: str = ""                # 印发机关 (default: issuer)
    printed: date | None = None      # 印发日期 (default: date)
    heading_mark: str = "文件"        # 发文机关标志 = issuer + 文件 (empty for 通报/简报 headers)
    keywords: tuple[str, ...] = field(default=())


# --- Layout constants (GB/T 9704-2012 §5) -----------------------------------------------------------

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
# 225 mm / 22 lines = 10.23 mm = 579 twips; 156 mm / 28 characters = 15.8 pt, which Word
# writes as charSpace -849 (in 1/4096 pt, relative to the 16 pt default font).
LINE_PITCH = 579
CHAR_SPACE = -849

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEI_FONT = "黑体"
KAI_FONT = "楷体_GB2312"
SONG_FONT = "宋体"
LATIN_FONT = "Times New Roman"
# What Word/WPS (and LibreOffice) may use where the first font is missing.
FONT_FALLBACKS = {
    TITLE_FONT: "方正小标宋_GBK,华文中宋,宋体,Noto Serif CJK SC",
    BODY_FONT: "仿宋,FangSong,华文仿宋,Noto Serif CJK SC",
    HEI_FONT: "SimHei,Noto Sans CJK SC",
    KAI_FONT: "楷体,KaiTi,华文楷体,Noto Serif CJK SC",
    SONG_FONT: "SimSun,Noto Serif CJK SC",
}
SIZE_2, SIZE_3, SIZE_4 = Pt(22), Pt(16), Pt(14)  # 2号, 3号, 4号
RED = "FF0000"
HEADING_FONTS = {1: HEI_FONT, 2: KAI_FONT, 3: BODY_FONT, 4: BODY_FONT}


# --- Writing ---------------------------------------------------------------------------------------


def to_docx(doc: OfficialDocument) -> bytes:
    """The document as .docx bytes, the same bytes for the same document."""
    document = Document()
    _page_setup(document)
    _styles(document)
    _fonts(document)
    _core_properties(document, doc)
    _version_header(document, doc)
    _title_block(document, doc)
    for block in doc.body:
        _block(document, block)
    _closing(document, doc)
    _page_numbers(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_zip(buffer.getvalue(), doc.date)


def normalise_zip(data: bytes, day: date) -> bytes:
    """Rewrite a zip with sorted entries and timestamps fixed to `day`: same bytes each build."""
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for name in sorted(source.namelist()):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, source.read(name), compresslevel=6)
    return out.getvalue()


def _page_setup(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance, section.footer_distance = Mm(15), Mm(23)
    section.start_type = WD_SECTION.NEW_PAGE
    sect = section._sectPr
    for old in sect.findall(qn("w:docGrid")):
        sect.remove(old)
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))
    sect.append(grid)


def set_run_fonts(rpr, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Explicit font names on a run or style (theme fonts removed, so nothing overrides them)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), latin)


def _style(document, name: str, east_asia: str, size, *, bold=False, color: str | None = None,
           align=None, first_line_chars: int = 0, outline: int | None = None, keep_next=False):
    style = document.styles[name]
    rpr = style.element.get_or_add_rPr()
    for child in list(rpr):
        rpr.remove(child)
    set_run_fonts(rpr, east_asia)
    style.font.size = size
    style.font.bold = bold
    style.font.italic = False
    if color:
        style.font.color.rgb = _rgb(color)
    else:
        color_el = OxmlElement("w:color")
        color_el.set(qn("w:val"), "000000")
        rpr.append(color_el)
    ppr = style.element.get_or_add_pPr()
    for child in list(ppr):
        ppr.remove(child)
    fmt = style.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Twips(LINE_PITCH)
    fmt.keep_with_next = keep_next
    fmt.widow_control = False
    if align is not None:
        fmt.alignment = align
    if first_line_chars:
        ind = OxmlElement("w:ind")
        ind.set(qn("w:firstLineChars"), str(first_line_chars * 100))
        ind.set(qn("w:firstLine"), str(int(size.pt * 20 * first_line_chars)))
        ppr.append(ind)
    if outline is not None:
        level = OxmlElement("w:outlineLvl")
        level.set(qn("w:val"), str(outline))
        ppr.append(level)
    return style


def _rgb(hex_color: str):
    from docx.shared import RGBColor

    return RGBColor.from_string(hex_color)


def _styles(document) -> None:
    styles = document.styles
    # docDefaults: the grid's character pitch is relative to the default font size.
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for child in list(rpr_default):
        rpr_default.remove(child)
    set_run_fonts(rpr_default, BODY_FONT)
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), str(int(SIZE_3.pt * 2)))
    rpr_default.append(size)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr_default.append(lang)
    _style(document, "Normal", BODY_FONT, SIZE_3, align=WD_ALIGN_PARAGRAPH.JUSTIFY, first_line_chars=2)
    _style(document, "Title", TITLE_FONT, SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, outline=0)
    for level, font in HEADING_FONTS.items():
        _style(document, f"Heading {level}", font, SIZE_3, align=WD_ALIGN_PARAGRAPH.JUSTIFY,
               first_line_chars=2, outline=level, keep_next=True)
    _style(document, "Footer", SONG_FONT, SIZE_4)
    _style(document, "Header", BODY_FONT, SIZE_3)


def _fonts(document) -> None:
    """Declare every font with its fallbacks (w:altName) in word/fontTable.xml."""
    part = next(rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("/fontTable"))
    from lxml import etree

    root = etree.fromstring(part.blob)
    for name, alternatives in FONT_FALLBACKS.items():
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        alt = etree.SubElement(font, qn("w:altName"))
        alt.set(qn("w:val"), alternatives)
        charset = etree.SubElement(font, qn("w:charset"))
        charset.set(qn("w:val"), "86")  # GB2312
        family = etree.SubElement(font, qn("w:family"))
        family.set(qn("w:val"), "modern" if name != HEI_FONT else "auto")
        pitch = etree.SubElement(font, qn("w:pitch"))
        pitch.set(qn("w:val"), "fixed" if name != HEI_FONT else "variable")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _core_properties(document, doc: OfficialDocument) -> None:
    props = document.core_properties
    stamp = datetime(doc.date.year, doc.date.month, doc.date.day, tzinfo=timezone.utc)
    props.author = doc.issuer
    props.last_modified_by = doc.issuer
    props.title = doc.title
    props.subject = doc.doc_no or doc.issue_no
    props.keywords = "，".join(doc.keywords)
    props.comments = ""
    props.category = "公文"
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp
    props.revision = 1


def _para(document, text: str = "", style: str | None = None, *, align=None, indent_chars: int | None = None,
          right_chars: float = 0, font: str | None = None, size=None, color: str | None = None, bold=None):
    paragraph = _add(document, style)
    if align is not None:
        paragraph.alignment = align
    if indent_chars is not None or right_chars:
        ppr = paragraph._p.get_or_add_pPr()
        ind = OxmlElement("w:ind")
        ind.set(qn("w:firstLineChars"), str((indent_chars or 0) * 100))
        ind.set(qn("w:firstLine"), str((indent_chars or 0) * 320))
        if right_chars:
            ind.set(qn("w:rightChars"), str(round(right_chars * 100)))
            ind.set(qn("w:right"), str(round(right_chars * 320)))
        ppr.append(ind)
    if text:
        _run(paragraph, text, font=font, size=size, color=color, bold=bold)
    return paragraph


def _add(document, style_id: str | None = None):
    """A new paragraph in the body with a style by its id (python-docx looks names up by a
    scan of all styles on every call: the id directly is much quicker)."""
    paragraph = document.add_paragraph()
    if style_id:
        paragraph._p.style = style_id
    return paragraph


def _run(paragraph, text: str, *, font: str | None = None, size=None, color: str | None = None, bold=None):
    run = paragraph.add_run(text)
    if font:
        set_run_fonts(run._r.get_or_add_rPr(), font)
    if size is not None:
        run.font.size = size
    if color:
        run.font.color.rgb = _rgb(color)
    if bold is not None:
        run.font.bold = bold
    return run


def _border(paragraph, side: str, color: str, eighths: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.append(borders)
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(eighths))
    line.set(qn("w:space"), "1")
    line.set(qn("w:color"), color)
    borders.append(line)


def _version_header(document, doc: OfficialDocument) -> None:
    """版头: 发文机关标志 (red, 小标宋), then 发文字号 or 期号 over the red 分隔线."""
    mark = doc.issuer + doc.heading_mark
    # As large as 小初 (36 pt) while the mark fits the 156 mm line (GB/T 9704: 以醒目美观、庄重为原则).
    size = Pt(min(36, int(440 / max(len(mark), 1))))
    _para(document, mark, align=WD_ALIGN_PARAGRAPH.CENTER, indent_chars=0, font=TITLE_FONT, size=size, color=RED)
    _para(document, indent_chars=0)
    number = doc.doc_no or doc.issue_no
    line = _para(document, number, align=WD_ALIGN_PARAGRAPH.CENTER, indent_chars=0)
    _border(line, "bottom", RED, 12)  # 分隔线: red, about 0.4 mm
    _para(document, indent_chars=0)


def _title_block(document, doc: OfficialDocument) -> None:
    _run(_add(document, "Title"), doc.title)
    _para(document, indent_chars=0)
    if doc.recipients:
        _para(document, doc.recipients + "：", indent_chars=0)


def _block(document, block: Block) -> None:
    if isinstance(block, Heading):
        level = min(max(block.level, 1), 4)
        _run(_add(document, f"Heading{level}"), block.text)
    elif isinstance(block, Paragraph):
        paragraph = _add(document)
        if block.bold_lead:
            _run(paragraph, block.bold_lead, font=HEI_FONT)
        if block.text:
            _run(paragraph, block.text)
    else:
        _table(document, block)


def _table(document, block: Table) -> None:
    if block.caption:
        _para(document, block.caption, align=WD_ALIGN_PARAGRAPH.CENTER, indent_chars=0, font=HEI_FONT)
    columns = max([len(block.header)] + [len(r) for r in block.rows]) or 1
    table = document.add_table(rows=1 + len(block.rows), cols=columns)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row_index, values in enumerate([block.header, *block.rows]):
        cells = table.rows[row_index].cells
        for col in range(columns):
            cell = cells[col]
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if row_index == 0 else WD_ALIGN_PARAGRAPH.LEFT
            ppr = paragraph._p.get_or_add_pPr()
            ind = OxmlElement("w:ind")
            ind.set(qn("w:firstLineChars"), "0")
            ind.set(qn("w:firstLine"), "0")
            ppr.append(ind)
            paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            text = values[col] if col < len(values) else ""
            if text:
                _run(paragraph, text, size=SIZE_4, font=HEI_FONT if row_index == 0 else None)
    if block.header:
        _repeat_header(table.rows[0])


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    trpr.append(header)


def zh_date_arabic(day: date) -> str:
    """成文日期 as GB/T 9704-2012 writes it: Arabic numerals, no zero padding."""
    return f"{day.year}年{day.month}月{day.day}日"


def text_width(text: str) -> float:
    """Width in characters of the body font: ASCII (digits) half, everything else whole."""
    return sum(0.5 if ord(c) < 128 else 1.0 for c in text)


def signature_indents(signer: str, day: str) -> tuple[float, float]:
    """Right indents (in characters) of the 署名 and the 成文日期 without a seal."""
    signer_w, day_w = text_width(signer), text_width(day)
    date_right = signer_w - 2 - day_w + 2  # the date starts two characters right of the 署名
    if date_right >= 2:
        return 2.0, date_right
    return 2.0 + (2 - date_right), 2.0


def _closing(document, doc: OfficialDocument) -> None:
    """附件说明, 发文机关署名 and 成文日期 (右空四字), 附注, then 版记 (抄送, 印发)."""
    if doc.attachments:
        _para(document, indent_chars=0)
        if len(doc.attachments) == 1:
            _para(document, f"附件：{doc.attachments[0]}", indent_chars=2)
        else:
            for index, name in enumerate(doc.attachments, 1):
                lead = "附件：" if index == 1 else "　　　"
                _para(document, f"{lead}{index}．{name}", indent_chars=2)
    # 不加盖印章的公文 (GB/T 9704 §7.3.5.2): 署名 one line below the text, 右空二字; the date on
    # the next line starts two characters right of the 署名; a date longer than that is 右空二字
    # and the 署名 moves left to match.
    signer = doc.signer or doc.issuer
    day = zh_date_arabic(doc.date)
    signer_right, date_right = signature_indents(signer, day)
    _para(document, indent_chars=0)
    _para(document, signer, align=WD_ALIGN_PARAGRAPH.RIGHT, indent_chars=0, right_chars=signer_right)
    _para(document, day, align=WD_ALIGN_PARAGRAPH.RIGHT, indent_chars=0, right_chars=date_right)
    if doc.note:
        _para(document, f"（{doc.note}）", indent_chars=2)
    _para(document, indent_chars=0)
    # 版记: 抄送 and the 印发 line between lines (first and last thick, middle thin).
    printer = doc.printer or doc.issuer
    printed = zh_date_arabic(doc.printed or doc.date) + "印发"
    if doc.cc:
        cc = _para(document, f"抄送：{doc.cc}。", indent_chars=0, size=SIZE_4)
        _border(cc, "top", "000000", 8)
        cc.paragraph_format.left_indent = Pt(14)
        cc.paragraph_format.right_indent = Pt(14)
    issued = _para(document, indent_chars=0, size=SIZE_4)
    issued.paragraph_format.left_indent = Pt(14)
    issued.paragraph_format.right_indent = Pt(14)
    _run(issued, printer, size=SIZE_4)
    _run(issued, "\t" + printed, size=SIZE_4)
    issued.paragraph_format.tab_stops.add_tab_stop(Mm(156 - 10), alignment=_right_tab())
    if not doc.cc:
        _border(issued, "top", "000000", 8)
    else:
        _border(issued, "top", "000000", 4)
    _border(issued, "bottom", "000000", 8)


def _right_tab():
    from docx.enum.text import WD_TAB_ALIGNMENT

    return WD_TAB_ALIGNMENT.RIGHT


def _page_numbers(document) -> None:
    """"— 1 —" in 4号 宋体: odd pages right, even pages left, one character in."""
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    for footer, align, side in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
                                (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left")):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.style = document.styles["Footer"]
        paragraph.alignment = align
        ppr = paragraph._p.get_or_add_pPr()
        ind = OxmlElement("w:ind")
        ind.set(qn(f"w:{side}Chars"), "100")
        ind.set(qn(f"w:{side}"), "280")
        ind.set(qn("w:firstLineChars"), "0")
        ind.set(qn("w:firstLine"), "0")
        ppr.append(ind)
        _run(paragraph, "— ", font=SONG_FONT, size=SIZE_4)
        _field(paragraph, "PAGE")
        _run(paragraph, " —", font=SONG_FONT, size=SIZE_4)


def _field(paragraph, instruction: str) -> None:
    """A complex field (begin, instruction, separate, cached result "1", end)."""
    def run_with(child):
        run = _run(paragraph, "", font=SONG_FONT, size=SIZE_4)
        run._r.append(child)
        return run

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    _run(paragraph, "1", font=SONG_FONT, size=SIZE_4)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


__all__ = ["Block", "Heading", "OfficialDocument", "Paragraph", "Table", "to_docx", "normalise_zip",
           "zh_date_arabic"]
