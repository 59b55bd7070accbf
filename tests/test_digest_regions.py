"""Regions and who is not heard: digest.json against figures recounted here in plain SQL, written
apart from the digest's queries (the documented rules, docs/digest-schema.md), and the population
file read here on its own."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from sqlalchemy import bindparam, text

from fikir.config.channels import TEST_CHANNELS
from fikir.digest.build import build, render_files
from fikir.digest.period import Month
from fikir.runtime import Runtime
from fikir.storage.models import AwareDateTime
from tests.pdf import pdf_text
from tests.test_digest_seed import MONTH, TZ, make_seed, store_seed

K = 5
NOW = datetime(2026, 11, 1, 5, 0, tzinfo=UTC)
POPULATION = Path(__file__).parents[1] / "fikir" / "config" / "population.yaml"
ECONOMIC = (
    "baku", "absheron_khizi", "mountainous_shirvan", "ganja_dashkasan", "karabakh",
    "gazakh_tovuz", "guba_khachmaz", "lankaran_astara", "central_aran", "mil_mughan",
    "shaki_zagatala", "east_zangezur", "nakhchivan", "shirvan_salyan",
)  # fmt: skip

# Each counted message of the month with its writer's month profile (the latest message of the
# month carrying a profile answer, else the writer's record) and one row per goal that counts
# (staff's tags, else the writer's, else the tagger's); goal 0 for a message with none.
RECOUNT = """
WITH m AS (
  SELECT id AS fid, respondent_id AS rid, region, age_band, gender FROM feedback
  WHERE created_at >= :start AND created_at < :end AND channel NOT IN :test
),
latest AS (
  SELECT rid, MAX(CASE WHEN region IS NOT NULL OR age_band IS NOT NULL OR gender IS NOT NULL
                       THEN fid END) AS pid
  FROM m WHERE rid IS NOT NULL GROUP BY rid
),
profile AS (
  SELECT l.rid,
    COALESCE(CASE WHEN l.pid IS NULL THEN r.region ELSE f.region END, 'undisclosed') AS region,
    COALESCE(CASE WHEN l.pid IS NULL THEN r.age_band ELSE f.age_band END, 'undisclosed') AS age,
    COALESCE(CASE WHEN l.pid IS NULL THEN r.gender ELSE f.gender END, 'undisclosed') AS gender
  FROM latest l LEFT JOIN feedback f ON f.id = l.pid LEFT JOIN respondent r ON r.id = l.rid
),
ranked AS (
  SELECT feedback_id, goal,
    CASE source WHEN 'staff' THEN 3 WHEN 'respondent' THEN 2 ELSE 1 END AS rank_
  FROM feedback_tag
),
best AS (SELECT feedback_id, MAX(rank_) AS top FROM ranked GROUP BY feedback_id),
counted AS (
  SELECT DISTINCT t.feedback_id, t.goal FROM ranked t
  JOIN best b ON b.feedback_id = t.feedback_id AND b.top = t.rank_
)
SELECT m.fid, p.rid, p.region, p.age, p.gender, COALESCE(c.goal, 0)
FROM m JOIN profile p ON p.rid = m.rid LEFT JOIN counted c ON c.feedback_id = m.fid
"""


async def recount(runtime: Runtime) -> list[tuple[int, int, str, str, str, int]]:
    start, end = Month.parse(MONTH).bounds(TZ)
    statement = text(RECOUNT).bindparams(
        bindparam("start", start, type_=AwareDateTime()),
        bindparam("end", end, type_=AwareDateTime()),
        bindparam("test", list(TEST_CHANNELS), expanding=True),
    )
    async with runtime.sessions() as session:
        rows = (await (await session.connection()).execute(statement)).all()
    return [(int(a), int(b), str(c), str(d), str(e), int(f)) for a, b, c, d, e, f in rows]


@pytest.fixture
async def data(runtime: Runtime) -> dict[str, object]:
    async with runtime.sessions() as session, session.begin():
        await store_seed(session, make_seed())
    doc = await build(runtime, MONTH, NOW)
    return json.loads(doc.to_json())  # type: ignore[no-any-return]


async def test_regions_agree_with_an_independent_recount(
    runtime: Runtime, data: dict[str, object]
) -> None:
    rows = await recount(runtime)
    region_people: dict[str, set[int]] = defaultdict(set)
    cell_people: dict[tuple[str, int], set[int]] = defaultdict(set)
    message_goals: dict[int, set[int]] = defaultdict(set)
    message_of: dict[int, tuple[int, str]] = {}
    for fid, rid, region, _, _, goal in rows:
        region_people[region].add(rid)
        message_of[fid] = (rid, region)
        if goal:
            cell_people[(region, goal)].add(rid)
            message_goals[fid].add(goal)
    regions = {r["region"]: r for r in data["regions"]}  # type: ignore[attr-defined]
    assert list(regions) == list(ECONOMIC), "every economic region, in the configured order"
    shown_breakdown = {c["key"]: c for c in data["breakdowns"]["region"]["cells"]}  # type: ignore[index]
    published: set[tuple[str, int]] = set()
    for code, figure in regions.items():
        if code not in shown_breakdown:
            # Under k, or merged into "other": the tile says nothing at all.
            assert figure["respondents"] is None and figure["goals"] == [], code
            continue
        assert figure["respondents"] == len(region_people[code]) >= K, code
        assert figure["respondents"] == shown_breakdown[code]["respondents"]
        ranks = []
        for goal in figure["goals"]:
            people = len(cell_people[(code, goal["goal"])])
            assert goal["respondents"] == people >= K, (code, goal)
            assert goal["share"] == pytest.approx(people / figure["respondents"], abs=1e-4)
            assert goal["share"] <= 1.0
            published.add((code, goal["goal"]))
            ranks.append((goal["rank"], -people))
        # Most people first; equal counts share a rank.
        assert ranks == sorted(ranks)
        for (rank, n), (other_rank, other_n) in zip(ranks, ranks[1:], strict=False):
            assert (rank == other_rank) == (n == other_n)
    assert published, "the seed has regional goals of k people; some must be shown"
    hidden = {cell for cell, p in cell_people.items() if len(p) >= K and cell[0] in shown_breakdown}
    hidden -= published

    # Subtraction: for a shown region, its people minus those its shown goals cover; for a shown
    # goal, its people minus those of its shown regions: never 1..k-1 people.
    def residual(keep: object) -> int:
        return len({rid for fid, (rid, region) in message_of.items() if keep(fid, region)})  # type: ignore[operator]

    for code in shown_breakdown:
        if code not in ECONOMIC:
            continue
        covered = {g for (r, g) in published if r == code}
        left = residual(
            lambda fid, region, c=code, s=covered: region == c and not (message_goals[fid] & s)
        )
        assert left == 0 or left >= K, (code, left)
    for goal in (g["goal"] for g in data["goals"]):  # type: ignore[attr-defined]
        heard = {r for (r, g) in published if g == goal}
        left = residual(
            lambda fid, region, g=goal, h=heard: g in message_goals[fid] and region not in h
        )
        assert left == 0 or left >= K, (goal, left)
    # A cell of k people is left out only for that reason (or none is left out).
    assert all(len(cell_people[cell]) >= K for cell in hidden)


async def test_representation_agrees_with_an_independent_recount(
    runtime: Runtime, data: dict[str, object]
) -> None:
    rows = await recount(runtime)
    people: dict[str, dict[str, set[int]]] = {"region": {}, "age_band": {}, "gender": {}}
    for _, rid, region, age, gender, _ in rows:
        for dimension, key in (("region", region), ("age_band", age), ("gender", gender)):
            people[dimension].setdefault(key, set()).add(rid)
    source = yaml.safe_load(POPULATION.read_text(encoding="utf-8"))
    residents = {
        "region": source["regions"],
        "age_band": {a: sum(by.values()) for a, by in source["age_gender"].items()},
        "gender": {
            g: sum(by[g] for by in source["age_gender"].values()) for g in ("female", "male")
        },
    }
    block = data["representation"]
    assert block["population"] == {  # type: ignore[index]
        "source": source["source"], "year": source["year"], "verified": source["verified"],
    }  # fmt: skip
    for dimension, table in block["dimensions"].items():  # type: ignore[index]
        shown = {c["key"] for c in data["breakdowns"][dimension]["cells"]}  # type: ignore[index]
        rates = {}
        for row in table:
            key = row["key"]
            assert row["population"] == residents[dimension][key]
            if key not in shown:
                assert row["respondents"] is row["per_10k"] is row["ratio"] is None
                continue
            n = len(people[dimension][key])
            assert row["respondents"] == n >= K
            assert row["per_10k"] == pytest.approx(n / row["population"] * 10_000, abs=1e-3)
            rates[key] = (n, row["population"], row["ratio"])
        assert rates, dimension
        average = sum(n for n, _, _ in rates.values()) / sum(p for _, p, _ in rates.values())
        for key, (n, population, ratio) in rates.items():
            assert ratio == pytest.approx(n / population / average, abs=1e-3), (dimension, key)


TITLES = {
    "en": ("Leading goals by region", "Who is not heard", "Leading goal by region"),
    "az": ("Bölgələr üzrə öndə gedən məqsədlər", "Kimin səsi eşidilmir", "Bölgələr üzrə öndə"),
    "ru": ("Главные цели по регионам", "Кого не слышно", "Главная цель по регионам"),
}


async def test_regions_and_who_is_not_heard_in_html_pdf_and_text(
    sqlite_runtime: Runtime, tmp_path: Path
) -> None:
    async with sqlite_runtime.sessions() as session, session.begin():
        await store_seed(session, make_seed())
    doc = await build(sqlite_runtime, MONTH, NOW)
    files = await render_files(doc, tmp_path / "out", ("en", "az", "ru"))
    baku = next(r for r in doc.regions if r.region == "baku")
    for lang, (regions_title, unheard_title, summary_line) in TITLES.items():
        rendered = files[lang]
        html = rendered.html.read_text(encoding="utf-8")
        assert regions_title in html and unheard_title in html, lang
        assert rendered.charts.cartogram is not None and rendered.charts.cartogram.is_file()
        # The chart's figures are in the page as text too (its alternative).
        assert 'id="regions-table"' in html
        pdf = " ".join(pdf_text(rendered.pdf).split())
        assert " ".join(unheard_title.split()) in pdf, lang
        assert str(baku.respondents) in pdf
        assert summary_line in rendered.summary, lang
    # The unverified population figures are flagged wherever they are used.
    assert "have not been checked" in files["en"].html.read_text(encoding="utf-8")
