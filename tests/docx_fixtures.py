"""Small 公文 .docx files for the import tests, written with python-docx (and raw XML where
python-docx has no API: footnotes, automatic numbering, WPS's text boxes and tables)."""
from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

BODY = [
    ("一、总体要求", None),
    ("以习近平新时代中国特色社会主义思想为指导，全面优化提升营商环境。", None),
    ("（一）工作目标", None),
    ("到2018年底，企业开办时间压缩至5个工作日以内。", None),
    ("1. 精简审批环节。取消没有法律依据的前置条件。", None),
    ("2. 推行网上办理。实现“一网通办”。", None),
    ("（1）窗口服务", None),
    ("二、保障措施", None),
]


def gongwen(path: Path, *, doc_no="紫政办发〔2018〕30号", date_text="2018年4月10日", title="紫阳县人民政府办公室关于印发测试工作方案的通知",
            issuer="紫阳县人民政府办公室", body=BODY, table=False, footnote=False, attachments=(), bold=False,
            annex=False, signer="紫阳县人民政府办公室", cc=True, title_lines=1) -> Path:
    d = docx.Document()
    centre = WD_ALIGN_PARAGRAPH.CENTER
    d.add_paragraph(issuer + "文件").alignment = centre
    d.add_paragraph("")
    if doc_no:
        d.add_paragraph(doc_no).alignment = centre
    d.add_paragraph("")
    if title:
        if title_lines == 2:
            d.add_paragraph(title[:12]).alignment = centre
            d.add_paragraph(title[12:]).alignment = centre
        else:
            d.add_paragraph(title).alignment = centre
    d.add_paragraph("")
    d.add_paragraph("各镇人民政府，县政府各工作部门、各直属机构：")
    for text, _ in body:
        d.add_paragraph(text)
    if bold:
        p = d.add_paragraph("各单位要")
        p.add_run("高度重视").bold = True
        p.add_run("，")
        p.add_run("认真落实").italic = True
        p.add_run("。")
    if table:
        t = d.add_table(rows=3, cols=3)
        for r, row in enumerate([("序号", "事项", "时限"), ("1", "企业开办", "5个工作日"), ("2", "不动产登记", "10个工作日")]):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
    if footnote:
        p = d.add_paragraph("依据《优化营商环境条例》")
        _add_footnote(d, p, "国务院令第722号。")
        p.add_run("执行。")
    if attachments:
        d.add_paragraph("")
        d.add_paragraph(f"附件：1．{attachments[0]}")
        for n, name in enumerate(attachments[1:], 2):
            d.add_paragraph(f"　　　{n}．{name}")
    d.add_paragraph("")
    if signer:
        d.add_paragraph(signer).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if date_text:
        d.add_paragraph(date_text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    d.add_paragraph("（此件公开发布）")
    if annex:
        d.add_paragraph("附件1")
        d.add_paragraph("企业开办流程").alignment = centre
        d.add_paragraph("一、网上申报")
    if cc:
        d.add_paragraph("抄送：县委办，县人大办，县政协办。")
        d.add_paragraph("紫阳县人民政府办公室　　　　2018年4月10日印发")
    d.save(path)
    return path


def _add_footnote(d, paragraph, text: str) -> None:
    """A footnote part with one note, referenced from paragraph (python-docx has no API)."""
    xml = (f'<w:footnotes {nsdecls("w")}>'
           '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
           '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
           f'<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote>'
           '</w:footnotes>')
    part = Part(PackURI("/word/footnotes.xml"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
                xml.encode("utf-8"), d.part.package)
    d.part.relate_to(part, RT.FOOTNOTES)
    run = paragraph.add_run()
    run._r.append(parse_xml(f'<w:footnoteReference {nsdecls("w")} w:id="1"/>'))


def wps_like(path: Path) -> Path:
    """What WPS writes: the 发文机关标志 in a text box (with a VML fallback that repeats it),
    the 文号 and 签发人 on one line, runs split character by character with eastAsia hints,
    a 文号 with 【】, a 成文日期 in Chinese numerals typed after spaces, headings numbered
    automatically (chineseCounting), and the 版记 in a table."""
    d = docx.Document()
    body = d.element.body
    box = (f'<w:p {nsdecls("w")} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
           'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
           'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
           'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
           '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData>'
           '<wps:wsp><wps:txbx><w:txbxContent><w:p><w:pPr><w:jc w:val="center"/></w:pPr>'
           '<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t>紫阳县人民政府</w:t></w:r>'
           '<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t>文件</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp>'
           '</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
           '<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>紫阳县人民政府文件</w:t></w:r></w:p>'
           '</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>')
    body.insert(0, parse_xml(box))

    def chars(text, align=None, style=None):
        p = d.add_paragraph(style=style)
        if align:
            p.alignment = align
        for ch in text:
            r = p.add_run(ch)
            r._r.get_or_add_rPr().append(parse_xml(f'<w:rFonts {nsdecls("w")} w:hint="eastAsia"/>'))
        return p

    chars("")
    chars("紫政发【2018】第08号　　　　签发人：罗云忠", WD_ALIGN_PARAGRAPH.CENTER)
    chars("")
    chars("紫阳县人民政府", WD_ALIGN_PARAGRAPH.CENTER)
    chars("关于进一步优化营商环境的意见", WD_ALIGN_PARAGRAPH.CENTER)
    chars("")
    chars("各镇人民政府，县政府各工作部门：")
    numbering = d.part.numbering_part.element
    numbering.append(parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for heading, text in (("总体要求", "坚持问题导向。"), ("重点任务", "压减审批时限。")):
        p = chars(heading)
        p._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="90"/></w:numPr>'))
        chars(text)
    chars("")
    chars("紫阳县人民政府", WD_ALIGN_PARAGRAPH.RIGHT)
    chars("　　　　二〇一八年四月十日", WD_ALIGN_PARAGRAPH.RIGHT)
    t = d.add_table(rows=2, cols=1)
    t.cell(0, 0).text = "抄送：县委各部门。"
    t.cell(1, 0).text = "紫阳县人民政府办公室　　2018年4月11日印发"
    d.save(path)
    return path
