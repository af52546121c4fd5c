"""文号 (document numbers) in the form GB/T 9704-2012 prescribes: 紫政办发〔2018〕25号.

The year sits in hexagonal brackets 〔〕 (U+3014/U+3015), the serial has no leading zeros
and no 第. Editors copy numbers from older documents and from the plan itself, which writes
紫政办发【2018】25号; such a number is REJECTED (not silently normalised) with the corrected
form in the message, so that the stored data and the portal's other pages agree.
"""
from __future__ import annotations

import re

DOC_NO = re.compile(r"^(?P<org>[\u4e00-\u9fa5A-Za-z]+)〔(?P<year>\d{4})〕(?P<serial>[1-9]\d*)号$")

# Brackets editors use in place of 〔〕: 【】 [] ［］ () （） ﹝﹞ 〈〉 《》 {} and the look-alike 〔 〕.
_LOOSE = re.compile(
    r"^(?P<org>[\u4e00-\u9fa5A-Za-z]+)\s*[〔【\[［(（﹝〈《{]\s*(?P<year>\d{4})\s*[〕】\]］)）﹞〉》}]"
    r"\s*第?\s*(?P<serial>\d+)\s*号$"
)


def corrected_doc_no(text: str) -> str | None:
    """The GB/T 9704 form of a 文号 written with other brackets, 第 or leading zeros
    (紫政办发【2018】第025号 → 紫政办发〔2018〕25号); None when text is no 文号 at all.
    For importing documents, which say what they changed; data files are still rejected."""
    loose = _LOOSE.match(re.sub(r"\s+", "", text))
    if loose is None or int(loose["serial"]) == 0:
        return None
    return f"{loose['org']}〔{loose['year']}〕{int(loose['serial'])}号"


def doc_no_problem(text: str) -> str | None:
    """None when text is a GB/T 9704 文号; otherwise a Chinese message with the right form."""
    value = text.strip()
    if DOC_NO.match(value):
        return None
    loose = _LOOSE.match(value)
    if loose is None:
        return (f"文号「{value}」格式不对。按 GB/T 9704-2012 应写成 机关代字〔年份〕序号号，"
                "如 紫政办发〔2018〕25号（年份用六角括号〔〕，序号不编虚位、不加“第”）。")
    serial = int(loose["serial"])
    corrected = f"{loose['org']}〔{loose['year']}〕{serial}号"
    if serial == 0:
        return f"文号「{value}」的序号不能是 0。"
    reasons = []
    if "〔" not in value or "〕" not in value:
        reasons.append("年份应使用六角括号〔〕（不用【】、[]、（）等）")
    if "第" in value:
        reasons.append("序号前不加“第”")
    if re.search(r"[〕】\]］)）﹞〉》}]\s*第?\s*0\d", value):
        reasons.append("序号不编虚位（不写前导 0）")
    if re.search(r"\s", value):
        reasons.append("文号中不留空格")
    why = "；".join(reasons) or "写法不符合 GB/T 9704-2012"
    return f"文号「{value}」不符合 GB/T 9704-2012：{why}。应写成「{corrected}」。"
