"""文字把关: one proofreading pass over every published text (records/texts.py).

In the State Council's 政府网站与政务新媒体检查指标 a 严重表述错误 vetoes the whole site, so
the serious rules are errors (the build fails); style rules are warnings (--strict fails).

Serious (error):
- term: a known wrong form of a fixed expression (proofreading_terms.txt, data: one term a
  line with its wrong forms, extensible by the county without code);
- leader_name: a name one character away from a leader in data/leadership.yml, next to
  that leader's title ("常务副县长罗云中");
- leader_title: a leader's name next to a title that is not the record's ("副县长罗云忠");
- unit_name: a name one character away from a unit's full name in data/units.yml;
- traditional: traditional characters in simplified text (OpenCC's t2s tables).

Style (warning):
- punctuation: half-width , ; : ? ! between Chinese characters;
- pairing: 《》“”（）【】 not paired (the 【待填写】 draft mark is placeholders.py's);
- repeat: a doubled function word (的的) or a doubled word (进行进行), less legitimate
  reduplications (常常, 看看, 人人 …);
- unit_alias: a unit called by a name that is neither its full name nor its short name
  (nor their plain 县/县政府 forms);
- date_form: 2018.4.10, 2018/4/10 or 2018年4月10号 in Chinese text (GB/T 15835-2011,
  GB/T 9704-2012: 2018年4月10日).

All the fixed strings (wrong term forms, leader titles and names, halves of unit names,
accepted unit names) sit in ONE Aho–Corasick automaton built once per dataset, so the pass
is one scan of each text whatever the length of the lists. A reviewed exception is written
next to the text (`proofread_allow` in the record or the page's front matter), never by
switching a rule off.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

import ahocorasick

from campaign.records.filecache import MISSING, settings_key
from campaign.records.placeholders import MARK
from campaign.records.problems import Problem, Problems
from campaign.records.texts import Text, blank_markdown, published_texts
from campaign.rules.privacy import find_personal_data_at, message as privacy_message

TERMS_FILE = Path(__file__).resolve().parent / "proofreading_terms.txt"

ERROR = "error"
WARNING = "warning"

RULE_NAMES = {
    "term": "规范表述", "leader_name": "领导姓名", "leader_title": "领导职务", "unit_name": "单位名称",
    "traditional": "繁体字", "punctuation": "半角标点", "pairing": "符号不成对", "repeat": "重复字词",
    "unit_alias": "单位称谓", "date_form": "日期写法",
}

# Titles a leader can be named with in county texts; the leadership records add theirs.
COUNTY_TITLES = ("县委书记", "县委副书记", "县长", "常务副县长", "副县长", "县委常委")

_CJK = r"\u4e00-\u9fff"


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


@dataclass(frozen=True)
class Finding:
    file: str
    line: int
    field: str
    wrong: str
    correct: str
    rule: str
    severity: str
    message: str

    def problem(self) -> Problem:
        return Problem(self.file, self.line, self.field, self.message)


# --- The term list ---------------------------------------------------------------------------

@lru_cache(maxsize=4)
def load_terms(path: Path = TERMS_FILE) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(correct, wrong forms) per line of the term list."""
    terms = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "|" not in line:
            continue
        correct, _, wrongs = line.partition("|")
        forms = tuple(w.strip() for w in re.split(r"[,，、]", wrongs) if w.strip())
        if correct.strip() and forms:
            terms.append((correct.strip(), forms))
    return tuple(terms)


# --- The automaton -----------------------------------------------------------------------------

@dataclass
class _Index:
    automaton: ahocorasick.Automaton
    leaders: dict[str, str]             # name -> title
    leaders_by_title: dict[str, list[str]]
    name_lengths: tuple[int, ...]
    unit_names: dict[str, tuple[str, str]]   # accepted name -> (full, short)
    official: dict[str, str]                 # full name -> short
    names_by_core: dict[str, tuple[str, ...]]  # accepted names by the first character after 县/县政府 …


def _accepted_unit_names(unit) -> set[str]:
    full, short = unit.name, unit.short
    names = {full, short}
    for county, plain in (("紫阳县人民政府", "县政府"), ("紫阳县人民政府", "县人民政府"), ("中共紫阳县委", "县委"),
                          ("紫阳县", "县")):
        if full.startswith(county):
            names.add(plain + full[len(county):])
    if "人民政府" in full and short.startswith("县") and not short.startswith("县政府"):
        names.add("县政府" + short[1:])   # 县法制办 → 县政府法制办, as the plan writes it
    return names


def build_index(dataset) -> _Index:
    automaton = ahocorasick.Automaton()
    entries: dict[str, list[tuple]] = {}

    def add(key: str, payload: tuple) -> None:
        entries.setdefault(key, []).append(payload)

    for correct, forms in load_terms():
        for wrong in forms:
            add(wrong, ("term", correct))
    people = [dataset.leadership.leader, *dataset.leadership.deputies]
    leaders = {p.name: p.title for p in people}
    by_title: dict[str, list[str]] = {}
    for person in people:
        by_title.setdefault(person.title, []).append(person.name)
    for title in set(COUNTY_TITLES) | set(leaders.values()):
        add(title, ("title", title))
    for name in leaders:
        add(name, ("leader", name))
    unit_names: dict[str, tuple[str, str]] = {}
    official: dict[str, str] = {}
    for unit in dataset.unit_list:
        official[unit.name] = unit.short
        for name in _accepted_unit_names(unit):
            unit_names[name] = (unit.name, unit.short)
            add(name, ("unit_ok", name))
        if len(unit.name) >= 6:
            half = len(unit.name) // 2
            add(unit.name[:half], ("unit_half", unit.name, 0))
            add(unit.name[half:], ("unit_half", unit.name, half))
    for key, payloads in entries.items():
        automaton.add_word(key, (key, tuple(payloads)))
    automaton.make_automaton()
    ending: dict[str, list[str]] = {}
    for name in sorted(unit_names):
        ending.setdefault(_core(name)[:1], []).append(name)
    return _Index(automaton, leaders, by_title, tuple(sorted({len(n) for n in leaders}, reverse=True)),
                  unit_names, official, {k: tuple(v) for k, v in ending.items()})


def _index(dataset) -> _Index:
    return dataset.once(("proofreading", "index"), lambda: build_index(dataset))


# --- One text ----------------------------------------------------------------------------------

def _differs_by_one(a: str, b: str) -> int:
    """Index of the single differing character, or -1."""
    if len(a) != len(b):
        return -1
    at = -1
    for index, (x, y) in enumerate(zip(a, b)):
        if x != y:
            if at != -1:
                return -1
            at = index
    return at


class _Pass:
    def __init__(self, index: _Index):
        self.index = index
        self.converter = _converter()

    @staticmethod
    def prepare(item: Text) -> str:
        """The text the rules read: code, URLs and tags blanked, same length and lines."""
        raw = item.text
        return raw if item.blanked else blank_markdown(raw) if item.verbatim else _blank_fields(raw)

    def simplified(self, texts: list[str]) -> list[str | None]:
        """t2s of every text in one call to OpenCC (None where nothing changes)."""
        joined = "\n".join(texts)
        converted = self.converter(joined)
        if converted == joined:
            return [None] * len(texts)
        if len(converted) != len(joined):
            return [self.converter(t) for t in texts]
        out, at = [], 0
        for text in texts:
            part = converted[at:at + len(text)]
            out.append(None if part == text else part)
            at += len(text) + 1
        return out

    def run(self, item: Text, text: str | None = None, simplified: str | None = "") -> Iterator[tuple]:
        """(offset, wrong, correct, rule, severity) for each finding in one text."""
        if text is None:
            text = self.prepare(item)
        yield from self._automaton_rules(text)
        if simplified == "":
            simplified = None if text.isascii() else self.converter(text)
        if simplified is not None and simplified != text:
            yield from self._traditional(text, simplified)
        yield from _punctuation(text)
        yield from _pairing(text, item.verbatim)
        yield from _repeats(text)
        yield from _dates(text)

    # serious rules and the unit alias rule, from one scan
    def _automaton_rules(self, text: str) -> Iterator[tuple]:
        ix = self.index
        titles_ending: dict[int, str] = {}
        titles_starting: dict[int, str] = {}
        leader_hits: list[tuple[int, str]] = []
        unit_ok_spans: list[tuple[int, int]] = []
        halves: list[tuple[int, str, int, str]] = []
        for end, (key, payloads) in ix.automaton.iter(text):
            start = end - len(key) + 1
            for payload in payloads:
                kind = payload[0]
                if kind == "term":
                    yield start, key, payload[1], "term", ERROR
                elif kind == "title":
                    if len(key) > len(titles_ending.get(end, "")):
                        titles_ending[end] = key
                    if len(key) > len(titles_starting.get(start, "")):
                        titles_starting[start] = key
                elif kind == "leader":
                    leader_hits.append((start, key))
                elif kind == "unit_ok":
                    unit_ok_spans.append((start, end + 1))
                elif kind == "unit_half":
                    halves.append((start, payload[1], payload[2], key))
        if titles_ending or leader_hits:
            yield from self._leaders(text, titles_ending, titles_starting, leader_hits)
        misspelt = list(self._unit_names(text, halves, unit_ok_spans)) if halves else []
        yield from misspelt
        if "县" in text:
            # A misspelt full name is reported once, as the serious finding.
            yield from self._unit_aliases(text, unit_ok_spans, [(at, at + len(wrong)) for at, wrong, *_ in misspelt])

    def _leaders(self, text, titles_ending, titles_starting, leader_hits) -> Iterator[tuple]:
        ix = self.index
        for start, name in leader_hits:
            before = titles_ending.get(start - 1)
            after = titles_starting.get(start + len(name))
            record = ix.leaders[name]
            for title, at, wrong in ((before, start - len(before or ""), f"{before}{name}"),
                                     (after, start, f"{name}{after}")):
                if title and title != record:
                    correct = f"{record}{name}" if wrong.startswith(title) else f"{name}{record}"
                    yield at, wrong, correct, "leader_title", ERROR
        # A name one character away from a leader's, right after or before the same title.
        for end, title in titles_ending.items():
            # The leaders holding this title; under another county title (县长罗云中) any leader.
            names = ix.leaders_by_title.get(title) or list(ix.leaders)
            for length in ix.name_lengths:
                after = text[end + 1:end + 1 + length]
                before_start = end - len(title) + 1 - length
                before = text[before_start:end - len(title) + 1] if before_start >= 0 else ""
                for candidate, at in ((after, end + 1), (before, before_start)):
                    if len(candidate) != length or candidate in ix.leaders or not _all_cjk(candidate):
                        continue
                    for name in names:
                        if len(name) == length and _differs_by_one(candidate, name) >= 0:
                            yield at, candidate, name, "leader_name", ERROR
                            break

    def _unit_names(self, text, halves, ok_spans) -> Iterator[tuple]:
        ix = self.index
        seen: set[int] = set()
        for start, full, offset, _ in halves:
            at = start - offset
            if at < 0 or at in seen:
                continue
            window = text[at:at + len(full)]
            if window == full or window in ix.unit_names or len(window) != len(full):
                continue
            diff = _differs_by_one(window, full)
            if diff < 0 or not _is_cjk(window[diff]):
                continue
            if any(a <= at and at + len(full) <= b for a, b in ok_spans):
                continue
            seen.add(at)
            yield at, window, full, "unit_name", ERROR

    def _unit_aliases(self, text, ok_spans, misspelt_spans) -> Iterator[tuple]:
        ix = self.index
        for match in _UNIT_TOKEN.finditer(text):
            token = match.group(0)
            start, end = match.span()
            if token in ix.unit_names:
                continue
            if any(a <= start and end <= b for a, b in ok_spans):
                continue  # part of an accepted name (县编委 in 县编委办)
            if any(start < b and a < end for a, b in misspelt_spans):
                continue
            best = _closest_unit(token, ix.names_by_core.get(_core(token)[:1], ()))
            if best is None:
                continue
            full, short = ix.unit_names[best]
            yield start, token, f"{full}」或简称「{short}", "unit_alias", WARNING

    def _traditional(self, text: str, converted: str) -> Iterator[tuple]:
        if len(converted) != len(text):  # phrase conversions of another length: compare by character
            converted = "".join(self.converter(ch) if len(self.converter(ch)) == 1 else ch for ch in text)
        index = 0
        while index < len(text):
            if text[index] != converted[index]:
                end = index
                while end < len(text) and text[end] != converted[end]:
                    end += 1
                yield index, text[index:end], converted[index:end], "traditional", ERROR
                index = end
            else:
                index += 1


_COUNTY_PREFIX = re.compile("^(?:中共紫阳县委|紫阳县人民政府|紫阳县|县人民政府|县政府|县委|县)")


def _core(name: str) -> str:
    """A unit name without the county prefix: 县发改局 → 发改局."""
    return _COUNTY_PREFIX.sub("", name, count=1)


def _all_cjk(text: str) -> bool:
    return all("\u4e00" <= ch <= "\u9fff" for ch in text)


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s.json").convert


@lru_cache(maxsize=4096)
def _closest_unit(token: str, names: tuple[str, ...]) -> str | None:
    import difflib

    matches = difflib.get_close_matches(token, names, n=1, cutoff=0.75)
    return matches[0] if matches else None


_UNIT_TOKEN = re.compile(f"(?:中共紫阳县委|紫阳县人民政府|紫阳县|县人民政府|县政府|县委|县)[{_CJK}]{{1,10}}?"
                         f"(?:办公室|委员会|中心|局|办|室|部|委)")
_FIELD_BLANKS = re.compile(r"(?:https?|ftp)://[^\s，。；）]+|`[^`\n]*`")


def _blank_fields(text: str) -> str:
    if "://" not in text and "`" not in text:
        return text
    return _FIELD_BLANKS.sub(lambda m: " " * len(m.group(0)), text)


# --- Style rules by regular expression (each one linear in the text) ----------------------

_HALF_PUNCT = re.compile(f"(?<=[{_CJK}”》）])([,;:?!])(?=[ \\t]*[{_CJK}“《（])")
_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}


def _punctuation(text: str) -> Iterator[tuple]:
    for match in _HALF_PUNCT.finditer(text):
        mark = match.group(1)
        end = match.end()
        while text[end] in " \t":
            end += 1
        context = text[match.start() - 1:end + 1]
        yield match.start() - 1, context, text[match.start() - 1] + _FULL[mark] + text[end], "punctuation", WARNING


_PAIRS = {"《": "》", "“": "”", "（": "）", "【": "】"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}
# "1）" "二）" at the start of an item is a numbering, not a closing bracket.
_NUMBERING = re.compile(f"(?:^[ \\t]*|(?<=[：；。]))[0-9一二三四五六七八九十]{{1,3}}）", re.M)
_PARAGRAPH = re.compile(r"\n[ \t]*\n")
_BRACKETS = re.compile("[《》“”（）【】]")


def _pairing(text: str, verbatim: bool) -> Iterator[tuple]:
    if not _BRACKETS.search(text):
        return
    if MARK in text:
        text = text.replace(MARK, " " * len(MARK))
    if "）" in text:
        text = _NUMBERING.sub(lambda m: " " * len(m.group(0)), text)
    bounds = [0] + [m.end() for m in _PARAGRAPH.finditer(text)] + [len(text)] if verbatim else [0, len(text)]
    for a, b in zip(bounds, bounds[1:]):
        stacks: dict[str, list[int]] = {k: [] for k in _PAIRS}
        for match in _BRACKETS.finditer(text, a, b):
            index = match.start()
            ch = match.group(0)
            if ch in _PAIRS:
                stacks[ch].append(index)
            elif ch in _CLOSERS:
                if stacks[_CLOSERS[ch]]:
                    stacks[_CLOSERS[ch]].pop()
                else:
                    yield index, ch, f"{_CLOSERS[ch]}…{ch}", "pairing", WARNING
        for opener, positions in stacks.items():
            for index in positions:
                yield index, opener, f"{opener}…{_PAIRS[opener]}", "pairing", WARNING


# Function characters that do not double in standard writing (的的 is a typo; 常常 is not,
# and 工作作风 doubles 作 across two words, so only these are checked one by one).
_DOUBLED_CHAR = re.compile("([的了是在和与及被并也都向于其之])\\1")
# Where the doubled character is the end of one word and the start of the next.
_DOUBLED_CHAR_OK = ("的的确", "不了了之", "了了解", "是是非非", "是是否", "及及时")
_DOUBLED_WORD = re.compile(f"([{_CJK}]{{2,4}})\\1")
REDUPLICATIONS = frozenset("""
常常 看看 人人 天天 年年 时时 个个 处处 事事 家家 户户 层层 步步 点点 一一 渐渐 往往 刚刚 纷纷 仅仅
稍稍 默默 久久 多多 好好 慢慢 条条 件件 项项 级级 次次 代代 紧紧 牢牢 深深 高高 大大 小小 轻轻 悄悄
统统 通通 谢谢 试试 想想 说说 谈谈 查查 问问 等等 恰恰 偏偏 频频 屡屡 连连 节节 日日 月月 周周 村村
组组 镇镇 样样 桩桩 句句 字字 方方面面 认认真真 扎扎实实 实实在在 明明白白 清清楚楚 干干净净 踏踏实实
真真正正 勤勤恳恳 兢兢业业 轰轰烈烈 大大小小 上上下下 时时处处 研究研究 讨论讨论 一个一个 一步一步
一件一件 一项一项 一条一条 一家一家 一户一户
""".split())


def _repeats(text: str) -> Iterator[tuple]:
    for match in _DOUBLED_CHAR.finditer(text):
        start = match.start()
        around = text[max(0, start - 1):start + 4]
        if any(ok in around for ok in _DOUBLED_CHAR_OK):
            continue
        yield start, match.group(0), match.group(1), "repeat", WARNING
    for match in _DOUBLED_WORD.finditer(text):
        word = match.group(1)
        whole = match.group(0)
        if whole in REDUPLICATIONS or len(set(word)) == 1:
            continue
        # AABB forms (认认真真) are listed above; here ABAB of one word.
        yield match.start(), whole, word, "repeat", WARNING


_DOTTED_DATE = re.compile(r"(?<![\d./-])((?:19|20)\d{2})([./-])(\d{1,2})\2(\d{1,2})(?![\d./-])")
# GB/T 15835: the year is written in full (2018年, not 18年).
_SHORT_YEAR = re.compile(r"(?<![\d０-９.／/-])(\d{2})年(\d{1,2})月")
_DATE_HINT = re.compile(r"\d[./-]\d")
_HAO_DATE = re.compile(r"((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})号")


def _dates(text: str) -> Iterator[tuple]:
    if _DATE_HINT.search(text):
        for match in _DOTTED_DATE.finditer(text):
            year, separator, month, day = match.groups()
            if separator == "-" and len(month) == 2 and len(day) == 2:
                continue  # 2018-04-10 is the full ISO form GB/T 15835 accepts
            if 1 <= int(month) <= 12 and 1 <= int(day) <= 31 and max(text) >= "\u4e00":
                yield match.start(), match.group(0), f"{year}年{int(month)}月{int(day)}日", "date_form", WARNING
    if "年" in text:
        for match in _SHORT_YEAR.finditer(text):
            year, month = match.groups()
            if 1 <= int(month) <= 12:
                yield match.start(), f"{year}年", f"20{year}年", "date_form", WARNING
    if "号" in text:
        for match in _HAO_DATE.finditer(text):
            year, month, day = match.groups()
            yield match.start(), match.group(0), f"{year}年{month}月{day}日", "date_form", WARNING


# --- The pass ------------------------------------------------------------------------------------

# How each rule words its finding; {wrong}, {correct} and the rule's {name} are filled in.
_MESSAGES = {
    "pairing": "「{wrong}」没有配对，应成对使用「{correct}」（{name}）",
    "repeat": "「{wrong}」字词重复，应为「{correct}」（{name}）",
    "traditional": "「{wrong}」是繁体字，应为「{correct}」（{name}）；人名等确需保留的，写进 proofread_allow",
    "unit_alias": "「{wrong}」不是单位的规范名称，应为「{correct}」（{name}）",
    "leader_title": "「{wrong}」与领导小组名单不符，应为「{correct}」（{name}，见 data/leadership.yml）",
    "leader_name": "「{wrong}」应为「{correct}」（{name}，见 data/leadership.yml）",
    "unit_name": "「{wrong}」应为「{correct}」（{name}，见 data/units.yml）",
    "punctuation": "「{wrong}」中文句子里用了半角标点，应为「{correct}」（{name}）",
    "date_form": "「{wrong}」应写作「{correct}」（{name}，GB/T 15835、GB/T 9704）",
}
_DEFAULT_MESSAGE = "「{wrong}」应为「{correct}」（{name}）"


def _message(wrong: str, correct: str, rule: str) -> str:
    return _MESSAGES.get(rule, _DEFAULT_MESSAGE).format(wrong=wrong, correct=correct, name=RULE_NAMES[rule])


# Texts prepared and converted together (one OpenCC call a batch): large enough for the call
# to pay, small enough that a province's texts are not all copied twice at once (the pass
# once held four copies of every text: hundreds of MB at ×100).
BATCH_CHARS = 2_000_000


def proofread(dataset, content_dir: Path, texts: Iterable[Text] | None = None,
              batch_chars: int = BATCH_CHARS) -> list[Finding]:
    """Every finding of the pass, in file and line order."""
    runner = _Pass(_index(dataset))
    findings: list[Finding] = []
    for items in _batches(published_texts(dataset, content_dir) if texts is None else texts, batch_chars):
        prepared = [runner.prepare(item) for item in items]
        simplified = runner.simplified(prepared)
        for item, text, simple in zip(items, prepared, simplified):
            for offset, wrong, correct, rule, severity in runner.run(item, text, simple):
                if item.allows(offset, offset + len(wrong)):
                    continue
                findings.append(Finding(item.file, item.line_at(offset, wrong), item.label, wrong, correct, rule,
                                        severity, _message(wrong, correct, rule)))
    return sorted(set(findings), key=lambda f: (f.file, f.line, f.field, f.message))


def _batches(texts: Iterable[Text], batch_chars: int) -> Iterator[list[Text]]:
    batch, size = [], 0
    for item in texts:
        batch.append(item)
        size += len(item.text)
        if size >= batch_chars:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


_DIGITS = re.compile("[0-9０-９]{3}")


def personal_data(dataset, content_dir: Path, texts: Iterable[Text] | None = None) -> list[Problem]:
    """The personal-data guard over every published text (cases keep their own earlier check)."""
    from campaign.rules.publicity_checks import CASE_TEXT_FIELDS

    case_fields = {".".join(p) for p in CASE_TEXT_FIELDS}
    found = []
    for item in (published_texts(dataset, content_dir, include_templates=False) if texts is None else texts):
        if item.personal_data_allowed or (item.kind == "典型案例" and item.field in case_fields):
            continue
        if not _DIGITS.search(item.text):
            continue
        hits = find_personal_data_at(item.text)
        if not hits:
            continue
        by_line: dict[int, list] = {}
        for offset, finding in hits:
            by_line.setdefault(item.line_at(offset, item.text[offset:offset + 3]), []).append(finding)
        for line, findings in by_line.items():
            found.append(Problem(item.file, line, item.label, privacy_message(findings, case=item.kind == "典型案例")))
    return found


def _findings(dataset, content_dir: Path) -> tuple[list[Finding], list[Problem]]:
    """Both passes once per dataset and content folder (checks and warnings share them).

    A file's findings depend only on its own text, the term list and code (the cache's code
    fingerprint) and the leaders and units the automaton holds (`_settings`): files whose
    findings the cache holds for the same bytes and settings are not read again."""
    def compute():
        cache = dataset.cache
        settings = _settings(dataset)
        findings: list[Finding] = []
        private: list[Problem] = []
        done: set[str] = cache.empty_parts("texts", settings)  # nothing found in them before
        for display in list(cache.new) if cache.enabled else ():
            if display in done:
                continue
            stored = cache.get(display, cache.key_of(display), "texts", settings)
            if stored is not MISSING:
                if stored:
                    findings += stored[0]
                    private += stored[1]
                done.add(display)
        texts = list(published_texts(dataset, content_dir, skip=frozenset(done)))
        new_findings = proofread(dataset, content_dir, texts)
        new_private = personal_data(dataset, content_dir, [t for t in texts if t.kind != "模板"])
        if cache.enabled:
            by_file: dict[str, tuple[list, list]] = {d: ([], []) for d in cache.new if d not in done}
            for finding in new_findings:
                if finding.file in by_file:
                    by_file[finding.file][0].append(finding)
            for problem in new_private:
                if problem.file in by_file:
                    by_file[problem.file][1].append(problem)
            for display, value in by_file.items():
                cache.put(display, cache.key_of(display), "texts", settings, value if value[0] or value[1] else ())
        findings = sorted(set(findings + new_findings), key=lambda f: (f.file, f.line, f.field, f.message))
        return findings, private + new_private
    return dataset.once(("proofreading", str(content_dir)), compute)


def _settings(dataset) -> str:
    """What a file's findings depend on beyond its bytes and the code: the leaders and units
    (the automaton), and a point-in-time rebuild's date (it leaves records out)."""
    people = [dataset.leadership.leader, *dataset.leadership.deputies]
    return settings_key(sorted((p.name, p.title) for p in people),
                        sorted((u.name, u.short) for u in dataset.unit_list), dataset.as_of_override)


def check_texts(dataset, problems: Problems, content_dir: Path) -> None:
    """Errors: serious proofreading findings and personal data in any published text."""
    findings, private = _findings(dataset, content_dir)
    for finding in findings:
        if finding.severity == ERROR:
            problems.items.append(finding.problem())
    problems.items.extend(private)


def text_warnings(dataset, content_dir: Path) -> Problems:
    """Warnings: the style findings (the adapter logs them, so --strict fails)."""
    findings, _ = _findings(dataset, content_dir)
    out = Problems()
    for finding in findings:
        if finding.severity == WARNING:
            out.items.append(finding.problem())
    return out


def timed_pass(dataset, content_dir: Path) -> float:
    """Seconds of one full pass (both guards), for benchmarks/run.py."""
    start = time.perf_counter()
    texts = list(published_texts(dataset, content_dir))
    proofread(dataset, content_dir, texts)
    personal_data(dataset, content_dir, texts)
    return time.perf_counter() - start
