"""python -m bot validate: the lines staff read, the JSON tools read, and the exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import EXIT_OK, EXIT_REFUSED, EXIT_USAGE, main

CATALOGUES = Path(__file__).parent / "catalogues"
SHIPPED = Path(__file__).parent.parent / "services.yaml"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["validate", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_shipped_catalogue_loads(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(SHIPPED))
    assert code == EXIT_OK
    assert out.splitlines()[-1].startswith(f"{SHIPPED}: OK: 103 services in 17 categories; ")
    assert ": error:" not in out


def test_a_broken_file_is_refused_with_its_line(capsys: pytest.CaptureFixture[str]) -> None:
    path = CATALOGUES / "broken" / "bad-phone.yaml"
    code, out, _ = run(capsys, str(path))
    assert code == EXIT_REFUSED
    lines = out.splitlines()
    assert f"{path}:35: error: `tafel-linden`, field `phone`: " in "\n".join(lines)
    assert lines[-1].startswith(f"{path}: refused: 1 error(s), ")


def test_json_lists_the_same_findings(capsys: pytest.CaptureFixture[str]) -> None:
    path = CATALOGUES / "broken" / "wrong-enum-cost.yaml"
    code, out, _ = run(capsys, "--json", str(path))
    assert code == EXIT_REFUSED
    findings = json.loads(out)
    errors = [f for f in findings if f["level"] == "error"]
    assert errors == [
        {
            "level": "error",
            "file": str(path),
            "line": 30,
            "message": "`gratis` is not allowed for `cost`; use one of: free, reduced, paid",
            "service": "tafel-linden",
            "field": "cost",
        }
    ]
    assert all(set(f) == {"file", "line", "level", "service", "field", "message"} for f in findings)


def test_verbose_lists_each_missing_translation(capsys: pytest.CaptureFixture[str]) -> None:
    path = CATALOGUES / "valid.yaml"
    _, short, _ = run(capsys, str(path))
    _, verbose, _ = run(capsys, "--verbose", str(path))
    assert "text(s) have no `uk` translation" in short
    assert "no `uk` translation; add a line `uk: …`" not in short
    assert "`tafel-linden`, field `summary`: no `uk` translation; add a line `uk: …`" in verbose


@pytest.mark.parametrize("log_level", [None, "VERBOSE"])
def test_services_file_from_the_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, log_level: str | None
) -> None:
    """An unrelated bad setting (the bot's LOG_LEVEL) must not send staff to another file."""
    monkeypatch.setenv("SERVICES_FILE", str(CATALOGUES / "valid.yaml"))
    if log_level is not None:
        monkeypatch.setenv("LOG_LEVEL", log_level)
    code, out, _ = run(capsys)
    assert code == EXIT_OK
    assert out.splitlines()[-1].startswith(f"{CATALOGUES / 'valid.yaml'}: OK: 1 services")


def test_a_missing_file_is_refused_not_a_crash(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, str(tmp_path / "nope.yaml"))
    assert code == EXIT_REFUSED
    assert f"{tmp_path / 'nope.yaml'}:1: error: cannot read the file" in out


def test_a_folder_is_refused_not_a_crash(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(CATALOGUES))
    assert code == EXIT_REFUSED
    assert f"{CATALOGUES}:1: error: cannot read the file: Is a directory" in out


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["validate", "--no-such-flag"])
    assert caught.value.code == EXIT_USAGE


def _shipped_with(tmp_path: Path, line: int, edit: str) -> Path:
    """The shipped catalogue with one line replaced by ``edit`` (the original indentation kept)."""
    lines = SHIPPED.read_text(encoding="utf-8").split("\n")
    original = lines[line - 1]
    lines[line - 1] = original[: len(original) - len(original.lstrip())] + edit
    path = tmp_path / "services.yaml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _line_of(prefix: str, after: int) -> int:
    lines = SHIPPED.read_text(encoding="utf-8").split("\n")
    return next(
        n for n, text in enumerate(lines, 1) if n > after and text.strip().startswith(prefix)
    )


def test_an_unclosed_bracket_names_its_own_line_first(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The line to fix comes first; the enclosing block (far above) second, as a note."""
    broken = _line_of("categories: [", after=500)
    path = _shipped_with(tmp_path, broken, "categories: [women")
    code, out, _ = run(capsys, str(path))
    assert code == EXIT_REFUSED
    first, second = out.splitlines()[:2]
    line = int(first.split(":")[1])
    assert broken <= line <= broken + 1, first
    assert ": error: YAML syntax error: " in first
    assert (
        second
        == f"{path}:{broken}: note: the error above is inside the flow sequence that starts here"
    )


def test_a_misindented_key_names_its_own_line_not_the_list_start(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    services_start = _line_of("services:", after=0)
    broken = _line_of("cost:", after=services_start + 40)
    path = _shipped_with(tmp_path, broken, "  cost: free")
    code, out, _ = run(capsys, str(path))
    assert code == EXIT_REFUSED
    first, second = out.splitlines()[:2]
    line = int(first.split(":")[1])
    assert broken - 1 <= line <= broken + 1, first
    assert ": note: the error above is inside the block " in second
    assert int(second.split(":")[1]) < broken - 1


def test_an_unclosed_quote_names_the_quoted_text_in_plain_words(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "services.yaml"
    path.write_text('version: 1\nregion:\n  name: "Hannover\n  country: DE\n', encoding="utf-8")
    code, out, _ = run(capsys, str(path))
    assert code == EXIT_REFUSED
    assert f"{path}:3: note: the error above is inside the quoted scalar that starts here" in out
