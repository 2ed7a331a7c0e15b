"""The `yipin` command: the parser, and how a command ends.

Exit codes (errors.py): 0 all went well, 1 the content has errors, 2 the command cannot be
used as given, 3 the machine is the problem (a file may not be read, a tool is missing),
130 stopped by Ctrl-C or SIGTERM. A Yipin error never ends in a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from yipin import __version__
from yipin.commands import book, build, check, diff, export, import_, init, new, schema, tools, wechat
from yipin.errors import YipinError
from yipin.utils.report import to_terminal
from yipin.utils.signals import sigterm_interrupts

__all__ = ["main", "INTERRUPTED_EXIT"]

INTERRUPTED_EXIT = 130  # as a shell reports a command stopped by Ctrl-C


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help(sys.stderr)
        return 2
    to_terminal()
    restore = sigterm_interrupts()
    try:
        return args.run(args)
    except YipinError as exc:
        print(exc, file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: staging folders and child processes are gone by now
        print("已停止，网站没有更新。", file=sys.stderr)
        return INTERRUPTED_EXIT
    finally:
        restore()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="yipin", description="一品：一社区一品牌 案例网站生成器")
    parser.add_argument("--version", action="version", version=f"yipin {__version__}")
    commands = parser.add_subparsers(title="命令", metavar="COMMAND")
    init.add_parser(commands)
    check.add_parser(commands)
    build.add_parsers(commands)
    new.add_parser(commands)
    import_.add_parser(commands)
    diff.add_parser(commands)
    schema.add_parser(commands)
    export.add_parser(commands)
    tools.add_parser(commands)
    wechat.add_parser(commands)
    book.add_parser(commands)
    return parser
