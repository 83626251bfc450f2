"""The house's size rules, measured: files over 500 lines (migrations aside) and classes over
300 lines or 20 methods, in the packages and the bench. `docs/architecture.md` says why each
one listed still is.

    python tools/sizes.py            # the list, as a Markdown table
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "handlers", "backend", "storage", "states", "bench", "tools")
MAX_FILE_LINES = 500
MAX_CLASS_LINES = 300
MAX_METHODS = 20


def sources() -> list[Path]:
    found: list[Path] = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                found.append(path)
    return found


def oversized(path: Path, root: Path = ROOT) -> list[tuple[str, str]]:
    text = path.read_text(encoding="utf-8")
    rel = str(path.relative_to(root))
    rows: list[tuple[str, str]] = []
    lines = len(text.splitlines())
    if lines > MAX_FILE_LINES:
        rows.append((rel, f"file, {lines} lines"))
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, ast.ClassDef):
            continue
        span = (node.end_lineno or node.lineno) - node.lineno + 1
        methods = sum(isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) for n in node.body)
        if span > MAX_CLASS_LINES or methods > MAX_METHODS:
            rows.append((f"{rel}::{node.name}", f"class, {span} lines, {methods} methods"))
    return rows


def main() -> int:
    print("| where | size |\n|---|---|")
    for path in sources():
        for where, size in oversized(path):
            print(f"| `{where}` | {size} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
