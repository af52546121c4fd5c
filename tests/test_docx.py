"""Official documents in and out as .docx (GB/T 9704-2012).

Import: `./column import-doc` turns a 公文 written by Word, WPS or LibreOffice into a policy
page, with Chinese messages for files it cannot read. Export: bulletins and the year-end
report as .docx with the standard page setup and fonts, byte-identical on rebuild, opened
by LibreOffice headless. LibreOffice runs twice for the whole module (module fixture).
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.shared import Mm

from support import run_cli
from support import ROOT
from docx_fixtures import gongwen, wps_like

from campaign.editors import docx_import
from campaign.editors.docx_import import DocxImportError, parse_zh_date, read_docx
from campaign.exports import docx_export as dx
from campaign.check import load
from campaign.site import documents
from campaign.site.pages import bulletins, yearend

SOFFICE = shutil.which("soffice")


@pytest.fixture(scope="module")
def dataset():
    return load(ROOT / "data", ROOT / "content")


def _front_matter(text: str) -> dict:
    import yaml

    return yaml.safe_load(re.split(r"^---$", text, maxsplit=2, flags=re.M)[1])


def _body(text: str) -> str:
    return re.split(r"^---$", text, maxsplit=2, flags=re.M)[2]


# --- Import: the regular case through the CLI ----------------------------------------------------


def test_import_doc_writes_a_valid_policy_page(project: Path, tmp_path: Path):
    source = gongwen(tmp_path / "通知.docx", table=True, bold=True, attachments=("企业开办流程", "责任分工表"),
                     title_lines=2)
    result = run_cli(project, "import-doc", str(source), "--id", "zzbf-2018-30")
    assert result.returncode == 0, result.stderr
    assert "已从 通知.docx 导入 content/policies/zzbf-2018-30.md" in result.stdout
    text = (project / "content/policies/zzbf-2018-30.md").read_text(encoding="utf-8")
    meta = _front_matter(text)
    assert meta["title"] == "紫阳县人民政府办公室关于印发测试工作方案的通知"  # two title lines joined
    assert meta["doc_no"] == "紫政办发〔2018〕30号"
    assert str(meta["written"]) == "2018-04-10"
    assert meta["publisher"] == "zfb"  # 发文机关署名 found in data/units.yml
    assert meta["index_no"] == "zyxzfzyxzfbgs/2018-0033"  # the site's form, next serial
    # 主题分类 and 公开日期 are the editor's: marked like `./column new policy` does.
    for key in ("topic", "published", "index_no"):
        assert re.search(rf"^{key}: .*【待填写】$", text, re.M), key
    body = _body(text)
    assert "## 一、总体要求" in body and "### （一）工作目标" in body and "##### （1）窗口服务" in body
    assert "1. 精简审批环节。取消没有法律依据的前置条件。\n2. 推行网上办理。" in body
    assert "各单位要**高度重视**，*认真落实*。" in body
    assert "| 序号 | 事项 | 时限 |\n| --- | --- | --- |\n| 1 | 企业开办 | 5个工作日 |" in body
    assert "附件：\n\n1. 企业开办流程\n2. 责任分工表" in body
    assert "抄送" not in body and "印发" not in body  # 版记 is distribution, not content
    # Only warnings for the 【待填写】 marks: the page loads and validates.
    check = run_cli(project, "check")
    assert check.returncode == 0, check.stderr
    assert "content/policies/zzbf-2018-30.md" in check.stderr


def test_import_doc_default_id_publisher_and_no_overwrite(project: Path, tmp_path: Path):
    source = gongwen(tmp_path / "a.docx", doc_no="紫政办发〔2018〕40号")
    first = run_cli(project, "import-doc", str(source))
    assert first.returncode == 0, first.stderr
    assert (project / "content/policies/zzbf-2018-40.md").is_file()  # id from 紫政办发 ↔ zzbf
    again = run_cli(project, "import-doc", str(source))
    assert again.returncode == 1 and "已经在 content/policies/zzbf-2018-40.md" in again.stderr
    other = gongwen(tmp_path / "b.docx", doc_no="紫政办发〔2018〕41号")
    clash = run_cli(project, "import-doc", str(other), "--id", "zzbf-2018-40")
    assert clash.returncode == 1 and "content/policies/zzbf-2018-40.md 已经存在，没有覆盖" in clash.stderr


def test_unknown_issuer_asks_for_publisher(project: Path, tmp_path: Path):
    source = gongwen(tmp_path / "b.docx", doc_no="紫林发〔2018〕3号", issuer="紫阳县林业局", signer="紫阳县林业局")
    result = run_cli(project, "import-doc", str(source), "--id", "zlf-2018-3")
    assert result.returncode == 1
    assert "发文机关「紫阳县林业局」不在单位名录 data/units.yml 中" in result.stderr and "--publisher" in result.stderr
    ok = run_cli(project, "import-doc", str(source), "--id", "zlf-2018-3", "--publisher", "zfb")
    assert ok.returncode == 0, ok.stderr


def test_a_document_already_on_the_site_is_not_imported_twice(project: Path, tmp_path: Path):
    source = gongwen(tmp_path / "c.docx", doc_no="紫政办发【2018】25号")  # already zzbf-2018-25
    result = run_cli(project, "import-doc", str(source), "--id", "zzbf-2018-99")
    assert result.returncode == 1, result.stdout
    assert "没有写入任何文件" in result.stderr and "已经在 content/policies/zzbf-2018-25.md" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "content/policies/zzbf-2018-99.md").exists()


def test_nothing_is_written_unless_the_result_validates(project: Path, tmp_path: Path, monkeypatch):
    """The last gate: the page is loaded with the rest of content/policies before writing."""
    source = gongwen(tmp_path / "v.docx", doc_no="紫政办发〔2018〕36号", date_text="2018年4月10日")
    real = docx_import.draft_policy_page

    def broken(*args, **kwargs):  # a page the loader rejects (a 解读 without its document)
        page = real(*args, **kwargs)
        text = page.draft.text.replace("doc_type: 文件", "doc_type: 解读")
        return dataclasses.replace(page, draft=dataclasses.replace(page.draft, text=text))
    monkeypatch.setattr(docx_import, "draft_policy_page", broken)
    with pytest.raises(DocxImportError, match="导入结果没有通过检查，没有写入任何文件"):
        docx_import.import_document(project, source, "zzbf-2018-36")
    assert not (project / "content/policies/zzbf-2018-36.md").exists()


# --- Import: the tricky documents -------------------------------------------------------------------


def test_brackets_and_chinese_numeral_date_are_normalised_and_said(tmp_path: Path):
    source = gongwen(tmp_path / "d.docx", doc_no="紫政办发【2018】第025号", date_text="二〇一八年四月十日")
    parsed = read_docx(source)
    assert parsed.doc_no == "紫政办发〔2018〕25号"
    assert parsed.written.isoformat() == "2018-04-10"
    assert any("紫政办发【2018】第025号" in n and "〔2018〕25号" in n for n in parsed.notes)
    assert any("二〇一八年四月十日" in n for n in parsed.notes)


@pytest.mark.parametrize("text,iso", [
    ("2018年4月10日", "2018-04-10"), ("二〇一八年四月十日", "2018-04-10"), ("二○一八年十二月三十一日", "2018-12-31"),
    ("二〇一八年十月二十日", "2018-10-20"), ("2018 年 4 月 1 日", "2018-04-01"), ("二〇一八年二月三十日", None),
    ("2018年4月10日印发", None),
])
def test_dates(text, iso):
    day = parse_zh_date(text)
    assert (day.isoformat() if day else None) == iso


def test_footnote_attachment_pages_and_cli_notes(project: Path, tmp_path: Path):
    source = gongwen(tmp_path / "e.docx", footnote=True, annex=True, doc_no="紫政办发【2018】131号",
                     attachments=("企业开办流程",))
    result = run_cli(project, "import-doc", str(source), "--id", "zzbf-2018-131")
    assert result.returncode == 0, result.stderr
    assert "注意：文号原文写作「紫政办发【2018】131号」，已按 GB/T 9704-2012 改为「紫政办发〔2018〕131号」" in result.stdout
    text = (project / "content/policies/zzbf-2018-131.md").read_text(encoding="utf-8")
    body = _body(text)
    assert "依据《优化营商环境条例》[^1]执行。" in body and "[^1]: 国务院令第722号。" in body
    assert "附件：企业开办流程" in body
    assert "## 附件1：企业开办流程" in body and "### 一、网上申报" in body
    assert "（此件公开发布）" in body


def test_wps_like_structure(tmp_path: Path):
    parsed = read_docx(wps_like(tmp_path / "wps.docx"))
    assert parsed.issuer == "紫阳县人民政府"  # from the text box, read once (not its VML fallback too)
    assert parsed.doc_no == "紫政发〔2018〕8号"
    assert parsed.title == "紫阳县人民政府关于进一步优化营商环境的意见"
    assert parsed.written.isoformat() == "2018-04-10"
    assert parsed.signer == "紫阳县人民政府"
    # Headings numbered by WPS's automatic numbering (chineseCounting) keep their numbers.
    assert "## 一、总体要求\n\n坚持问题导向。\n\n## 二、重点任务" in parsed.markdown
    assert "抄送" not in parsed.markdown and "2018年4月11日印发" not in parsed.markdown


def test_images_are_saved_beside_the_page(project: Path, tmp_path: Path):
    source = gongwen(tmp_path / "f.docx")
    document = docx.Document(str(source))
    png = _tiny_png()
    (tmp_path / "dot.png").write_bytes(png)
    anchor = next(p for p in document.paragraphs if p.text.startswith("到2018年底"))
    anchor.add_run().add_picture(str(tmp_path / "dot.png"), width=Mm(10))
    document.save(str(source))
    result = run_cli(project, "import-doc", str(source), "--id", "zzbf-2018-132")
    assert result.returncode == 0, result.stderr
    saved = list((project / "content/policies/zzbf-2018-132").iterdir())
    assert len(saved) == 1 and saved[0].read_bytes() == png
    body = (project / "content/policies/zzbf-2018-132.md").read_text(encoding="utf-8")
    assert f"![图片](zzbf-2018-132/{saved[0].name})" in body


def _tiny_png() -> bytes:
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = zlib.compress(b"\x00\xff\x00\x00")
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


# --- Import: files it cannot read --------------------------------------------------------------------


def _ole(extra: bytes = b"") -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + extra + b"\x00" * 1024


@pytest.mark.parametrize("name,content,expected", [
    ("旧文件.docx", _ole("WordDocument".encode("utf-16-le")), "是旧版 Word（.doc）或 WPS（.wps）格式"),
    ("旧文件.wps", _ole(), "是旧版 Word（.doc）或 WPS（.wps）格式"),
    ("加密.docx", _ole("EncryptionInfo".encode("utf-16-le") + "EncryptedPackage".encode("utf-16-le")),
     "设置了打开密码（已加密）"),
    ("乱码.docx", bytes(range(256)) * 20, "不是 Word 文档（.docx），或者文件已损坏"),
    ("空.docx", b"", "是空文件"),
])
def test_unreadable_files_get_chinese_messages(project: Path, tmp_path: Path, name, content, expected):
    source = tmp_path / name
    source.write_bytes(content)
    result = run_cli(project, "import-doc", str(source), "--id", "zzbf-2018-133")
    assert result.returncode == 1
    assert expected in result.stderr and "另存为" in result.stderr or "空文件" in result.stderr
    assert "Traceback" not in result.stderr and "程序内部错误" not in result.stderr
    assert not (project / "content/policies/zzbf-2018-133.md").exists()


def test_a_zip_that_is_not_a_document(project: Path, tmp_path: Path):
    source = tmp_path / "表格.docx"
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    result = run_cli(project, "import-doc", str(source), "--id", "zzbf-2018-134")
    assert result.returncode == 1 and "是 Excel 表格（.xlsx），不是 Word 文档" in result.stderr
    broken = tmp_path / "坏.docx"
    good = gongwen(tmp_path / "g.docx").read_bytes()
    broken.write_bytes(good[: len(good) // 2])
    result = run_cli(project, "import-doc", str(broken), "--id", "zzbf-2018-134")
    assert result.returncode == 1 and "Traceback" not in result.stderr and "另存为" in result.stderr


@pytest.mark.parametrize("kwargs,element", [
    (dict(doc_no=""), "没有找到发文字号（文号）"),
    (dict(date_text=""), "没有找到成文日期"),
])
def test_not_a_gongwen_names_the_missing_element(project: Path, tmp_path: Path, kwargs, element):
    source = gongwen(tmp_path / "h.docx", **kwargs)
    result = run_cli(project, "import-doc", str(source), "--id", "zzbf-2018-135")
    assert result.returncode == 1
    assert element in result.stderr and "GB/T 9704-2012" in result.stderr and "Traceback" not in result.stderr


# --- Export ---------------------------------------------------------------------------------------------


def test_round_trip_bulletin(dataset, tmp_path: Path):
    """Export a bulletin (with the 文号 its issue record would give) and import it back."""
    doc = bulletins.bulletin_document(dataset, "2018-08", doc_no="紫政督发〔2018〕6号")
    path = tmp_path / "bulletin.docx"
    path.write_bytes(dx.to_docx(doc))
    parsed = read_docx(path)
    assert parsed.title == doc.title == "2018年8月专项行动进展通报"
    assert parsed.doc_no == doc.doc_no
    assert parsed.written == doc.date
    assert parsed.issuer == parsed.signer == doc.issuer == "紫阳县人民政府督查室"
    assert parsed.recipients == doc.recipients
    exported = [b.text for b in doc.body if isinstance(b, (dx.Paragraph, dx.Heading))]
    imported = _markdown_texts(parsed.markdown)
    for text in exported:
        assert re.sub(r"\s", "", text) in imported, text
    assert any("示例" in t for t in exported)  # sample figures say so in the document too


def _markdown_texts(markdown: str) -> set[str]:
    texts = set()
    for line in markdown.splitlines():
        line = re.sub(r"^#+ ", "", line)
        line = re.sub(r"\\(.)", r"\1", line)
        texts.add(re.sub(r"\s", "", line))
    return texts


def test_exported_page_setup_and_styles(dataset, tmp_path: Path):
    path = tmp_path / "report.docx"
    path.write_bytes(dx.to_docx(yearend.yearend_document(dataset, 2018)))
    document = docx.Document(str(path))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)]
    assert margins == [37, 35, 28, 26]
    grid = section._sectPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}docGrid")
    assert grid.get(_w("type")) == "linesAndChars" and grid.get(_w("linePitch")) == "579"
    # 22 lines of 28 characters in the 156 × 225 mm type area.
    assert round(225 / (579 / 1440 * 25.4)) == 22
    char_pitch = 16 + int(grid.get(_w("charSpace"))) / 4096
    assert round(156 / 25.4 * 72 / char_pitch) == 28
    styles = document.styles

    def east_asia(style):
        return style.element.rPr.find(_w("rFonts")).get(_w("eastAsia"))
    assert east_asia(styles["Title"]) == "方正小标宋简体" and styles["Title"].font.size.pt == 22
    assert east_asia(styles["Normal"]) == "仿宋_GB2312" and styles["Normal"].font.size.pt == 16
    assert east_asia(styles["Heading 1"]) == "黑体" and east_asia(styles["Heading 2"]) == "楷体_GB2312"
    assert not styles["Heading 1"].font.bold
    fonts = zipfile.ZipFile(path).read("word/fontTable.xml").decode("utf-8")
    assert 'w:name="仿宋_GB2312"' in fonts and "仿宋,FangSong" in fonts  # fallbacks by name
    footer = section.footer.paragraphs[0]
    assert footer.text == "— 1 —" and "PAGE" in footer._p.xml
    assert section.even_page_footer.paragraphs[0].text == "— 1 —"
    texts = [p.text for p in document.paragraphs]
    assert texts[texts.index("2018年年终专项督查报告") - 4] == "紫阳县人民政府督查室"
    assert "2018年9月30日" in texts  # 成文日期 = the statistics day, Arabic numerals
    assert document.core_properties.created.date().isoformat() == "2018-09-30"


def _w(tag: str) -> str:
    return f"{{http://schemas.openxmlformats.org/wordprocessingml/2006/main}}{tag}"


def test_export_is_byte_identical():
    # At the year's end the year-end report has been issued too (after the 专项督查).
    first = documents._files(load(ROOT / "data", ROOT / "content", "2018-12-31"))
    second = documents._files(load(ROOT / "data", ROOT / "content", "2018-12-31"))
    assert first == second and set(first) >= {"bulletins/2018-08.docx", "reports/2018.docx"}
    for name in ("reports/2018.docx", "bulletins/2018-08.docx"):
        with zipfile.ZipFile(__import__("io").BytesIO(first[name])) as archive:
            names = archive.namelist()
            assert names == sorted(names)
            assert len({i.date_time for i in archive.infolist()}) == 1  # one fixed time, never the clock


# --- LibreOffice headless ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def libreoffice(tmp_path_factory, dataset):
    """One PDF conversion of an exported document and one .docx saved by LibreOffice."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (Debian libreoffice-writer-nogui) is not installed")
    folder = tmp_path_factory.mktemp("lo")
    body = tuple(dx.Paragraph(f"第{n}段。") for n in range(1, 41))
    doc = dx.OfficialDocument(issuer="紫阳县人民政府办公室", title="关于页数测试的通知", date=bulletins.date(2018, 4, 10),
                              doc_no="紫政办发〔2018〕50号", recipients="各镇人民政府", body=body, cc="县委办")
    (folder / "export.docx").write_bytes(dx.to_docx(doc))
    (folder / "in").mkdir()
    gongwen(folder / "in" / "lo.docx", table=True, doc_no="紫政办发【2018】51号", date_text="二〇一八年四月十日")
    profile = f"-env:UserInstallation=file://{folder / 'profile'}"
    for target, source in (("pdf", folder / "export.docx"), ("docx:MS Word 2007 XML", folder / "in" / "lo.docx")):
        subprocess.run([SOFFICE, profile, "--headless", "--convert-to", target, "--outdir", str(folder / "out"),
                        str(source)], check=True, capture_output=True, timeout=180)
    return folder / "out"


def test_libreoffice_opens_the_export_and_prints_the_expected_pages(libreoffice):
    pdf = (libreoffice / "export.pdf").read_bytes()
    # 4 lines of 版头, title, blank, 主送, 40 one-line paragraphs, blank lines, 署名, 日期 and the
    # 版记: about 54 lines at 22 a page → 3 pages.
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 3


def test_docx_saved_by_libreoffice_imports(libreoffice):
    saved = libreoffice / "lo.docx"
    assert b"LibreOffice" in zipfile.ZipFile(saved).read("docProps/app.xml")
    parsed = read_docx(saved)
    assert parsed.doc_no == "紫政办发〔2018〕51号" and parsed.written.isoformat() == "2018-04-10"
    assert parsed.title == "紫阳县人民政府办公室关于印发测试工作方案的通知"
    assert "| 1 | 企业开办 | 5个工作日 |" in parsed.markdown and "## 一、总体要求" in parsed.markdown


# --- The built site ------------------------------------------------------------------------------------


def test_site_links_and_lists_the_word_files(built_site: Path):
    page = (built_site / "bulletins/2018-08/index.html").read_text(encoding="utf-8")
    assert 'href="../2018-08.docx"' in page and "下载（Word）" in page
    manifest = json.loads((built_site / "opendata/manifest.json").read_text(encoding="utf-8"))
    listed = {e["path"]: e for e in manifest["documents"]}
    assert "../bulletins/2018-08.docx" in listed
    # Only issued documents: no year-end report before the year's 专项督查, no bulletin
    # without its issue record.
    assert "../reports/2018.docx" not in listed and "../bulletins/2018-09.docx" not in listed
    for path, entry in listed.items():
        content = (built_site / "opendata" / path).read_bytes()
        assert entry["sha256"] == hashlib.sha256(content).hexdigest() and entry["bytes"] == len(content)
        assert entry["format"] == "docx"


def test_document_mapping_takes_issue_records(dataset):
    """Office, 期号 and date come from the bulletin's issue record (data/bulletins/)."""
    record = next(b for b in dataset.bulletins if b.month == "2018-06")
    default = bulletins.bulletin_document(dataset, "2018-06")
    assert (default.issue_no, default.date) == (record.number, record.issued)
    assert default.issuer == dataset.units[record.office].name
    assert default.note.startswith("示例")  # the bundled issue records are sample data
    numbered = bulletins.bulletin_document(dataset, "2018-06", doc_no="紫政督发〔2018〕3号")
    assert numbered.doc_no == "紫政督发〔2018〕3号" and numbered.issue_no == ""
    with pytest.raises(KeyError):
        bulletins.bulletin_document(dataset, "2018-09")  # not issued


def test_shared_parts_compressed_once_give_the_bytes_zipfile_gives(dataset):
    # to_docx reuses the skeleton's compressed parts; rewriting the archive compresses every
    # part afresh: the bytes must not change.
    doc = yearend.yearend_document(dataset, 2018)
    exported = dx.to_docx(doc)
    assert dx.normalise_zip(exported, doc.date) == exported
