"""Problems found in editors' input, collected so that one run reports all of them."""
from __future__ import annotations

from dataclasses import dataclass, field
from dataclasses import field as dc_field


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one place, worded in Chinese for a county clerk."""

    file: str
    line: int | None
    field: str
    message: str
    # "error" stops every build; "warning" stops --strict builds (CI, publishing) only.
    severity: str = dc_field(default="error", compare=False)

    def render(self) -> str:
        where = self.file if self.line is None else f"{self.file} 第 {self.line} 行"
        what = f"字段「{self.field}」：" if self.field else ""
        return f"{where}：{what}{self.message}"


@dataclass
class Problems:
    """A growing list of problems; sorted on output so messages come in file order."""

    items: list[Problem] = field(default_factory=list)

    def add(self, file: str, line: int | None, field_: str, message: str, severity: str = "error") -> None:
        self.items.append(Problem(file, line, field_, message, severity))

    def extend(self, other: "Problems") -> None:
        self.items.extend(other.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def render(self) -> str:
        ordered = sorted(set(self.items), key=lambda p: (p.file, p.line or 0, p.field, p.message))
        lines = [f"数据检查发现 {len(ordered)} 处问题，请逐条修改后重新提交："]
        lines += [f"  {n}. {p.render()}" for n, p in enumerate(ordered, 1)]
        return "\n".join(lines)


class ColumnError(Exception):
    """The one error family of the column: carries problems worded for editors.

    The CLI catches it once (prints the text, exit status 1) and so does the MkDocs
    adapter (PluginError): no other try/except turns errors into messages.
    """

    def __init__(self, problems: "Problems | str"):
        if isinstance(problems, str):
            text, problems = problems, Problems([Problem("", None, "", problems)])
        else:
            text = problems.render()
        self.problems = problems
        super().__init__(text)


class DataError(ColumnError):
    """Raised with every problem of a run; its text is the whole Chinese report."""


def closest(value: str, options) -> str | None:
    """The known name an editor most likely meant: similar, and sharing the longest start."""
    import difflib
    import os.path

    candidates = difflib.get_close_matches(str(value), [str(o) for o in options], n=5, cutoff=0.5)
    if not candidates:
        return None
    def score(candidate: str) -> tuple[int, float]:
        prefix = len(os.path.commonprefix([candidate, str(value)]))
        return prefix, difflib.SequenceMatcher(None, candidate, str(value)).ratio()
    return max(candidates, key=score)
