"""The size rule (no file over ~500 lines, no class over ~300 lines or ~20 methods) holds,
or docs/architecture.md says why for each exception (tools/sizes.py measures)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def load_sizes() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sizes_tool", ROOT / "tools" / "sizes.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_oversized_piece_is_explained_in_the_architecture_page() -> None:
    sizes = load_sizes()
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    unexplained = [
        where
        for path in sizes.sources()
        for where, _ in sizes.oversized(path)
        if f"`{where}`" not in page
    ]
    assert unexplained == []


def test_the_measure_finds_a_big_class_and_a_long_file(tmp_path: Path) -> None:
    sizes = load_sizes()
    methods = "".join(f"    def m{i}(self) -> None:\n        pass\n" for i in range(21))
    source = tmp_path / "big.py"
    source.write_text("class Big:\n" + methods + "\n" * 500, encoding="utf-8")
    found = dict(sizes.oversized(source, tmp_path))
    assert found == {"big.py": "file, 543 lines", "big.py::Big": "class, 43 lines, 21 methods"}
