"""Read a staff-edited YAML file into plain Python data, remembering the line of every value.

Why not ``yaml.safe_load``: PyYAML resolves YAML 1.1, so the language code ``no:`` would turn
into ``False`` and a postcode ``01234`` into an octal number, and duplicate keys silently win.
Why not ruamel's round-trip loader: it keeps lines but is ten times slower (2.5 s for 1,000
services). We let libyaml's C parser *compose* the node tree (fast, with line marks) and build
the values ourselves with YAML 1.2 core-schema rules: keys always stay text, duplicate keys are
an error with both lines, and aliases are bounded so a "billion laughs" file cannot blow up
memory.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

Path_ = tuple[str | int, ...]
"""Where a value sits in the document: mapping keys and list indexes from the root."""

MAX_FILE_BYTES = 24 * 1024 * 1024
"""24 MiB. Loading costs memory about 25 times the file's size (bench/bench_catalogue.py: a
generated 10,000-service catalogue in seven languages is 18.5 MiB and peaks at 446 MiB of
Python memory while it loads), and a reload holds the old catalogue beside the new one. Under
this cap loading stays near half a gigabyte; the old cap, 64 MiB, let a 50 MB file take the
bot to about 500 MB more. A real city is far inside: Hannover's services.yaml (about 100
services) is 0.4 MiB, sixty times below; 10,000 services, more than any German city lists,
still fit with room. A bigger file is not a catalogue but a mistake (or an attack)."""

MAX_EXPANDED_NODES = 5_000_000
"""Values after expanding aliases. A 10,000-service catalogue has about 1.2 million; a "billion
laughs" file has 10⁹ and would exhaust memory long before validation ends."""

MAX_DEPTH = 64
"""The catalogue nests five levels deep; anything deeper is a broken or hostile file."""

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL_TRUE = re.compile(r"^(?:true|True|TRUE)$")
_BOOL_FALSE = re.compile(r"^(?:false|False|FALSE)$")
_INT = re.compile(r"^[-+]?[0-9]+$")
_INT_OCT = re.compile(r"^0o[0-7]+$")
_INT_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")


class YamlSourceError(Exception):
    """The file cannot be read as YAML at all; carries the line so staff can find the spot.

    ``context_line`` and ``context`` name the enclosing construct (an open bracket, the list the
    broken entry sits in) when the parser reports one: a second place to look, never the first.
    """

    def __init__(
        self, message: str, line: int, context_line: int | None = None, context: str = ""
    ) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.context_line = context_line
        self.context = context


@dataclass(frozen=True)
class YamlDocument:
    """Plain data (dicts, lists, str, int, float, bool, None) plus the line of every value."""

    data: Any
    lines: dict[Path_, int]

    def line_of(self, path: Path_) -> int:
        """The line of the value at ``path``, or of its nearest parent that has one."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return 1


def read_yaml(path: Path) -> YamlDocument:
    """Read and compose ``path``; raises YamlSourceError for anything that is not sound YAML."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise YamlSourceError(f"cannot read the file: {exc.strerror or exc}", 1) from exc
    if size > MAX_FILE_BYTES:
        raise YamlSourceError(
            f"{path.name} is {size / 1_048_576:.1f} MB; a catalogue is at most "
            f"{MAX_FILE_BYTES // 1_048_576} MB (about 10,000 services), because loading "
            "needs about 25 times the file's size in memory. Check that the right file was "
            "saved.",
            1,
        )
    try:
        data = path.read_bytes()
    except OSError as exc:  # a folder, no permission
        raise YamlSourceError(f"cannot read the file: {exc.strerror or exc}", 1) from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlSourceError(
            "the file is not UTF-8 text. Save it as UTF-8 in your editor "
            "(in most editors: Save as… → Encoding: UTF-8).",
            line,
        ) from exc
    return parse_yaml(text)


_CONTEXT_VERB = re.compile(r"^while (?:parsing|scanning) an? ")
"""PyYAML says "while scanning a quoted scalar"; staff read "inside the quoted scalar"."""


def parse_yaml(text: str) -> YamlDocument:
    """Parse YAML text (one document) into a YamlDocument."""
    try:
        root = yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.MarkedYAMLError as exc:
        # The problem mark is where the parser found the fault: usually the line to fix or the
        # one after it. The context mark is the construct it was inside (an open "{", or the
        # list that began 30 lines up), named second so staff look at the near line first.
        start, end = exc.context_mark, exc.problem_mark
        mark = end or start
        line = mark.line + 1 if mark else 1
        problem = exc.problem or "invalid YAML"
        source_lines = text.splitlines()
        if 0 < line <= len(source_lines) and source_lines[line - 1][:1] == "\t":
            raise YamlSourceError(
                "the line is indented with a tab; YAML needs spaces. Replace the tab with "
                "spaces (most editors: Convert indentation to spaces).",
                line,
            ) from exc
        context_line = start.line + 1 if start and end and start.line != end.line else None
        context = f"{exc.context} that starts here" if exc.context and context_line else ""
        raise YamlSourceError(
            f"YAML syntax error: {problem}. Check this line and the one before it: the "
            'indentation, the brackets, and that texts with ":" or "#" are in quotes.',
            line,
            context_line,
            f"the error above is inside the {_CONTEXT_VERB.sub('', context)}" if context else "",
        ) from exc
    except yaml.YAMLError as exc:
        raise YamlSourceError(f"YAML error: {exc}", 1) from exc
    if root is None:
        return YamlDocument(data=None, lines={(): 1})
    _check_expanded_size(root)
    lines: dict[Path_, int] = {(): root.start_mark.line + 1}
    data = _build(root, (), lines, 0)
    return YamlDocument(data=data, lines=lines)


def _children(node: yaml.Node) -> Iterator[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield key
            yield value
    elif isinstance(node, yaml.SequenceNode):
        yield from node.value


def _check_expanded_size(root: yaml.Node) -> None:
    """Refuse alias bombs and recursive aliases before building any value.

    Aliases share node objects, so the size of every distinct node is computed once (iteratively,
    so a hostile nesting depth cannot hit Python's recursion limit).
    """
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            on_path.discard(key)
            total = 1 + sum(sizes[id(child)] for child in _children(node))
            if total > MAX_EXPANDED_NODES:
                raise YamlSourceError(
                    "the file's anchors (&) and aliases (*) expand to more than "
                    f"{MAX_EXPANDED_NODES:,} values. Write entries out in full instead of "
                    "repeating them with aliases.",
                    node.start_mark.line + 1,
                )
            sizes[key] = total
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise YamlSourceError(
                "an alias (*) refers to the entry that contains it, which never ends. "
                "Remove the alias.",
                node.start_mark.line + 1,
            )
        on_path.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in sizes)


def _scalar(node: yaml.ScalarNode) -> Any:
    """YAML 1.2 core schema for plain scalars; quoted scalars are always text."""
    value: str = node.value
    # libyaml marks plain scalars with style "" (PyYAML's pure loader uses None). A plain
    # scalar that libyaml's YAML 1.1 resolver already calls text is text in YAML 1.2 as well.
    if node.style not in (None, "") or node.tag == "tag:yaml.org,2002:str":
        return value
    if _NULL.match(value):
        return None
    if _BOOL_TRUE.match(value):
        return True
    if _BOOL_FALSE.match(value):
        return False
    if _INT.match(value):
        return int(value, 10)
    if _INT_OCT.match(value):
        return int(value[2:], 8)
    if _INT_HEX.match(value):
        return int(value[2:], 16)
    if _FLOAT.match(value):
        return float(value)
    return value


def _build(node: yaml.Node, path: Path_, lines: dict[Path_, int], depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise YamlSourceError(
            f"the file nests more than {MAX_DEPTH} levels deep; a catalogue needs five. "
            "Check the indentation.",
            node.start_mark.line + 1,
        )
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            item_path = (*path, index)
            lines[item_path] = item.start_mark.line + 1
            items.append(_build(item, item_path, lines, depth + 1))
        return items
    mapping: dict[str, Any] = {}
    first_line: dict[str, int] = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode):
            raise YamlSourceError(
                "a key must be a plain word, not a list or mapping. Check the indentation.", line
            )
        key = str(key_node.value)
        if key in mapping:
            raise YamlSourceError(
                f"the key `{key}` appears twice in the same entry (first on line "
                f"{first_line[key]}). Keep one of them.",
                line,
            )
        key_path = (*path, key)
        lines[key_path] = line
        first_line[key] = line
        mapping[key] = _build(value_node, key_path, lines, depth + 1)
    return mapping
