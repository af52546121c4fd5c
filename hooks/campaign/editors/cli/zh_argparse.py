"""argparse speaking Chinese: clerks read every line the tool prints, usage errors included.

argparse looks its messages up through the module's gettext functions at call time, so
replacing those two names in this process (the command-line tool's own) translates
usage, help headings and error messages without copying argparse.
"""
from __future__ import annotations

import argparse

ZH = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：出错了：%(message)s\n（加 -h 查看用法）\n",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "不认识的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "不能选 %(value)r（可选：%(choices)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "后面需要跟一个值",
    "expected at least one argument": "后面至少需要一个值",
    "expected at most one argument": "后面最多只能跟一个值",
    "expected %s argument": "后面需要 %s 个值",
    "expected %s arguments": "后面需要 %s 个值",
    "invalid %(type)s value: %(value)r": "值 %(value)r 格式不对",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是 %(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "参数 %s 必须填一个",
    "ignored explicit argument %r": "多余的值 %r",
    "can't open '%(filename)s': %(error)s": "打不开文件「%(filename)s」：%(error)s",
}


def install() -> None:
    argparse._ = lambda message: ZH.get(message, message)
    argparse.ngettext = lambda singular, plural, n: ZH.get(singular if n == 1 else plural,
                                                           singular if n == 1 else plural)
