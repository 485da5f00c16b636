"""Whatever staff save, the loader answers with its own clear error, never a crash."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.catalogue.validation import CatalogueError, load_catalogue

ROOT = Path(__file__).parent.parent
SHIPPED = (ROOT / "services.yaml").read_text(encoding="utf-8")
SMALL = (Path(__file__).parent / "catalogues" / "valid.yaml").read_text(encoding="utf-8")

YAMLISH = st.lists(
    st.sampled_from([*list("abc: -[]{},'\"&*!|>#\n\t  0123456789.äßйي؟~@%"), "no", "on", "- id:"]),
    max_size=300,
).map("".join)


def load_text(text: str | bytes) -> None:
    """Load ``text`` as services.yaml; only CatalogueError may come out."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "services.yaml"
        if isinstance(text, str):
            path.write_text(text, encoding="utf-8", errors="surrogatepass")
        else:
            path.write_bytes(text)
        try:
            load_catalogue(path, today=date(2026, 11, 21), ui_languages=("de", "en"))
        except CatalogueError as exc:
            assert exc.errors, "a refusal must say why"
            for error in exc.errors:
                assert error.line >= 1
                assert error.message


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(YAMLISH)
def test_random_yamlish_text(text: str) -> None:
    load_text(text)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes(data: bytes) -> None:
    load_text(data)


@st.composite
def mutated(draw: st.DrawFn, source: str) -> str:
    lines = source.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "swap", "char", "indent", "cut"]))
        if action == "delete":
            del lines[at]
        elif action == "duplicate":
            lines.insert(at, lines[at])
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif action == "char":
            line = lines[at]
            pos = draw(st.integers(0, max(0, len(line) - 1)))
            char = draw(st.sampled_from([*list(":-[]{}\"'&*#\t x1é"), "no", "~"]))
            lines[at] = line[:pos] + char + line[pos + 1 :]
        elif action == "indent":
            lines[at] = draw(st.sampled_from(["", " ", "    ", "\t"])) + lines[at].lstrip(" ")
        else:
            line = lines[at]
            lines[at] = line[: draw(st.integers(0, len(line)))]
    return "".join(lines)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(SHIPPED))
def test_mutations_of_the_shipped_catalogue(text: str) -> None:
    load_text(text)


@settings(max_examples=150, deadline=None)
@given(mutated(SMALL))
def test_mutations_of_a_small_catalogue(text: str) -> None:
    load_text(text)
