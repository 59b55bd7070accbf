"""Detectors for digit-bearing personal data: phones, bank cards, IBANs, FIN codes and ID numbers."""

from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers

from fikir.privacy.redact_common import DIGIT_CLUSTER, Found, matches_at, scan
from fikir.privacy.redact_keywords import starts

MASK = "\ue000"
# Up to three separator characters between two digits of a phone: "050 123", "(050) 1", "50-12".
_SEP = r"[ \t\u00a0\-.()]{0,3}"
_UNIT = (
    r"(?i:manat\w*|man\b|azn\b|₼|usd\b|eur\b|gel\b|rub\b|руб\w*|манат\w*|\$|€|dollar\w*|доллар\w*|"
    r"долар\w*|евро|euro\w*|lari\b|ლარ\w*|მანათ\w*|грн|гривн\w*|q[əe]pik\w*|копе\w*|%|km\b|км\b|"
    r"კმ|kq\b|kg\b|кг\b|ton\w*|тонн\w*|n[əe]f[əe]r\w*|ail[əe]\w*|famil\w*|people|человек\w*|сем\w*|"
    r"million|milyon\w*|млн|mln|milyard\w*|млрд)"
)

# Text that looks numeric but is not personal (dates, times, ranges, money) is masked first, so
# that no phone or ID pattern can run across it.
_PROTECTED = re.compile(
    r"(?P<date>(?<![\d.])[0-3]?\d[./][01]?\d[./](?:\d{4}|\d{2})(?![\d]|[.]\d))"
    r"|(?<!\d)(?:19|20)\d{2}-[01]\d-[0-3]\d(?!\d)"
    r"|(?<![\d:])[0-2]?\d:[0-5]\d(?::[0-5]\d)?(?![\d:])"
    r"|(?<![\d+])(?:1[89]|20)\d{2}\s?[-–—]\s?(?:(?:1[89]|20)\d{2}|\d{2})(?!\d)"
    rf"|(?<![\d+])\d{{1,3}}(?:[ .,\u00a0]\d{{3}})*(?:[.,]\d{{1,2}})?\s?(?:[-–]\s?\d+(?:[.,]\d+)?\s?)?{_UNIT}"
)
_DATE_PARTS = re.compile(r"(\d+)[./](\d+)")

# National numbering plans, most specific first, as one pattern (one scan instead of five).
_NATIONAL_PHONE = re.compile(
    rf"(?P<az>(?<![\w+])(?:\+|00)?[ ]?\(?994\)?(?:{_SEP}\d){{9}}(?!\d))"  # +994 50 123 45 67
    rf"|(?P<ru>(?<![\w+])(?:\+[ ]?7|8)(?:{_SEP}\d){{10}}(?!\d))"  # 8 (916) 123 45 67
    rf"|(?P<trunk>(?<![\w+])\(?0(?:{_SEP}\d){{9}}(?!\d))"  # 050 123 45 67, (012) 555 55 55
    # Without a prefix: Azerbaijani mobile and Baku codes, Georgian 5xx; and 7-digit local numbers.
    # Both may also be a thousands-grouped amount ("500 000 000"), which is refused below.
    rf"|(?P<bare>(?<![\w+.,])\(?(?:5\d|10|12|60|70|77|99)\)?(?:{_SEP}\d){{7}}(?!\d))"
    r"|(?P<local>(?<![\w+\-.,/])\d{3}[ \-]\d{2}[ \-]\d{2}(?![\w\-]))"
)
_PLUS_PHONE = re.compile(rf"(?<![\w+])(?:\+|00)[ ]?[1-9](?:{_SEP}\d){{6,14}}(?!\d)")
_PHONE_KEYWORD = re.compile(
    r"(?i:\btel\b\.?|\btelefon\w*|\bmob\w*|\bn[öo]mr[əe](?!li)\w*|\bnumr[əe]\w*|\bномер\w*|\bтел\b\.?|"
    r"\bтелефон\w*|\bphone\w*|\bnum(?:ber)?\b|\bwhats\s?app\b|\bватсап\w*|\bвотсап\w*|\bviber\b|"
    r"\bвайбер\w*|\bz[əe]ng\b|\bзвони\w*|ტელეფონ\w*|\bcell\b)"
    r"[^\w\n]{0,4}(?:\w{1,12}[^\w\n]{1,3}){0,2}?"
    rf"(?P<num>\+?\(?\d(?:{_SEP}\d){{4,14}})(?!\d)"
)
_THOUSANDS = re.compile(r"\(?\d{1,3}(?:[ .,\u00a0]\d{3})+\)?")

_CARD = re.compile(
    r"(?<![\d+])(?:\d{4}(?P<s>[ \-]?)\d{4}(?P=s)\d{4}(?P=s)\d{4}(?:(?P=s)\d{1,3})?"
    r"|\d{4}[ \-]\d{6}[ \-]\d{4,5}|\d{13,19})(?!\d)"
)
_GROUPED16 = re.compile(r"\d{4}[ \-]\d{4}[ \-]\d{4}[ \-]\d{4}")
_LONG_DIGITS = re.compile(r"(?<![\d+])\d{10,}(?!\d)")

_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:[ ]?[A-Za-z0-9]){10,32}")
_IBAN_LENGTHS = {
    "AZ": 28,
    "GE": 22,
    "UA": 29,
    "GB": 22,
    "DE": 22,
    "TR": 26,
    "RU": 33,
    "FR": 27,
    "KZ": 20,
}
_IBAN_KEYWORD = re.compile(r"(?i:iban|hesab|счёт|счет|рахунок|account|ანგარიშ)\W{0,12}$")

_FIN_KEYWORD = re.compile(
    r"(?i:(?<!\w)(?:f[iİı]n|фин)(?!\w))"
    r"(?:[\s\-]*(?i:kod\w*|код\w*|code|n[öo]mr[əe]\w*|номер\w*|number|im|i|ı|in|ın))*"
    r"[\s:=\-–—]*(?P<fin>[A-Za-z0-9]{7})(?![A-Za-z0-9])"
)
_FIN_BARE = re.compile(r"(?<![\w@./#\-])(?:[0-9A-Z]{7}|[0-9a-z]{7})(?![\w@]|\.\w)")
_LETTER_BY_DIGIT = re.compile(r"[A-Za-z]\d|\d[A-Za-z]")
_ALNUM = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_NOT_FIN_TAIL = re.compile(r"\d+(?:AZN|USD|EUR|GEL|RUB|KM|KG|MB|GB|TB|MHZ|GHZ|KW|MW)", re.I)

_ID_RULES = (
    # "серия 4510 номер 123456", "seriya AZE nömrə 15975346"
    re.compile(
        r"(?i:серия|seriya|series)\w*[ \t]*№?[ \t]*(?:[A-ZА-Я]{1,3}|\d{2}[ \t]?\d{2})[ \t,]*"
        r"(?i:номер|n[öo]mr[əe]\w*|number|no\.?|№)[ \t]*№?[ \t]*\d{6,9}(?!\d)"
    ),
    re.compile(r"(?<!\w)(?i:aze)[ \-№#]*\d{8}(?!\d)"),
    re.compile(r"(?<!\w)(?:[A-Z]{1,2}|[А-ЯЁІЇЄҐ]{2})[ \-№]?\d{6,9}(?!\d)"),
    re.compile(r"(?<![\d+])\d{2}[ ]?\d{2}[ ]\d{6}(?!\d)"),
)
_ID_KEYWORD = re.compile(
    r"(?i:ş/v|ş\.v\.?|s/v|\bşv\b|ş[əe]xsiyy[əe]t\w*(?:\s+v[əe]siq[əe]\w*)?|s[eə]xsiyy[eə]t\w*|"
    r"v[əe]siq[əe]\w*|pasport\w*|паспорт\w*|passport\w*|удостоверени\w*|посвідчен\w*|"
    r"id[\s\-]?kart\w*|id[\s\-]?card|id[\s\-]?картк\w*|ідентифікац\w*|personal\s+number|seriya|"
    r"серия|პირადი\s+ნომერი|პასპორტ\w*)"
    r"[^\w\n]{0,4}(?:(?i:n[öo]mr[əe]\w*|номер\w*|number|no|№|v[əe]|и|серия|seriya)[^\w\n]{0,4}){0,3}"
    r"(?P<id>(?:[A-ZА-ЯЁІЇЄҐ]{1,3}[ \-№]?)?\d(?:[ \-]?\d){5,13})(?!\d)"
)


def _digits(s: str) -> str:
    return "".join(c for c in s if c.isdigit())


def mask_protected(text: str, windows: list[tuple[int, int]] | None = None) -> str:
    """Replace dates, times, year ranges and amounts of money by a neutral character, keeping offsets."""
    out: list[str] = []
    last = 0
    matches = _PROTECTED.finditer(text) if windows is None else scan(_PROTECTED, text, windows)
    for m in matches:
        if m.start() < last:
            continue
        if m.group("date") and not _plausible_date(m.group("date")):
            continue
        out.append(text[last : m.start()])
        out.append(MASK * (m.end() - m.start()))
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def _plausible_date(s: str) -> bool:
    m = _DATE_PARTS.match(s)
    if m is None:
        return False
    a, b = int(m.group(1)), int(m.group(2))
    return 1 <= a <= 31 and 1 <= b <= 12 or 1 <= a <= 12 and 1 <= b <= 31


def luhn_ok(digits: str) -> bool:
    """The Luhn checksum every bank card number satisfies."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def iban_ok(compact: str) -> bool:
    """ISO 13616 mod-97 check of an IBAN written without spaces."""
    if not compact[:2].isalpha() or not compact[2:4].isdigit() or not compact.isalnum():
        return False
    moved = (compact[4:] + compact[:4]).upper()
    try:
        return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1
    except ValueError:  # a non-ASCII digit or letter slipped through isalnum()
        return False


def find_numbers(text: str) -> list[Found]:
    """Every phone, card, IBAN, FIN and ID number in `text` (overlaps are resolved by the caller)."""
    clusters = [(m.start(), m.end()) for m in DIGIT_CLUSTER.finditer(text)]
    if not clusters:
        return []
    found = list(_find_fins(text, clusters))
    # Phones, cards, IBANs and ID numbers all hold a run of five or more digits; the rules scan
    # only short windows around such runs (an IBAN's letters may sit a dozen characters before).
    big = [(s, e) for s, e in clusters if sum(c.isdigit() for c in text[s:e]) >= 5]
    if not big:
        return found
    near = _windows(big, text, before=12, after=3)
    masked = mask_protected(text, _windows(big, text, before=1, after=25))
    found += _find_ibans(masked, _windows(big, text, before=12, after=40))
    found += _find_cards(masked, near)
    found += _find_ids(text, masked, _windows(big, text, before=25, after=3))
    found += _find_phones(text, masked, near)
    return found


def _windows(
    clusters: list[tuple[int, int]], text: str, before: int, after: int
) -> list[tuple[int, int]]:
    windows: list[tuple[int, int]] = []
    for s, e in clusters:
        start, end = max(0, s - before), min(len(text), e + after)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


def _find_phones(text: str, masked: str, windows: list[tuple[int, int]]) -> Iterator[Found]:
    """Phones in `masked` (dates and amounts blanked); `text` is the original, for its keywords."""
    national: set[int] = set()
    for m in scan(_NATIONAL_PHONE, masked, windows):
        if m.lastgroup in ("bare", "local") and _THOUSANDS.fullmatch(m.group()):
            continue
        national.add(m.start())
        yield _trimmed(m.start(), m.end(), masked, "phone")
    for m in scan(_PLUS_PHONE, masked, windows):
        if m.start() not in national:  # "+994 …", "+7 …" are done; other countries are checked
            end = _plausible_phone_end(masked, m.start(), m.end())
            yield _trimmed(m.start(), end, masked, "phone")
    for m in matches_at(_PHONE_KEYWORD, masked, starts(text, "phone")):
        yield _trimmed(m.start("num"), m.end("num"), masked, "phone")
    for m in scan(_LONG_DIGITS, masked, windows):
        # A long run with no other reading: phone-length runs are most likely phones.
        yield Found(m.start(), m.end(), "phone" if len(m.group()) <= 15 else "id")


def _trimmed(start: int, end: int, text: str, kind: str) -> Found:
    # Patterns may swallow an opening bracket or trailing separator; keep the span on the digits
    # (an opening bracket stays when its number sits inside it: "(050) 765").
    while end > start and not text[end - 1].isdigit() and text[end - 1] != ")":
        end -= 1
    if text[end - 1 : end] == ")" and "(" not in text[start:end]:
        end -= 1
    while start < end and text[start] in " -.":
        start += 1
    return Found(start, end, kind)


def _plausible_phone_end(text: str, start: int, end: int) -> int:
    """Shorten an international number that ran into following digits ("+44 20 7946 0958 17")."""
    cut = end
    while len(_digits(text[start:cut])) >= 8:
        try:
            if phonenumbers.is_possible_number(phonenumbers.parse(text[start:cut], None)):
                return cut
        except phonenumbers.NumberParseException:
            pass
        sep = max(text.rfind(" ", start, cut), text.rfind("-", start, cut))
        if sep <= start:
            break
        cut = sep
    return end


def _find_cards(masked: str, windows: list[tuple[int, int]]) -> Iterator[Found]:
    for m in scan(_CARD, masked, windows):
        digits = _digits(m.group())
        # Luhn tells a card from any long number; four groups of four are a card even with a typo.
        # Other long runs are left to the phone and ID rules.
        if luhn_ok(digits) or _GROUPED16.fullmatch(m.group()):
            yield Found(m.start(), m.end(), "card")


def _find_ibans(masked: str, windows: list[tuple[int, int]]) -> Iterator[Found]:
    for m in scan(_IBAN, masked, windows):
        positions = [m.start() + i for i, c in enumerate(m.group()) if c != " "]
        compact = "".join(c for c in m.group() if c != " ").upper()
        country = compact[:2]
        lengths = (
            [_IBAN_LENGTHS[country]] if country in _IBAN_LENGTHS else range(len(compact), 14, -1)
        )
        for length in lengths:
            if length <= len(compact) and iban_ok(compact[:length]):
                yield Found(m.start(), positions[length - 1] + 1, "iban")
                break
        else:
            if _IBAN_KEYWORD.search(masked, max(0, m.start() - 30), m.start()) or (
                country == "AZ" and len(compact) >= 28 and compact[4:8].isalpha()
            ):
                length = min(len(compact), _IBAN_LENGTHS.get(country, 34))
                yield Found(m.start(), positions[length - 1] + 1, "iban")


def _find_fins(text: str, clusters: list[tuple[int, int]]) -> Iterator[Found]:
    for m in matches_at(_FIN_KEYWORD, text, starts(text, "fin")):
        if any(c.isdigit() for c in m.group("fin")):
            yield Found(m.start("fin"), m.end("fin"), "fin")
    # A bare FIN is a 7-character token around one of the digit runs, mixing letters and digits.
    if _LETTER_BY_DIGIT.search(text) is None:
        return
    seen: set[int] = set()
    for s, e in clusters:
        for pos in (s, e - 1):
            start, end = pos, pos + 1
            while start > 0 and start > pos - 7 and text[start - 1] in _ALNUM:
                start -= 1
            while end < len(text) and end < pos + 8 and text[end] in _ALNUM:
                end += 1
            if end - start == 7 and start not in seen and _FIN_BARE.match(text, start):
                seen.add(start)
                if _looks_like_fin(text[start:end]):
                    yield Found(start, end, "fin")


def _looks_like_fin(token: str) -> bool:
    """A bare 7-character token is a FIN when digits and letters interleave the way FINs do."""
    digits = sum(c.isdigit() for c in token)
    if digits == 0 or digits > 5 or _NOT_FIN_TAIL.fullmatch(token):
        return False
    switches = sum(a.isdigit() != b.isdigit() for a, b in zip(token, token[1:], strict=False))
    if token.islower():
        return switches >= 2 and digits >= 2
    # "5ZXK8PL", "2AB3CD4"; one leading digit before six letters ("6JKLMNP") also occurs.
    # "COVID19", "SDG2030", "ABC1234" (letters then digits) are not FINs.
    return switches >= 2 or (switches == 1 and token[0].isdigit() and digits == 1)


def _find_ids(text: str, masked: str, windows: list[tuple[int, int]]) -> Iterator[Found]:
    for rule in _ID_RULES:
        for m in scan(rule, masked, windows):
            yield Found(m.start(), m.end(), "id")
    for m in matches_at(_ID_KEYWORD, masked, starts(text, "id")):
        yield Found(m.start("id"), m.end("id"), "id")
