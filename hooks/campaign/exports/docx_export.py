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
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import lru_cache
from typing import Union

# python-docx (and lxml with it) is imported when the first document is written, not with
# the page builders that only use the dataclasses below.

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

_EMU_PER_MM, _EMU_PER_PT, _EMU_PER_TWIP = 36000, 12700, 635
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
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
SIZE_2, SIZE_3, SIZE_4 = 22, 16, 14  # 2号, 3号, 4号, in points
RED = "FF0000"
HEADING_FONTS = {1: HEI_FONT, 2: KAI_FONT, 3: BODY_FONT, 4: BODY_FONT}


# --- Writing ---------------------------------------------------------------------------------------
#
# Everything but the text is the same for every document: page setup, styles, fonts, footers
# and the package parts around them. That skeleton is made once with python-docx and saved;
# each document then only writes its body (WordprocessingML built with lxml in the shape
# python-docx gives it) and its core properties, and zips them with the skeleton's parts.
# python-docx's proxies (a table cell is found by walking the grid) cost a few seconds per
# build at province scale; the bytes are the same as building every document with it.


def to_docx(doc: OfficialDocument) -> bytes:
    """The document as .docx bytes, the same bytes for the same document."""
    from lxml import etree

    skeleton = _skeleton()
    root = etree.fromstring(skeleton.document_xml)
    body = root.find(_W_BODY)
    sect = body[-1]  # w:sectPr, last child of the body
    out = _Body(body, sect)
    _version_header(out, doc)
    _title_block(out, doc)
    for block in doc.body:
        _block(out, block)
    _closing(out, doc)
    parts = dict(skeleton.parts)
    parts["word/document.xml"] = etree.tostring(root, encoding="UTF-8", standalone=True)
    parts["docProps/core.xml"] = _core_properties(skeleton.core_xml, doc)
    return _zip(parts, doc.date, skeleton.deflated)


def normalise_zip(data: bytes, day: date) -> bytes:
    """Rewrite a zip with sorted entries and timestamps fixed to `day`: same bytes each build."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return _zip({name: source.read(name) for name in source.namelist()}, day)


def _zip(parts: dict[str, bytes], day: date, deflated: dict[str, bytes] | None = None) -> bytes:
    """The zip of `parts`, sorted, stamped with `day`; `deflated` holds parts already
    compressed (the skeleton's, the same in every document) as zipfile would compress them."""
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in sorted(parts):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            info._compresslevel = _COMPRESS_LEVEL
            with target.open(info, "w") as entry:
                done = (deflated or {}).get(name)
                if done is not None and isinstance(getattr(entry, "_compressor", None), type(_deflater())):
                    entry._compressor = _Deflated(done)
                entry.write(parts[name])
    return out.getvalue()


_COMPRESS_LEVEL = 6


def _deflater():
    # What zipfile uses for ZIP_DEFLATED at a given level.
    return zlib.compressobj(_COMPRESS_LEVEL, zlib.DEFLATED, -15)


def _deflate(data: bytes) -> bytes:
    compressor = _deflater()
    return compressor.compress(data) + compressor.flush()


class _Deflated:
    """Stands in for zipfile's compressor of one entry whose compressed bytes are known."""

    def __init__(self, data: bytes):
        self._data = data

    def compress(self, _raw: bytes) -> bytes:
        data, self._data = self._data, b""
        return data

    def flush(self) -> bytes:
        return b""


@dataclass(frozen=True)
class _Skeleton:
    parts: dict            # part name → bytes, as python-docx saves them
    deflated: dict         # part name → compressed bytes, for the parts every document shares
    document_xml: bytes    # word/document.xml: an empty body and the section properties
    core_xml: bytes        # docProps/core.xml before any property is set


@lru_cache(maxsize=1)
def _skeleton() -> _Skeleton:
    from docx import Document
    from docx.opc.oxml import serialize_part_xml

    document = Document()
    core_xml = serialize_part_xml(document.core_properties._element)
    _page_setup(document)
    _styles(document)
    _fonts(document)
    _page_numbers(document)
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as saved:
        parts = {name: saved.read(name) for name in saved.namelist()}
    shared = {name: _deflate(data) for name, data in parts.items() if name not in _OWN_PARTS}
    return _Skeleton(parts, shared, parts["word/document.xml"], core_xml)


_OWN_PARTS = ("word/document.xml", "docProps/core.xml")  # what each document writes itself


def _mm(value: float):
    from docx.shared import Emu

    return Emu(round(value * _EMU_PER_MM))


def _pt(value: float):
    from docx.shared import Pt

    return Pt(value)


def _page_setup(document) -> None:
    from docx.enum.section import WD_SECTION
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    section = document.sections[0]
    section.page_width, section.page_height = _mm(PAGE_WIDTH_MM), _mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = _mm(MARGINS_MM["top"]), _mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = _mm(MARGINS_MM["left"]), _mm(MARGINS_MM["right"])
    section.header_distance, section.footer_distance = _mm(15), _mm(23)
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
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

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


def _style(document, name: str, east_asia: str, size_pt: float, *, bold=False, color: str | None = None,
           align=None, first_line_chars: int = 0, outline: int | None = None, keep_next=False):
    from docx.enum.text import WD_LINE_SPACING
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import RGBColor, Twips

    style = document.styles[name]
    rpr = style.element.get_or_add_rPr()
    for child in list(rpr):
        rpr.remove(child)
    set_run_fonts(rpr, east_asia)
    style.font.size = _pt(size_pt)
    style.font.bold = bold
    style.font.italic = False
    if color:
        style.font.color.rgb = RGBColor.from_string(color)
    else:
        color_el = OxmlElement("w:color")
        color_el.set(qn("w:val"), "000000")
        rpr.append(color_el)
    ppr = style.element.get_or_add_pPr()
    for child in list(ppr):
        ppr.remove(child)
    fmt = style.paragraph_format
    fmt.space_before = _pt(0)
    fmt.space_after = _pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Twips(LINE_PITCH)
    fmt.keep_with_next = keep_next
    fmt.widow_control = False
    if align is not None:
        fmt.alignment = align
    if first_line_chars:
        ind = OxmlElement("w:ind")
        ind.set(qn("w:firstLineChars"), str(first_line_chars * 100))
        ind.set(qn("w:firstLine"), str(int(size_pt * 20 * first_line_chars)))
        ppr.append(ind)
    if outline is not None:
        level = OxmlElement("w:outlineLvl")
        level.set(qn("w:val"), str(outline))
        ppr.append(level)
    return style


def _styles(document) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = document.styles
    # docDefaults: the grid's character pitch is relative to the default font size.
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for child in list(rpr_default):
        rpr_default.remove(child)
    set_run_fonts(rpr_default, BODY_FONT)
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), str(int(SIZE_3 * 2)))
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
    from docx.oxml.ns import qn
    from lxml import etree

    part = next(rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("/fontTable"))
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


def _page_numbers(document) -> None:
    """"— 1 —" in 4号 宋体: odd pages right, even pages left, one character in."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

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
        _footer_run(paragraph, "— ")
        _field(paragraph, "PAGE")
        _footer_run(paragraph, " —")


def _footer_run(paragraph, text: str):
    run = paragraph.add_run(text)
    set_run_fonts(run._r.get_or_add_rPr(), SONG_FONT)
    run.font.size = _pt(SIZE_4)
    return run


def _field(paragraph, instruction: str) -> None:
    """A complex field (begin, instruction, separate, cached result "1", end)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def run_with(child):
        run = _footer_run(paragraph, "")
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
    _footer_run(paragraph, "1")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _core_properties(core_xml: bytes, doc: OfficialDocument) -> bytes:
    from docx.opc.coreprops import CoreProperties
    from docx.opc.oxml import serialize_part_xml
    from docx.oxml.parser import parse_xml

    element = parse_xml(core_xml)
    props = CoreProperties(element)
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
    return serialize_part_xml(element)


# --- The body, in WordprocessingML ----------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_W_BODY = _W + "body"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_CENTER, _LEFT, _RIGHT = "center", "left", "right"
_TABLE_STYLE_ID = "TableGrid"  # the id of python-docx's "Table Grid" style


class _Body:
    """Appends paragraphs and tables to the body, before its section properties."""

    def __init__(self, body, sect):
        self._body, self._sect = body, sect

    def element(self, tag: str):
        from lxml import etree

        element = etree.Element(_W + tag)
        self._sect.addprevious(element)
        return element


# Qualified names by local name: a document has tens of thousands of elements and
# attributes, a few dozen distinct names.
_QNAMES: dict[str, str] = {"xml_space": _XML_SPACE}


def _qname(name: str) -> str:
    qualified = _QNAMES.get(name)
    if qualified is None:
        qualified = _QNAMES[name] = _W + name
    return qualified


def _sub(parent, tag: str, **attrs):
    return _subelement()(parent, _qname(tag), {_qname(name): value for name, value in attrs.items()})


@lru_cache(maxsize=1)
def _subelement():
    from lxml import etree

    return etree.SubElement


def _para(out: _Body, text: str = "", style: str | None = None, *, align: str | None = None,
          indent_chars: int | None = None, right_chars: float = 0, font: str | None = None,
          size: float | None = None, color: str | None = None):
    """A paragraph: pPr as python-docx writes it (pStyle, jc, then w:ind appended after them)."""
    paragraph = out.element("p")
    if style or align is not None or indent_chars is not None or right_chars:
        ppr = _sub(paragraph, "pPr")
        if style:
            _sub(ppr, "pStyle", val=style)
        if align is not None:
            _sub(ppr, "jc", val=align)
        if indent_chars is not None or right_chars:
            ind = _sub(ppr, "ind", firstLineChars=str((indent_chars or 0) * 100),
                       firstLine=str((indent_chars or 0) * 320))
            if right_chars:
                ind.set(_W + "rightChars", str(round(right_chars * 100)))
                ind.set(_W + "right", str(round(right_chars * 320)))
    if text:
        _run(paragraph, text, font=font, size=size, color=color)
    return paragraph


def _run(paragraph, text: str, *, font: str | None = None, size: float | None = None, color: str | None = None):
    """A run: rPr children in schema order (rFonts, color, sz); tabs and breaks as elements."""
    run = _sub(paragraph, "r")
    if font or size is not None or color:
        rpr = _sub(run, "rPr")
        if font:
            _sub(rpr, "rFonts", ascii=LATIN_FONT, hAnsi=LATIN_FONT, eastAsia=font, cs=LATIN_FONT)
        if color:
            _sub(rpr, "color", val=color)
        if size is not None:
            _sub(rpr, "sz", val=str(int(round(size * 2))))
    _text(run, text)
    return run


def _text(run, text: str) -> None:
    # As python-docx's run.text: a tab is <w:tab/>, a line break <w:br/>, the rest <w:t>,
    # which keeps its spaces when it starts or ends with whitespace.
    pending: list[str] = []

    def flush():
        if pending:
            chunk = "".join(pending)
            t = _sub(run, "t")
            t.text = chunk
            if len(chunk.strip()) < len(chunk):
                t.set(_XML_SPACE, "preserve")
            pending.clear()

    for char in text:
        if char == "\t":
            flush()
            _sub(run, "tab")
        elif char in "\r\n":
            flush()
            _sub(run, "br")
        else:
            pending.append(char)
    flush()


def _border(paragraph, side: str, color: str, eighths: int) -> None:
    ppr = paragraph.find(_W + "pPr")
    if ppr is None:
        ppr = _sub(paragraph, "pPr")
        paragraph.insert(0, ppr)
    borders = ppr.find(_W + "pBdr")
    if borders is None:
        borders = _sub(ppr, "pBdr")
    _sub(borders, side, val="single", sz=str(eighths), space="1", color=color)


def _version_header(out: _Body, doc: OfficialDocument) -> None:
    """版头: 发文机关标志 (red, 小标宋), then 发文字号 or 期号 over the red 分隔线."""
    mark = doc.issuer + doc.heading_mark
    # As large as 小初 (36 pt) while the mark fits the 156 mm line (GB/T 9704: 以醒目美观、庄重为原则).
    size = min(36, int(440 / max(len(mark), 1)))
    _para(out, mark, align=_CENTER, indent_chars=0, font=TITLE_FONT, size=size, color=RED)
    _para(out, indent_chars=0)
    number = doc.doc_no or doc.issue_no
    line = _para(out, number, align=_CENTER, indent_chars=0)
    _border(line, "bottom", RED, 12)  # 分隔线: red, about 0.4 mm
    _para(out, indent_chars=0)


def _title_block(out: _Body, doc: OfficialDocument) -> None:
    _para(out, doc.title, "Title")
    _para(out, indent_chars=0)
    if doc.recipients:
        _para(out, doc.recipients + "：", indent_chars=0)


def _block(out: _Body, block: Block) -> None:
    if isinstance(block, Heading):
        level = min(max(block.level, 1), 4)
        _para(out, block.text, f"Heading{level}")
    elif isinstance(block, Paragraph):
        paragraph = _para(out)
        if block.bold_lead:
            _run(paragraph, block.bold_lead, font=HEI_FONT)
        if block.text:
            _run(paragraph, block.text)
    else:
        _table(out, block)


def _mm_twips(mm: float) -> int:
    return int(round(mm * _EMU_PER_MM / float(_EMU_PER_TWIP)))


def _column_twips(columns: int) -> int:
    # As python-docx shares the width between the margins (as stored, in twips) evenly, in
    # EMU, then rounds to twips.
    width = (_mm_twips(PAGE_WIDTH_MM) - _mm_twips(MARGINS_MM["left"]) - _mm_twips(MARGINS_MM["right"])) * _EMU_PER_TWIP
    return int(round((width // columns) / float(_EMU_PER_TWIP)))


def _table(out: _Body, block: Table) -> None:
    if block.caption:
        _para(out, block.caption, align=_CENTER, indent_chars=0, font=HEI_FONT)
    columns = max([len(block.header)] + [len(r) for r in block.rows]) or 1
    twips = str(_column_twips(columns))
    table = out.element("tbl")
    properties = _sub(table, "tblPr")
    _sub(properties, "tblStyle", val=_TABLE_STYLE_ID)
    _sub(properties, "tblW", type="auto", w="0")
    _sub(properties, "jc", val=_CENTER)
    _sub(properties, "tblLook", firstColumn="1", firstRow="1", lastColumn="0", lastRow="0", noHBand="0",
         noVBand="1", val="04A0")
    grid = _sub(table, "tblGrid")
    for _ in range(columns):
        _sub(grid, "gridCol", w=twips)
    for row_index, values in enumerate([block.header, *block.rows]):
        row = _sub(table, "tr")
        if row_index == 0 and block.header:
            _sub(_sub(row, "trPr"), "tblHeader")  # repeated on every page
        for col in range(columns):
            cell = _sub(row, "tc")
            _sub(_sub(cell, "tcPr"), "tcW", type="dxa", w=twips)
            paragraph = _sub(cell, "p")
            ppr = _sub(paragraph, "pPr")
            _sub(ppr, "jc", val=_CENTER if row_index == 0 else _LEFT)
            _sub(ppr, "spacing", line="240", lineRule="auto")  # single line spacing
            _sub(ppr, "ind", firstLineChars="0", firstLine="0")
            text = values[col] if col < len(values) else ""
            if text:
                _run(paragraph, text, size=SIZE_4, font=HEI_FONT if row_index == 0 else None)


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


# 版记 lines are indented 14 pt (280 twips) on both sides; the 印发 date sits at a right tab
# 10 mm inside the 156 mm line.
_IMPRINT_INDENT = "280"
_IMPRINT_TAB = str(_mm_twips(156 - 10))


def _closing(out: _Body, doc: OfficialDocument) -> None:
    """附件说明, 发文机关署名 and 成文日期 (右空四字), 附注, then 版记 (抄送, 印发)."""
    if doc.attachments:
        _para(out, indent_chars=0)
        if len(doc.attachments) == 1:
            _para(out, f"附件：{doc.attachments[0]}", indent_chars=2)
        else:
            for index, name in enumerate(doc.attachments, 1):
                lead = "附件：" if index == 1 else "　　　"
                _para(out, f"{lead}{index}．{name}", indent_chars=2)
    # 不加盖印章的公文 (GB/T 9704 §7.3.5.2): 署名 one line below the text, 右空二字; the date on
    # the next line starts two characters right of the 署名; a date longer than that is 右空二字
    # and the 署名 moves left to match.
    signer = doc.signer or doc.issuer
    day = zh_date_arabic(doc.date)
    signer_right, date_right = signature_indents(signer, day)
    _para(out, indent_chars=0)
    _para(out, signer, align=_RIGHT, indent_chars=0, right_chars=signer_right)
    _para(out, day, align=_RIGHT, indent_chars=0, right_chars=date_right)
    if doc.note:
        _para(out, f"（{doc.note}）", indent_chars=2)
    _para(out, indent_chars=0)
    # 版记: 抄送 and the 印发 line between lines (first and last thick, middle thin).
    printer = doc.printer or doc.issuer
    printed = zh_date_arabic(doc.printed or doc.date) + "印发"
    if doc.cc:
        cc = _para(out, f"抄送：{doc.cc}。", indent_chars=0, size=SIZE_4)
        _border(cc, "top", "000000", 8)
        _imprint_indent(cc)
    issued = _para(out, indent_chars=0)
    _imprint_indent(issued)
    _run(issued, printer, size=SIZE_4)
    _run(issued, "\t" + printed, size=SIZE_4)
    ppr = issued.find(_W + "pPr")
    tabs = _sub(ppr, "tabs")
    ppr.insert(0, tabs)  # before w:ind, as the schema orders them
    _sub(tabs, "tab", pos=_IMPRINT_TAB, val="right")
    _border(issued, "top", "000000", 4 if doc.cc else 8)
    _border(issued, "bottom", "000000", 8)


def _imprint_indent(paragraph) -> None:
    ind = paragraph.find(_W + "pPr").find(_W + "ind")
    ind.set(_W + "left", _IMPRINT_INDENT)
    ind.set(_W + "right", _IMPRINT_INDENT)


__all__ = ["Block", "Heading", "OfficialDocument", "Paragraph", "Table", "to_docx", "normalise_zip",
           "zh_date_arabic"]
