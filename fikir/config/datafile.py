"""Line-oriented data files (the tagging and safety lexicons) read one way: `#` comments,
`@section` headers, and mistakes reported with the file and line so an editor can fix them."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class DataLine:
    """One meaningful line: where it is, the section header it sits under, its text."""

    where: str
    section: tuple[str, ...] | None
    text: str


def data_lines(
    text: str, source: str, sections: Collection[str] | None = None
) -> Iterator[DataLine]:
    """The file's lines without comments or blanks; headers (`@name args…`) are not yielded but
    set `section` (their words) for the lines after them. A line before any header has None.
    With `sections`, a header naming another section is refused at its own line."""
    section: tuple[str, ...] | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("@"):
            section = tuple(line[1:].split()) or ("",)
            if sections is not None and section[0] not in sections:
                raise ValueError(f"{source}:{number}: unknown section {section[0]!r}")
            continue
        yield DataLine(f"{source}:{number}", section, line)


def section_words(text: str, source: str, name: str) -> Iterator[str]:
    """The lines of every `@name` section (e.g. the @lang words that guess a language)."""
    for line in data_lines(text, source):
        if line.section and line.section[0] == name:
            yield line.text
