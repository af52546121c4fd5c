"""Importing a policy document (公文) from .docx into content/policies/<id>.md.

County offices send their documents as Word or WPS files laid out by GB/T 9704-2012:
版头 (发文机关标志, 发文字号), 标题, 主送机关, 正文 with the headings 一、（一）1.（1）,
附件说明, 发文机关署名, 成文日期, then 附件 and 版记 (抄送, 印发). `read_docx` finds those
elements and turns the body into Markdown (heading levels, numbered lists, tables, bold and
italic, footnotes, images); `draft_policy_page` fills the policy front matter from them.
`import_document` writes the page (and the images and embedded files beside it) only when
the whole content folder still loads and validates with it.

Everything an editor can see is Chinese: a file that is not a .docx (.doc, .wps, encrypted,
corrupt) or not laid out as a 公文 (no 文号, no 成文日期, no 标题) raises DocxImportError with
a message saying what is wrong and what to do. Nothing here reads the clock.
"""
from __future__ import annotations

import posixpath
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from campaign.records.doc_numbers import corrected_doc_no
from campaign.check import load  # the one check pipeline: errors raise DataError
from campaign.records.loading import Dataset
from campaign.records.problems import ColumnError, DataError
from campaign.editors import scaffold
from campaign.editors.scaffold import Draft

MAX_BYTES = 50 * 1024 * 1024           # a .docx larger than this is refused
MAX_UNPACKED = 400 * 1024 * 1024       # nor one that unpacks to more (zip bombs)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
V = "urn:schemas-microsoft-com:vml"
O = "urn:schemas-microsoft-com:office:office"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


class DocxImportError(ColumnError):
    """The document cannot be imported; the text is Chinese for editors."""


CONVERT = "请用 Word 或 WPS 打开它，选择“另存为”→“Word 文档（*.docx）”，再导入另存的 .docx 文件。"


# --- Reading the file --------------------------------------------------------------------------


def open_docx(path: Path):
    """python-docx's Document for path, or DocxImportError saying why not (never a traceback)."""
    import docx

    name = path.name
    try:
        size = path.stat().st_size
    except OSError:
        raise DocxImportError(f"找不到文件 {name}。") from None
    if size == 0:
        raise DocxImportError(f"{name} 是空文件（0 字节），可能没有保存完整。{CONVERT}")
    if size > MAX_BYTES:
        raise DocxImportError(f"{name} 太大（{size // (1024 * 1024)} MB，上限 {MAX_BYTES // (1024 * 1024)} MB）。"
                              "请压缩其中的图片后另存为 .docx 再导入。")
    head = path.read_bytes()[:8]
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        data = path.read_bytes()
        if "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data:
            raise DocxImportError(
                f"{name} 设置了打开密码（已加密），无法读取。请在 Word 或 WPS 中打开它，取消文档密码"
                "（Word：文件→信息→保护文档→用密码进行加密，清空密码；WPS：文件→文档加密→密码加密，清空密码），"
                "另存为 .docx 后再导入。")
        raise DocxImportError(f"{name} 是旧版 Word（.doc）或 WPS（.wps）格式，不能直接导入。{CONVERT}")
    if head.startswith(b"{\\rtf"):
        raise DocxImportError(f"{name} 是 RTF 格式，不能直接导入。{CONVERT}")
    if not zipfile.is_zipfile(path):
        raise DocxImportError(f"{name} 不是 Word 文档（.docx），或者文件已损坏。{CONVERT}"
                              "如果是从微信、邮件下载的文件，请确认下载完整。")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if sum(i.file_size for i in archive.infolist()) > MAX_UNPACKED:
                raise DocxImportError(f"{name} 解压后过大，不像是正常的 Word 文档，没有导入。")
            if "word/document.xml" not in names:
                kind = _other_zip_kind(archive, names)
                raise DocxImportError(f"{name} {kind}，不是 Word 文档（.docx）。{CONVERT}")
            broken = archive.testzip()
            if broken:
                raise DocxImportError(f"{name} 已损坏（其中的 {broken} 读不出来）。{CONVERT}")
    except zipfile.BadZipFile:
        raise DocxImportError(f"{name} 已损坏，读不出来。{CONVERT}") from None
    try:
        return docx.Document(str(path))
    except Exception:  # python-docx / lxml errors on malformed parts
        raise DocxImportError(f"{name} 的内容已损坏，读不出来。{CONVERT}") from None


def _other_zip_kind(archive: zipfile.ZipFile, names: set[str]) -> str:
    if "mimetype" in names:
        mime = archive.read("mimetype")[:100].decode("ascii", "replace")
        if "opendocument.text" in mime:
            return "是 OpenDocument 文本（.odt）"
        return "是 OpenDocument 文件"
    if "xl/workbook.xml" in names:
        return "是 Excel 表格（.xlsx）"
    if "ppt/presentation.xml" in names:
        return "是 PowerPoint 演示文稿（.pptx）"
    return "是压缩包"


# --- Paragraph text with formatting -------------------------------------------------------------


@dataclass
class Segment:
    text: str
    bold: bool = False
    italic: bool = False
    raw: bool = False  # Markdown already (images, footnote marks): not escaped


@dataclass
class Para:
    segments: list[Segment]
    style: str = ""
    align: str = ""
    label: str = ""       # the number Word or WPS draws (automatic numbering), e.g. 一、
    label_format: str = ""

    @property
    def text(self) -> str:
        body = "".join(s.text for s in self.segments if not s.raw)
        return self.label + body

    @property
    def plain(self) -> str:
        return _squash(self.text)

    @property
    def has_raw(self) -> bool:
        return any(s.raw for s in self.segments)


@dataclass
class TableBlock:
    rows: list[list[list[Para]]]  # rows → cells → paragraphs

    def paragraphs(self) -> list[Para]:
        return [p for row in self.rows for cell in row for p in cell]


def _squash(text: str) -> str:
    """Text without the spaces Word and WPS users type for layout (half and full width)."""
    return re.sub(r"[\s\u3000\u00a0]+", "", text)


@dataclass
class _Context:
    document: object
    footnotes: dict[str, str] = field(default_factory=dict)       # w:id → text
    footnote_order: list[str] = field(default_factory=list)        # w:ids as referenced
    files: dict[str, bytes] = field(default_factory=dict)         # saved beside the page
    file_dir: str = ""                                             # e.g. zzbf-2018-30
    numbering: dict = field(default_factory=dict)
    counters: dict = field(default_factory=dict)
    styles: dict[str, tuple[str, object]] = field(default_factory=dict)  # style id → (name, element)


def _on(element, tag: str) -> bool:
    """A run property switched on (w:b, w:i without val="0"/"false")."""
    found = element.find(_w(tag)) if element is not None else None
    if found is None:
        return False
    return found.get(_w("val"), "true") not in ("0", "false", "off")


def _segments(ctx: _Context, element, bold=False, italic=False, out=None, boxes=None) -> list[Segment]:
    """The visible text of a paragraph in order, with bold/italic, images and footnote marks.
    Text boxes are collected into `boxes` as paragraphs of their own (WPS puts the 发文机关标志
    in one); of mc:AlternateContent only the first choice is read (the fallback repeats it)."""
    out = [] if out is None else out
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == _w("r"):
            rpr = child.find(_w("rPr"))
            b, i = bold or _on(rpr, "b"), italic or _on(rpr, "i")
            for part in child:
                ptag = part.tag if isinstance(part.tag, str) else ""
                if ptag == _w("t"):
                    out.append(Segment(part.text or "", b, i))
                elif ptag == _w("tab"):
                    out.append(Segment(" ", b, i))
                elif ptag in (_w("br"), _w("cr")):
                    if part.get(_w("type")) not in ("page", "column"):
                        out.append(Segment("\n"))
                elif ptag == _w("noBreakHyphen"):
                    out.append(Segment("-", b, i))
                elif ptag == _w("footnoteReference"):
                    note = part.get(_w("id"))
                    if note in ctx.footnotes:
                        if note not in ctx.footnote_order:
                            ctx.footnote_order.append(note)
                        out.append(Segment(f"[^{ctx.footnote_order.index(note) + 1}]", raw=True))
                elif ptag in (_w("drawing"), _w("pict"), _w("object"), f"{{{MC}}}AlternateContent"):
                    _embedded(ctx, part, out, boxes)
        elif tag in (_w("del"), _w("moveFrom"), _w("pPr"), _w("rPr")):
            continue
        elif tag == f"{{{MC}}}AlternateContent":
            _embedded(ctx, child, out, boxes)
        elif tag in (_w("hyperlink"), _w("smartTag"), _w("ins"), _w("moveTo"), _w("customXml"),
                     _w("fldSimple"), _w("sdt"), _w("sdtContent"), _w("bdo"), _w("dir")):
            _segments(ctx, child, bold, italic, out, boxes)
    return out


def _embedded(ctx: _Context, element, out: list[Segment], boxes) -> None:
    """Images, text boxes and embedded files inside a run."""
    if element.tag == f"{{{MC}}}AlternateContent":
        choice = element.find(f"{{{MC}}}Choice")
        element = choice if choice is not None else element.find(f"{{{MC}}}Fallback")
        if element is None:
            return
    for box in element.iter(_w("txbxContent")):
        if boxes is not None:
            boxes.extend(_read_block_items(ctx, box))
        break
    for blip in element.iter(f"{{{A}}}blip"):
        _save_part(ctx, blip.get(f"{{{R}}}embed"), out, image=True)
    for image in element.iter(f"{{{V}}}imagedata"):
        if element.find(f".//{{{O}}}OLEObject") is None:
            _save_part(ctx, image.get(f"{{{R}}}id"), out, image=True)
    for ole in element.iter(f"{{{O}}}OLEObject"):
        _save_part(ctx, ole.get(f"{{{R}}}id"), out, image=False)


def _save_part(ctx: _Context, rel_id: str | None, out: list[Segment], image: bool) -> None:
    rels = ctx.document.part.rels
    if not rel_id or rel_id not in rels or rels[rel_id].is_external:
        return
    part = rels[rel_id].target_part
    name = posixpath.basename(str(part.partname))
    if name not in ctx.files:
        ctx.files[name] = part.blob
    link = f"{ctx.file_dir}/{name}" if ctx.file_dir else name
    if image:
        out.append(Segment(f"![图片]({link})", raw=True))
    else:
        out.append(Segment(f"[嵌入的文件：{name}]({link})", raw=True))


def _read_paragraph(ctx: _Context, p) -> list:
    """One w:p as a Para (preceded by the paragraphs of any text box in it)."""
    boxes: list = []
    segments = _segments(ctx, p, boxes=boxes)
    ppr = p.find(_w("pPr"))
    style_id = ""
    align = ""
    num = None
    if ppr is not None:
        style_el = ppr.find(_w("pStyle"))
        style_id = style_el.get(_w("val"), "") if style_el is not None else ""
        jc = ppr.find(_w("jc"))
        align = jc.get(_w("val"), "") if jc is not None else ""
        num = ppr.find(_w("numPr"))
    style_name, style_el = ctx.styles.get(style_id, ("", None))
    if style_el is not None:
        if not align:
            jc = style_el.find(f"{_w('pPr')}/{_w('jc')}")
            align = jc.get(_w("val"), "") if jc is not None else ""
        if num is None:
            num = style_el.find(f"{_w('pPr')}/{_w('numPr')}")
    label, fmt = _number_label(ctx, num)
    return [*boxes, Para(segments, style_name, align, label, fmt)]


def _read_table(ctx: _Context, tbl) -> TableBlock:
    rows = []
    for tr in tbl.findall(_w("tr")):
        row = []
        for tc in tr.findall(_w("tc")):
            tcpr = tc.find(_w("tcPr"))
            span = 1
            continued = False
            if tcpr is not None:
                grid = tcpr.find(_w("gridSpan"))
                span = int(grid.get(_w("val"), "1")) if grid is not None else 1
                merge = tcpr.find(_w("vMerge"))
                continued = merge is not None and merge.get(_w("val"), "continue") == "continue"
            paragraphs = [] if continued else [x for x in _read_block_items(ctx, tc) if isinstance(x, Para)]
            if not continued:  # nested tables: their paragraphs, flattened into the cell
                for nested in tc.findall(_w("tbl")):
                    paragraphs += _read_table(ctx, nested).paragraphs()
            row.append(paragraphs)
            row += [[] for _ in range(span - 1)]
        rows.append(row)
    return TableBlock(rows)


def _read_block_items(ctx: _Context, container) -> list:
    """Paragraphs and tables of a body, cell or text box, in order (content controls opened)."""
    items: list = []
    for child in container:
        if child.tag == _w("p"):
            items += _read_paragraph(ctx, child)
        elif child.tag == _w("tbl"):
            items.append(_read_table(ctx, child))
        elif child.tag in (_w("sdt"), _w("customXml")):
            content = child.find(_w("sdtContent")) if child.tag == _w("sdt") else child
            if content is not None:
                items += _read_block_items(ctx, content)
    return items


# --- Automatic numbering ------------------------------------------------------------------------


def _load_numbering(document) -> dict:
    """numId → {ilvl: (numFmt, lvlText, start)} from word/numbering.xml."""
    try:
        root = document.part.numbering_part.element
    except Exception:  # no numbering part
        return {}
    abstract = {}
    for node in root.findall(_w("abstractNum")):
        levels = {}
        for lvl in node.findall(_w("lvl")):
            fmt = lvl.find(_w("numFmt"))
            text = lvl.find(_w("lvlText"))
            start = lvl.find(_w("start"))
            levels[int(lvl.get(_w("ilvl"), "0"))] = (
                fmt.get(_w("val"), "decimal") if fmt is not None else "decimal",
                text.get(_w("val"), "") if text is not None else "",
                int(start.get(_w("val"), "1")) if start is not None else 1)
        abstract[node.get(_w("abstractNumId"))] = levels
    numbering = {}
    for num in root.findall(_w("num")):
        ref = num.find(_w("abstractNumId"))
        if ref is not None:
            numbering[num.get(_w("numId"))] = abstract.get(ref.get(_w("val")), {})
    return numbering


ZH_DIGITS = "〇一二三四五六七八九"


def zh_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (as 一、 and （一） headings count)."""
    if n < 10:
        return ZH_DIGITS[n]
    if n < 20:
        return "十" + (ZH_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return ZH_DIGITS[n // 10] + "十" + (ZH_DIGITS[n % 10] if n % 10 else "")
    rest = n % 100
    tail = "" if rest == 0 else ("零" + ZH_DIGITS[rest] if rest < 10 else zh_number(rest) if rest >= 20 else "一" + zh_number(rest))
    return ZH_DIGITS[n // 100] + "百" + tail


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "japaneseCounting",
               "taiwaneseCounting", "taiwaneseCountingThousand", "chineseLegalSimplified"):
        return zh_number(n)
    if fmt == "ideographDigital":
        return "".join(ZH_DIGITS[int(c)] for c in str(n))
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(n)
        return roman.lower() if fmt == "lowerRoman" else roman
    return str(n)


def _roman(n: int) -> str:
    parts = []
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            parts.append(letters)
            n -= value
    return "".join(parts)


def _number_label(ctx: _Context, num) -> tuple[str, str]:
    if num is None:
        return "", ""
    id_el, lvl_el = num.find(_w("numId")), num.find(_w("ilvl"))
    num_id = id_el.get(_w("val")) if id_el is not None else None
    level = int(lvl_el.get(_w("val"), "0")) if lvl_el is not None else 0
    levels = ctx.numbering.get(num_id)
    if not levels or num_id == "0" or level not in levels:
        return "", ""
    fmt, text, start = levels[level]
    counters = ctx.counters.setdefault(num_id, {})
    counters[level] = counters.get(level, start - 1) + 1
    for deeper in [k for k in counters if k > level]:
        del counters[deeper]
    if fmt == "bullet":
        return "", "bullet"
    if fmt == "none":
        return "", ""

    def value(match):
        index = int(match.group(1)) - 1
        lvl_fmt = levels.get(index, (fmt, "", 1))[0]
        return _format_number(counters.get(index, levels.get(index, (fmt, "", 1))[2]), lvl_fmt)

    return re.sub(r"%(\d)", value, text), fmt


# --- The 公文 elements ----------------------------------------------------------------------------


DOC_NO_SEARCH = re.compile(
    r"[\u4e00-\u9fa5A-Za-z]{2,}\s*[〔【\[［(（﹝〈《{]\s*\d{4}\s*[〕】\]］)）﹞〉》}]\s*第?\s*\d+\s*号")
ZH_NUM_CHARS = "〇○零Ｏ一二三四五六七八九十"
DATE_LINE = re.compile(
    rf"^(?P<y>\d{{4}}|[{ZH_NUM_CHARS}]{{4}})年(?P<m>\d{{1,2}}|[{ZH_NUM_CHARS}]{{1,2}})月"
    rf"(?P<d>\d{{1,2}}|[{ZH_NUM_CHARS}]{{1,3}})日$")
HEADING_PATTERNS = (
    (1, re.compile(r"^[一二三四五六七八九十百]+、")),
    (2, re.compile(r"^[（(][一二三四五六七八九十百]+[）)]")),
    (3, re.compile(r"^\d+[.．](?!\d)")),
    (4, re.compile(r"^[（(]\d+[）)]")),
)
ATTACHMENT_NOTE = re.compile(r"^附\s*件\s*[:：]\s*(?P<rest>.*)$")
ATTACHMENT_START = re.compile(r"^附件\s*[0-9０-９一二三四五六七八九十]*\s*[:：]?$")
NUMBERED_ITEM = re.compile(r"^(?P<n>\d+)\s*[.．、]\s*(?P<text>.+)$")


def parse_zh_date(text: str) -> date | None:
    """2018年4月10日 or 二〇一八年四月十日 (also ○ and 零 for 〇); None if text is no date."""
    match = DATE_LINE.match(_squash(text))
    if not match:
        return None
    try:
        return date(_numeral(match["y"], True), _numeral(match["m"]), _numeral(match["d"]))
    except ValueError:
        return None


def _numeral(text: str, digits: bool = False) -> int:
    if text.isdigit() and text.isascii():
        return int(text)
    table = {c: i for i, c in enumerate(ZH_DIGITS)} | {"○": 0, "零": 0, "Ｏ": 0}
    if digits:
        return int("".join(str(table[c]) for c in text))
    if "十" in text:
        left, _, right = text.partition("十")
        return (table[left] if left else 1) * 10 + (table[right] if right else 0)
    return int("".join(str(table[c]) for c in text))


@dataclass
class ParsedDocument:
    """What a 公文 says about itself, and its body as Markdown."""

    issuer: str
    doc_no: str
    doc_no_original: str
    title: str
    recipients: str
    written: date
    written_text: str
    signer: str
    attachments: list[str]
    markdown: str
    files: dict[str, bytes]
    notes: list[str]


def read_docx(path: Path, file_dir: str = "") -> ParsedDocument:
    """Open and parse path; DocxImportError (Chinese) when it is no .docx or no 公文."""
    document = open_docx(path)
    return parse_document(document, path.name, file_dir)


def parse_document(document, name: str, file_dir: str = "") -> ParsedDocument:
    ctx = _Context(document, file_dir=file_dir)
    ctx.styles = {s.style_id: (s.name or "", s.element) for s in document.styles}
    ctx.numbering = _load_numbering(document)
    ctx.footnotes = _footnotes(ctx)
    items = _read_block_items(ctx, document.element.body)
    return _layout(ctx, items, name)


def _footnotes(ctx: _Context) -> dict[str, str]:
    part = next((rel.target_part for rel in ctx.document.part.rels.values()
                 if not rel.is_external and rel.reltype.endswith("/footnotes")), None)
    if part is None:
        return {}
    from lxml import etree

    try:
        root = etree.fromstring(part.blob)
    except etree.XMLSyntaxError:
        return {}
    notes = {}
    for note in root.findall(_w("footnote")):
        if note.get(_w("type")) in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        text = "".join(s.text for p in note.iter(_w("p")) for s in _segments(ctx, p) if not s.raw).strip()
        notes[note.get(_w("id"))] = text
    return notes


def _flat(items: list) -> list[tuple[int, Para]]:
    """(item index, paragraph) for every paragraph, table cells included."""
    flat = []
    for index, item in enumerate(items):
        if isinstance(item, Para):
            flat.append((index, item))
        else:
            flat += [(index, p) for p in item.paragraphs()]
    return flat


def _missing(name: str, element: str, looks_like: str) -> DocxImportError:
    return DocxImportError(
        f"{name} 不像是按 GB/T 9704-2012 排版的公文：没有找到{element}（{looks_like}）。"
        "请确认导入的是正式印发的文件；如果是没有文号的文件，请用 ./column new policy 新建后粘贴正文。")


def _layout(ctx: _Context, items: list, name: str) -> ParsedDocument:
    notes: list[str] = []
    flat = _flat(items)
    # 版头: the first 文号 in the document; the 发文机关标志 above it.
    found = next(((i, p, m) for i, p in flat if (m := DOC_NO_SEARCH.search(p.plain))), None)
    if found is None:
        raise _missing(name, "发文字号（文号）", "发文机关标志下方的一行，如 紫政办发〔2018〕25号")
    head_index, head_para, match = found
    original = match.group(0)
    doc_no = corrected_doc_no(original)
    if doc_no is None:
        raise DocxImportError(f"{name} 的文号「{original}」序号不对（不能是 0），请核对原文件。")
    if doc_no != _squash(original):
        notes.append(f"文号原文写作「{_squash(original)}」，已按 GB/T 9704-2012 改为「{doc_no}」"
                     "（年份用六角括号〔〕，序号不编虚位、不加“第”）。")
    header = [p for i, p in flat if i < head_index or (i == head_index and p is not head_para)]
    issuer = _issuer(header)

    # 标题 and 主送机关 below the 版头.
    position = head_index + 1
    title_parts: list[str] = []
    while position < len(items):
        item = items[position]
        if isinstance(item, TableBlock):
            break
        text = item.plain
        if not text:
            if title_parts:
                position += 1
                break
            position += 1
            continue
        if text.endswith(("：", ":")):
            break
        centred = item.align == "center" or item.style.lower() in ("title", "标题")
        if title_parts and not centred:
            break
        title_parts.append(text)
        position += 1
        if not centred:
            break
    title = "".join(title_parts)
    if not title or len(title) > 200:
        raise _missing(name, "标题", "文号下方居中的一行或几行，如 关于印发……的通知")
    recipients = ""
    while position < len(items) and isinstance(items[position], Para) and not items[position].plain:
        position += 1
    if position < len(items) and isinstance(items[position], Para):
        text = items[position].plain
        if text.endswith(("：", ":")) and len(text) <= 200 and not _heading_level(text):
            recipients = text[:-1]
            position += 1

    # 成文日期: the first line after the title that is a date and nothing else.
    date_index = None
    written = None
    written_text = ""
    signer = ""
    for index in range(position, len(items)):
        item = items[index]
        if not isinstance(item, Para):
            continue
        lines = [line for line in item.text.split("\n") if _squash(line)]
        if lines and (day := parse_zh_date(lines[-1])):
            date_index, written, written_text = index, day, _squash(lines[-1])
            if len(lines) > 1:
                signer = _squash(lines[-2])
            break
    if date_index is None:
        raise _missing(name, "成文日期", "发文机关署名下方的日期，如 2018年4月10日 或 二〇一八年四月十日")
    if not re.match(r"^\d", written_text):
        notes.append(f"成文日期原文写作「{written_text}」，已读作 {written.isoformat()}。")

    # 发文机关署名: the short line right above the date.
    body_end = date_index
    if not signer:
        back = date_index - 1
        while back >= position and isinstance(items[back], Para) and not items[back].plain and not items[back].has_raw:
            back -= 1
        if back >= position and isinstance(items[back], Para):
            text = items[back].plain
            if text and len(text) <= 40 and not text.endswith(("。", "；", "：", ":", "，")) and not _heading_level(text):
                signer = text
                body_end = back
    body_items = items[position:body_end]

    # 附件说明 at the end of the body.
    attachments: list[str] = []
    body_items, attachments = _attachment_note(body_items)

    # After the date: 附注, the attachments' own pages, and the 版记 (抄送, 印发) left out.
    after = items[date_index + 1:]
    tail_notes, annexes = _after_date(after)

    lines: list[str] = []
    if recipients:
        lines += [_escape(recipients) + "：", ""]
    lines += _markdown(ctx, body_items)
    if attachments:
        if len(attachments) == 1:
            lines += [f"附件：{_escape(attachments[0])}", ""]
        else:
            lines += ["附件：", ""] + [f"{n}. {_escape(a)}" for n, a in enumerate(attachments, 1)] + [""]
    if signer:
        lines += [_escape(signer), ""]
    lines += [_escape(written_text), ""]
    for note in tail_notes:
        lines += [_escape(note), ""]
    for heading, annex_items in annexes:
        lines += [f"## {_escape(heading)}", ""]
        lines += _markdown(ctx, annex_items, shift=1)
    if ctx.footnote_order:
        for number, note in enumerate(ctx.footnote_order, 1):
            lines.append(f"[^{number}]: {_escape(ctx.footnotes[note])}")
        lines.append("")
    markdown = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"
    return ParsedDocument(issuer, doc_no, _squash(original), title, recipients, written, written_text,
                          signer, attachments, markdown, dict(ctx.files), notes)


_NOT_ISSUER = re.compile(r"^(\d{6}|[A-Za-z0-9]+|.*(秘密|机密|绝密|特急|加急|签发人).*)$")


def _issuer(header: list[Para]) -> str:
    for para in header:
        text = para.plain
        if not text or _NOT_ISSUER.match(text) or DOC_NO_SEARCH.search(text):
            continue
        return re.sub(r"(文件|通报|简报|函|纪要)$", "", text)
    return ""


def _attachment_note(body: list) -> tuple[list, list[str]]:
    """Split off the 附件说明 (附件：1. … 2. …) from the end of the body."""
    for index in range(len(body) - 1, -1, -1):
        item = body[index]
        if not isinstance(item, Para):
            continue
        match = ATTACHMENT_NOTE.match(item.plain)
        if not match:
            continue
        names = []
        first = match["rest"]
        if first:
            numbered = NUMBERED_ITEM.match(first)
            names.append(numbered["text"] if numbered else first)
        rest = body[index + 1:]
        if not all(isinstance(x, Para) and (not x.plain or NUMBERED_ITEM.match(x.plain)) for x in rest):
            return body, []
        names += [NUMBERED_ITEM.match(x.plain)["text"] for x in rest if x.plain]
        return body[:index], names
    return body, []


def _after_date(after: list) -> tuple[list[str], list[tuple[str, list]]]:
    notes: list[str] = []
    annexes: list[tuple[str, list]] = []
    current: list | None = None
    for item in after:
        paragraphs = item.paragraphs() if isinstance(item, TableBlock) else [item]
        texts = [p.plain for p in paragraphs]
        if any(t.startswith("抄送") or re.search(r"印发$", t) for t in texts):
            break  # 版记: the rest is distribution, not content
        if isinstance(item, Para) and ATTACHMENT_START.match(item.plain):
            current = []
            annexes.append((item.plain.rstrip("：:"), current))
            continue
        if current is not None:
            if not current and isinstance(item, Para) and item.plain and not annexes[-1][0].count("："):
                annexes[-1] = (f"{annexes[-1][0]}：{item.plain}", current)
                continue
            current.append(item)
        elif isinstance(item, Para) and item.plain:
            notes.append(item.plain)
    return notes, annexes


# --- Markdown ------------------------------------------------------------------------------------

_ESCAPE = re.compile(r"([\\`*_\[\]])")


def _escape(text: str) -> str:
    text = _ESCAPE.sub(r"\\\1", text).replace("<", "&lt;").replace(">", "&gt;")
    if text.startswith("#"):
        text = "\\" + text
    return text


def _inline(para: Para) -> str:
    """The paragraph's Markdown: runs of equal formatting merged, bold and italic kept."""
    merged: list[Segment] = []
    for segment in para.segments:
        if segment.text == "\n":
            segment = Segment("", raw=True)  # a line break inside a Chinese paragraph: joined
        if merged and not segment.raw and not merged[-1].raw and (merged[-1].bold, merged[-1].italic) == (segment.bold, segment.italic):
            merged[-1] = Segment(merged[-1].text + segment.text, segment.bold, segment.italic)
        else:
            merged.append(segment)
    out = [_escape(para.label)] if para.label else []
    for segment in merged:
        if segment.raw:
            out.append(segment.text)
            continue
        text = _escape(segment.text)
        core = text.strip()
        if not core or not (segment.bold or segment.italic):
            out.append(text)
            continue
        lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
        mark = "***" if segment.bold and segment.italic else "**" if segment.bold else "*"
        out.append(f"{lead}{mark}{core}{mark}{trail}")
    return "".join(out).strip(" \t\u3000\u00a0")


def _heading_level(text: str) -> int:
    for level, pattern in HEADING_PATTERNS:
        if pattern.match(text):
            return level
    return 0


def _style_level(style: str) -> int:
    match = re.match(r"^(?:heading|标题)\s*(\d)$", style.strip().lower())
    return int(match[1]) if match else 0


def _markdown(ctx: _Context, items: list, shift: int = 0) -> list[str]:
    """Markdown lines for body items; headings one level below the page title (一、 → ##),
    `shift` more inside an attachment (附件), whose own title is a ## heading."""
    lines: list[str] = []
    previous_list = False
    for item in items:
        if isinstance(item, TableBlock):
            lines += _table(item) + [""]
            previous_list = False
            continue
        text = item.plain
        if not text and not item.has_raw:
            continue
        level = _style_level(item.style) or _heading_level(text)
        heading_like = len(text) <= 40 and not re.search(r"[。；;，,：:！？]$", text) and not item.has_raw
        if level and heading_like:
            if previous_list:
                lines.append("")
            lines += [f"{'#' * min(level + 1 + shift, 6)} {_escape(text)}", ""]
            previous_list = False
            continue
        if item.label_format == "bullet":
            lines.append(f"- {_inline(item)}")
            previous_list = True
            continue
        numbered = NUMBERED_ITEM.match(text) if level == 3 else None
        if numbered:
            # "1. ……。" paragraphs are a numbered list: Markdown's own (its number kept).
            body = _inline(item)
            body = re.sub(r"^(\\?\*{0,3})\d+\s*[.．、]\s*", r"\1", body)
            lines.append(f"{numbered['n']}. {body}")
            previous_list = True
            continue
        if previous_list:
            lines.append("")
        lines += [_inline(item), ""]
        previous_list = False
    if previous_list:
        lines.append("")
    return lines


def _table(table: TableBlock) -> list[str]:
    rows = [[_cell(cell) for cell in row] for row in table.rows if row]
    if not rows:
        return []
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    out = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
    out += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return out


def _cell(paragraphs: list[Para]) -> str:
    parts = [_inline(p) for p in paragraphs if p.plain or p.has_raw]
    return "<br>".join(parts).replace("|", "\\|").replace("\n", " ")


# --- The policy page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportedPage:
    draft: Draft
    files: dict[str, bytes]   # path relative to the project root → bytes
    notes: list[str]
    parsed: ParsedDocument


def find_publisher(d: Dataset, parsed: ParsedDocument) -> str | None:
    """The unit behind the document: its 署名 or 发文机关标志 by full or short name, else the
    publisher of another document with the same 机关代字."""
    names = {u.name: u.id for u in d.unit_list} | {u.short: u.id for u in d.unit_list}
    for name in (parsed.signer, parsed.issuer):
        if name in names:
            return names[name]
    prefix = parsed.doc_no.split("〔")[0]
    for page in d.policies:
        if page.doc.doc_no.split("〔")[0] == prefix and page.doc.doc_no:
            return page.doc.publisher
    return None


def default_id(d: Dataset, parsed: ParsedDocument) -> str | None:
    """zzbf-2018-30 for 紫政办发〔2018〕30号 when another document of the same 机关代字 shows
    the site's id for it (zzbf-2018-25 for 紫政办发〔2018〕25号)."""
    prefix = parsed.doc_no.split("〔")[0]
    year, serial = re.search(r"〔(\d{4})〕(\d+)号", parsed.doc_no).groups()
    for page in d.policies:
        other = re.fullmatch(re.escape(prefix) + r"〔(\d{4})〕(\d+)号", page.doc.doc_no)
        if other and page.doc.id == f"{page.doc.id.rsplit('-', 2)[0]}-{other[1]}-{other[2]}":
            return f"{page.doc.id.rsplit('-', 2)[0]}-{year}-{serial}"
    return None


def draft_policy_page(d: Dataset, parsed: ParsedDocument, doc_id: str, publisher: str, source_name: str) -> ImportedPage:
    scaffold._slug(doc_id, "文件编号")
    scaffold._known(publisher, d.units, "单位", "data/units.yml")
    path = f"content/policies/{doc_id}.md"
    published = max(parsed.written, d.as_of)
    values = {
        "id": doc_id,
        "doc_type": "文件",
        "title": parsed.title,
        "index_no": scaffold._next_index_no(d),
        "doc_no": parsed.doc_no,
        "publisher": publisher,
        "topic": "综合政务",
        "written": parsed.written,
        "published": published,
        "validity": "有效",
        "actions": [],
        "keywords": [],
        "description": "",
    }
    draft = scaffold._markdown(path, "政策文件", values, {"index_no", "topic", "published"}, parsed.markdown)
    origin = [f"# 由 ./column import-doc 从 {source_name} 导入。核对标题、文号、成文日期和正文后，填写带“【待填写】”的字段。"]
    origin += [f"# {note}" for note in parsed.notes]
    lines = draft.text.split("\n")
    text = "\n".join(lines[:2] + origin + lines[2:])
    files = {f"content/policies/{doc_id}/{name}": blob for name, blob in sorted(parsed.files.items())}
    return ImportedPage(Draft(path, text), files, parsed.notes, parsed)


def import_document(project: Path, source: Path, doc_id: str | None = None, publisher: str | None = None,
                    as_of: str | None = None) -> ImportedPage:
    """Read source, build the page and write it (and its files) only if everything validates."""
    d = load(project / "data", project / "content", as_of)
    parsed_probe = read_docx(source)
    same = next((p for p in d.policies if p.doc.doc_no == parsed_probe.doc_no), None)
    if same is not None:
        raise DocxImportError(f"文号为「{parsed_probe.doc_no}」的文件已经在 content/{same.src_uri}（{same.doc.title}），"
                              "没有重复导入。要更新它请直接编辑该文件。")
    doc_id = doc_id or default_id(d, parsed_probe)
    if not doc_id:
        raise DocxImportError(f"请用 --id 指定文件编号（网址的一部分，只用小写字母、数字和 -），"
                              f"如 --id {_example_id(parsed_probe)}。")
    parsed = read_docx(source, file_dir=doc_id)
    publisher = publisher or find_publisher(d, parsed)
    if not publisher:
        who = parsed.signer or parsed.issuer or "（未找到）"
        raise DocxImportError(f"发文机关「{who}」不在单位名录 data/units.yml 中。请用 --publisher 指定发布机构的单位编号，"
                              "如 --publisher zfb；如果是新单位，先把它加进 data/units.yml。")
    page = draft_policy_page(d, parsed, doc_id, publisher, source.name)
    targets = [project / page.draft.path, *(project / p for p in page.files)]
    existing = [t for t in targets if t.exists()]
    if existing:
        listed = "、".join(t.relative_to(project).as_posix() for t in existing)
        raise DocxImportError(f"{listed} 已经存在，没有覆盖。要重新导入请先删除它，或用 --id 换一个文件编号。")
    _validate(project, page, as_of)
    for target, blob in [(project / page.draft.path, page.draft.text.encode("utf-8")),
                         *((project / p, b) for p, b in page.files.items())]:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blob)
    return page


def _example_id(parsed: ParsedDocument) -> str:
    year, serial = re.search(r"〔(\d{4})〕(\d+)号", parsed.doc_no).groups()
    return f"zzbf-{year}-{serial}"


def _validate(project: Path, page: ImportedPage, as_of: str | None) -> None:
    """Load the data with the new page added to a temporary copy of content/policies/."""
    with tempfile.TemporaryDirectory(prefix="import-doc-") as temp:
        content = Path(temp) / "content"
        policies = project / "content" / "policies"
        (content / "policies").mkdir(parents=True)
        for source in sorted(policies.rglob("*.md")) if policies.is_dir() else []:
            copy = content / "policies" / source.relative_to(policies)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, copy)
        target = content / Path(page.draft.path).relative_to("content")
        target.write_text(page.draft.text, encoding="utf-8")
        try:
            load(project / "data", content, as_of)
        except DataError as err:
            report = str(err).replace(str(content), "content")
            raise DocxImportError("导入结果没有通过检查，没有写入任何文件：\n" + report) from None


__all__ = ["DocxImportError", "ImportedPage", "ParsedDocument", "import_document", "open_docx",
           "parse_document", "parse_zh_date", "read_docx", "zh_number"]
