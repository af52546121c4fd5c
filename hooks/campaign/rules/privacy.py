"""Personal-data guard for every published text (PORTAL-RULES 15).

Inspections flag published lists that show ID numbers or phone numbers, so a published text
holding an 18-digit resident ID number (GB 11643-1999, checksum valid), a mainland mobile
number (1[3-9] + 9 digits) or a bank card number (16-19 digits, Luhn valid) stops the build.
Only a case can let one of its fields through, by listing it in `allow_personal_data` (cases
are where a named enterprise's contact may have to be published); every other record and
page has no switch: the text is rewritten.

Before matching, full-width digits and separators (１３９－１２３４…) are read as their
ASCII forms, one character for one so positions stay; an ID may be written in groups
(110105 1949 1231 002X) and a mobile number with a +86/86 prefix and - . or space between
its groups. rules/proofreading.py runs this guard over every published text (texts.py).

Checksums keep false alarms down: a date, a 文号 or a random long number rarely passes them.
Numbers are matched only as whole digit runs, so a mobile-like run inside a longer number is
not reported twice. Reports mask the number, so CI logs do not repeat it in full.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

# Full-width digits, letters X/x and separators read as ASCII (same length: offsets hold).
_NORMALISE = str.maketrans("０１２３４５６７８９Ｘｘ－．＋\u3000\u2014\u2013",
                           "0123456789Xx-.+ --")
# Whole, or in the 6-8-4 / 6-4-4-4 groups people write: 110105 1949 1231 002X.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6}[ .-]?\d{4}[ .-]?\d{4}[ .-]?\d{3}[0-9Xx])(?![0-9A-Za-z])")
# Also written 139-1234-5678, 139 1234 5678, 139.1234.5678, +86 139…, 86-139….
_MOBILE = re.compile(r"(?<![\d+])((?:\+?86[ .-]?)?1[3-9]\d(?:\d{8}|[ .-]\d{4}[ .-]\d{4}|[ .-]\d{8}))(?!\d)")
# Card numbers are often written in groups of four: "6222 0212 3456 7890 123".
_CARD = re.compile(r"(?<![\d-])(\d{16,19}|\d{4}(?:[ -]\d{4}){3}(?:[ -]\d{1,3})?)(?![\d])")
_SEPARATORS = re.compile(r"[ .-]")

KIND_NAMES = {"id": "身份证号", "mobile": "手机号", "card": "银行卡号"}


@dataclass(frozen=True)
class Finding:
    kind: str  # id | mobile | card
    text: str  # the number as written

    @property
    def name(self) -> str:
        return KIND_NAMES[self.kind]

    @property
    def masked(self) -> str:
        digits = self.text
        if len(digits) <= 7:
            return "*" * len(digits)
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def id_checksum_ok(number: str) -> bool:
    """GB 11643-1999 check digit (ISO 7064 MOD 11-2) of an 18-character ID number."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == number[17].upper()


def luhn_ok(digits: str) -> bool:
    """The Luhn check that bank card numbers carry."""
    if not digits.isdigit():
        return False
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def find_personal_data(text: str) -> list[Finding]:
    """Every ID number, mobile number and card number in text, in order of appearance."""
    return [finding for _, finding in find_personal_data_at(text)]


def normalise(text: str) -> str:
    """Full-width digits and separators as ASCII, character for character."""
    return text.translate(_NORMALISE)


def find_personal_data_at(text: str) -> list[tuple[int, Finding]]:
    """(offset, finding) for each number, in order of appearance."""
    text = normalise(text)
    found: list[tuple[int, Finding]] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    for match in _ID_NUMBER.finditer(text):
        number = _SEPARATORS.sub("", match.group(1))
        if id_checksum_ok(number):
            found.append((match.start(), Finding("id", number)))
            taken.append(match.span())
    for match in _CARD.finditer(text):
        digits = re.sub(r"[ -]", "", match.group(1))
        if 16 <= len(digits) <= 19 and luhn_ok(digits) and free(*match.span()):
            found.append((match.start(), Finding("card", digits)))
            taken.append(match.span())
    for match in _MOBILE.finditer(text):
        if free(*match.span(1)):
            digits = _SEPARATORS.sub("", match.group(1)).lstrip("+")
            if len(digits) == 13:  # the 86 country prefix is not part of the number
                digits = digits[2:]
            found.append((match.start(1), Finding("mobile", digits)))
            taken.append(match.span(1))
    return sorted(found, key=lambda item: item[0])


def message(findings: list[Finding], case: bool = True) -> str:
    """The editor-facing Chinese explanation for the findings of one field.

    Only cases can let a field through (allow_personal_data); other texts must be rewritten."""
    listed = "、".join(f"{f.name}「{f.masked}」" for f in findings)
    if not case:
        return (f"含有个人信息：{listed}。公开的文字不得出现身份证号、手机号、银行卡号，"
                "请删除或改写（如“张某”“138****1234”）。")
    return (f"含有个人信息：{listed}。公开的案例不得出现身份证号、手机号、银行卡号，"
            "请删除或改写（如“张某”“138****1234”）。确需公开时，把这个字段名写进 allow_personal_data。")
