"""The shape of the package, checked so that nobody has to remember it.

The folders of ``bot/`` read top-down as the data path: catalogue → search → answers → chat
(the Telegram layer), with hours, i18n, store and staff beside them. Imports flow one way, only
``bot/chat/`` imports ``telegram``, ``fakebotapi`` is a library of its own, and a module over
400 lines (or a class over 250) is a sign that it holds two concepts.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BOT = ROOT / "bot"
FAKEBOTAPI = ROOT / "fakebotapi"

MAX_MODULE_LINES = 400
MAX_CLASS_LINES = 250

CORE_PACKAGES = ("catalogue", "hours", "search", "store", "i18n", "answers", "staff", "counsel")
"""Everything the bot knows and says, without Telegram: testable and usable from the CLI."""

MAY_NOT_IMPORT: dict[str, tuple[str, ...]] = {
    # A stage never reaches down the data path (towards the chat) or sideways into storage.
    "bot.catalogue": (
        "bot.search",
        "bot.answers",
        "bot.staff",
        "bot.store",
        "bot.chat",
        "bot.directory",
        "bot.reloader",
        "bot.callbackdata",
        "bot.config",
    ),
    # The catalogue model checks opening hours with bot.hours.syntax: that module stays free
    # of the model (no cycle) and of Babel and the translators (the model loads without them).
    "bot.hours.syntax": ("bot.catalogue", "bot.i18n", "babel"),
    "bot.hours": (
        "bot.search",
        "bot.answers",
        "bot.staff",
        "bot.store",
        "bot.chat",
        "bot.directory",
        "bot.config",
    ),
    "bot.search": (
        "bot.answers",
        "bot.staff",
        "bot.store",
        "bot.chat",
        "bot.directory",
        "bot.reloader",
        "bot.callbackdata",
        "bot.config",
    ),
    "bot.i18n": (
        "bot.catalogue",
        "bot.search",
        "bot.answers",
        "bot.staff",
        "bot.store",
        "bot.chat",
        "bot.directory",
        "bot.config",
    ),
    "bot.store": (
        "bot.counsel",
        "bot.search",
        "bot.answers",
        "bot.staff",
        "bot.chat",
        "bot.directory",
        "bot.config",
        "bot.callbackdata",
    ),
    # Talking to a person: rules and settings over the hours and the store; the texts
    # (bot.answers.counsel) and the Telegram side (bot.chat) build on it, never the reverse.
    "bot.counsel": (
        "bot.catalogue",
        "bot.search",
        "bot.answers",
        "bot.staff",
        "bot.chat",
        "bot.directory",
        "bot.config",
        "bot.callbackdata",
    ),
    "bot.directory": ("bot.answers", "bot.staff", "bot.store", "bot.chat", "bot.callbackdata"),
    "bot.answers": ("bot.chat", "bot.store", "bot.staff", "bot.reloader", "bot.config"),
    "bot.staff": ("bot.chat", "bot.answers.replies"),
    "bot.reloader": ("bot.chat", "bot.staff.report"),
}


def _modules(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def _dotted(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def _imports(path: Path) -> frozenset[str]:
    """Every module ``path`` imports by name, at any depth (lazy imports inside functions too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return frozenset(found)


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


ALL_MODULES = _modules(BOT) + _modules(FAKEBOTAPI)


@pytest.mark.parametrize("path", ALL_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_is_longer_than_400_lines(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.relative_to(ROOT)}: {lines} lines"


@pytest.mark.parametrize("path", ALL_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_class_is_longer_than_250_lines(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    long = [
        f"{node.name}: {node.end_lineno - node.lineno + 1} lines"
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_CLASS_LINES
    ]
    assert not long, f"{path.relative_to(ROOT)}: {long}"


@pytest.mark.parametrize("path", _modules(BOT), ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_flow_one_way(path: Path) -> None:
    module = _dotted(path)
    wrong = sorted(
        name
        for package, forbidden in MAY_NOT_IMPORT.items()
        if _within(module, package)
        for name in _imports(path)
        if any(_within(name, target) for target in forbidden)
    )
    assert not wrong, f"{module} imports {wrong}"


@pytest.mark.parametrize("path", _modules(BOT), ids=lambda p: str(p.relative_to(ROOT)))
def test_only_the_chat_package_imports_telegram(path: Path) -> None:
    module = _dotted(path)
    if _within(module, "bot.chat") or module == "bot.sandbox":
        return  # the Telegram layer, and the sandbox that drives it
    telegram = sorted(n for n in _imports(path) if _within(n, "telegram"))
    assert not telegram, f"{module} imports {telegram}"


@pytest.mark.parametrize("path", _modules(FAKEBOTAPI), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_fake_bot_api_is_a_library_of_its_own(path: Path) -> None:
    ours = sorted(n for n in _imports(path) if _within(n, "bot"))
    assert not ours, f"{_dotted(path)} imports {ours}"


def test_importing_the_core_loads_no_telegram() -> None:
    """The static check above, once at run time: nothing pulls telegram in indirectly."""
    core = [
        _dotted(p)
        for p in _modules(BOT)
        if any(_within(_dotted(p), f"bot.{package}") for package in CORE_PACKAGES)
    ] + ["bot.directory", "bot.reloader", "bot.cli"]
    code = (
        f"import importlib, sys\nfor name in {core!r}:\n    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'telegram')\n"
        "sys.exit(f'telegram loaded: {loaded[:3]}' if loaded else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr or result.stdout


def test_every_package_says_what_it_is_for() -> None:
    for init in sorted(BOT.rglob("__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc, f"{init.relative_to(ROOT)} has no docstring"
