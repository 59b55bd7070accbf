"""Azerbaijan's 14 economic regions (2021 reform) plus the two answers that are not a region."""

from __future__ import annotations

from fikir.config.markers import N_

# Codes are stable identifiers stored in the database; labels are msgids translated per language.
REGIONS: tuple[tuple[str, str], ...] = (
    ("baku", N_("Baku")),
    ("absheron_khizi", N_("Absheron-Khizi")),
    ("mountainous_shirvan", N_("Mountainous Shirvan")),
    ("ganja_dashkasan", N_("Ganja-Dashkasan")),
    ("karabakh", N_("Karabakh")),
    ("gazakh_tovuz", N_("Gazakh-Tovuz")),
    ("guba_khachmaz", N_("Guba-Khachmaz")),
    ("lankaran_astara", N_("Lankaran-Astara")),
    ("central_aran", N_("Central Aran")),
    ("mil_mughan", N_("Mil-Mughan")),
    ("shaki_zagatala", N_("Shaki-Zagatala")),
    ("east_zangezur", N_("East Zangezur")),
    ("nakhchivan", N_("Nakhchivan")),
    ("shirvan_salyan", N_("Shirvan-Salyan")),
    ("abroad", N_("Abroad")),
    ("undisclosed", N_("Prefer not to say")),
)
REGION_CODES: tuple[str, ...] = tuple(code for code, _ in REGIONS)
REGION_LABELS: dict[str, str] = dict(REGIONS)

AGE_BANDS: tuple[tuple[str, str], ...] = (
    ("under_18", N_("Under 18")),
    ("18_24", N_("18–24")),
    ("25_34", N_("25–34")),
    ("35_54", N_("35–54")),
    ("55_plus", N_("55 or older")),
    ("undisclosed", N_("Prefer not to say")),
)
AGE_BAND_LABELS: dict[str, str] = dict(AGE_BANDS)

GENDERS: tuple[tuple[str, str], ...] = (
    ("female", N_("Woman")),
    ("male", N_("Man")),
    ("undisclosed", N_("Prefer not to say")),
)
GENDER_LABELS: dict[str, str] = dict(GENDERS)
