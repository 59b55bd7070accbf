"""Who is listening, named in each language, so that the first message tells people who reads them.

`FIKIR_ORGANISATION_NAME` is either one name for every language or a JSON object by language
code. Languages it leaves out take its English name (or, failing that, any name it gives),
never the default of another organisation; without the setting, the UN in Azerbaijan is named.
Talysh and Lezgian defaults are drafts, as the rest of their catalogues are.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from fikir.config.languages import LANGUAGE_CODES

DEFAULT_NAMES: Mapping[str, str] = {
    "az": "BMT Azərbaycan",
    "ru": "ООН в Азербайджане",
    "en": "UN Azerbaijan",
    "tly": "BMT Azərbaycan",
    "lez": "ООН Азербайжанда",
    "ka": "გაერო აზერბაიჯანში",
    "uk": "ООН в Азербайджані",
    "jdt": "ООН в Азербайджане",  # the Russian name Juhuri speakers use; for native review
}
MAX_LENGTH = 40  # longer names cannot fit the consent SMS (`fikir sms segments` shows it)


def organisation_names(raw: str) -> dict[str, str]:
    """The name in every language from the setting's text; ValueError names what is wrong."""
    raw = raw.strip()
    if not raw:
        return dict(DEFAULT_NAMES)
    given: dict[str, str]
    if raw.startswith(("{", "[")):
        try:
            parsed = json.loads(raw)
        except json.JSONDecodeError:
            raise ValueError("FIKIR_ORGANISATION_NAME is not valid JSON") from None
        if not isinstance(parsed, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in parsed.items()
        ):
            raise ValueError(
                'FIKIR_ORGANISATION_NAME must map language codes to names: {"az": "…", "en": "…"}'
            )
        unknown = sorted(set(parsed) - set(LANGUAGE_CODES))
        if unknown:
            raise ValueError(f"FIKIR_ORGANISATION_NAME names unknown languages: {unknown}")
        given = {code: name.strip() for code, name in parsed.items()}
        if not given:
            return dict(DEFAULT_NAMES)
    else:
        given = dict.fromkeys(LANGUAGE_CODES, raw)
    too_long = sorted(code for code, name in given.items() if len(name) > MAX_LENGTH)
    if too_long:
        raise ValueError(
            f"FIKIR_ORGANISATION_NAME is longer than {MAX_LENGTH} characters in {too_long}"
        )
    fallback = given.get("en") or next(iter(given.values()))
    return {code: given.get(code, fallback) for code in LANGUAGE_CODES}
