"""Over-redaction found in use: a place in the locative before a role word is not a name."""

from __future__ import annotations

import pytest

from fikir.privacy.redact import redact


@pytest.mark.parametrize(
    ("text", "kept", "removed"),
    [
        ("Xəstəxanada həkim yoxdur, növbə 3 saat çəkir", "Xəstəxanada həkim", None),
        ("Məktəbdə müəllim yoxdur", "Məktəbdə müəllim", None),
        ("Kənddəki həkim gəlmir", "Kənddəki həkim", None),
        ("Hörmətli Vüsal müəllim, kömək edin", "müəllim", "Vüsal"),
        ("Leyla xanım dedi ki su yoxdur", "xanım", "Leyla"),
    ],
)
def test_role_words_after_places_and_after_names(text: str, kept: str, removed: str | None) -> None:
    out = redact(text)
    assert kept in out
    if removed is not None:
        assert removed not in out and "[name]" in out
