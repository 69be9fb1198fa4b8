#!/usr/bin/env python3
"""Validate the demo web's article corpus (crawler/demoweb/stories.toml) and print a summary.

    python tests/storycheck.py [PATH]      # default: the bundled stories.toml

Stdlib only (Python 3.11+). Exit status 1 when any rule is broken; every violation is listed.
"""

from __future__ import annotations

import collections
import datetime as dt
import itertools
import pathlib
import re
import sys
import tomllib
import unicodedata

SITES = ("utility", "portal", "daily")
ROLES = {"通讯员", "记者", "本报记者", "作者"}
UNITS = {
    "satisfaction_rank": "rank",
    "satisfaction_streak": "years",
    "satisfaction_score": "points",
    "outage_hours": "hours",
    "reliability_rate": "percent",
    "connection_days": "days",
    "noncash_payment_rate": "percent",
    "peak_load_mw": "MW",
    "consumption_gwh": "GWh",
    "investment_cny": "CNY",
}
INT_KINDS = {"satisfaction_rank", "satisfaction_streak", "investment_cny"}
TRAPS = {"shared-boilerplate", "shared-opening", "contains"}
STORY_KEYS = {
    "id",
    "site",
    "published",
    "section",
    "title",
    "subtitle",
    "authors",
    "author_role",
    "source",
    "editor",
    "paragraphs",
    "captions",
    "credits",
    "trap",
    "contains",
    "facts",
    "non_facts",
    "republished",
    "based_on",
}
REQUIRED = (
    "id",
    "site",
    "published",
    "section",
    "title",
    "authors",
    "author_role",
    "source",
    "paragraphs",
    "facts",
    "non_facts",
)
REPUB_KEYS = {"site", "published", "section", "title", "source", "editor", "drop", "edits", "prefix"}
FACT_KEYS = {"kind", "subject", "subject_aliases", "region", "year", "value", "unit", "evidence"}
TIME_FMT = "%Y-%m-%d %H:%M:%S"
FIRST, LAST = dt.datetime(2016, 1, 1), dt.datetime(2024, 12, 31, 23, 59, 59)
PLAN_WORDS = ("计划", "预计", "力争", "目标", "预测")
MIN_STORIES, MIN_PAGES, MIN_PER_KIND = 26, 45, 3
BODY_MIN, BODY_MAX = 300, 1500
SENTENCE_MIN = 14  # shorter sentences (一句引语, 会议套话) may legitimately recur
MAX_EDIT = 20  # "small" edit: a word or phrase

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
NUM = r"(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十]+)"

errors: list[str] = []


def fail(msg: str) -> None:
    errors.append(msg)


def cn_number(text: str) -> float:
    """Arabic or Chinese numeral (up to 99) as a number."""
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    if "十" in text:
        tens, _, units = text.partition("十")
        return CN_DIGITS.get(tens, 1) * 10 + (CN_DIGITS[units] if units else 0)
    return float(CN_DIGITS[text]) if text in CN_DIGITS else float("nan")


def numbers(pattern: str, text: str, scale: float = 1.0) -> set[float]:
    return {cn_number(m.group(1)) * scale for m in re.finditer(pattern, text)}


def values_stated(kind: str, ev: str) -> set[float]:
    """Values of `kind` that the evidence text states, normalised to the schema unit."""
    found: set[float] = set()
    if kind == "satisfaction_rank":
        if re.search(r"第一|榜首|首位|夺魁|桂冠|冠", ev):
            found.add(1.0)
        found |= numbers(r"第" + NUM + "[名位]", ev) | numbers(r"前" + NUM + "名", ev)
        found |= numbers(NUM + r"个位次", ev)
    elif kind == "satisfaction_streak":
        found |= numbers(r"连续" + NUM + "年", ev) | numbers(NUM + "连冠", ev)
    elif kind == "satisfaction_score":
        found |= numbers(r"(\d+(?:\.\d+)?)分(?!钟)", ev)
    elif kind == "outage_hours":
        found |= numbers(r"(\d+(?:\.\d+)?)小时(?!\d)", ev)
        found |= numbers(r"(\d+(?:\.\d+)?)分钟", ev, 1 / 60)
        for m in re.finditer(r"(\d+)小时(\d+)分钟", ev):
            found.add(int(m.group(1)) + int(m.group(2)) / 60)
    elif kind == "connection_days":
        found |= numbers(NUM + r"天", ev) | numbers(NUM + r"个?工作日", ev)
    elif kind == "peak_load_mw":
        found |= numbers(NUM + r"万千瓦(?!时)", ev, 10) | numbers(NUM + r"亿千瓦(?!时)", ev, 1e5)
        found |= numbers(NUM + r"兆瓦", ev)
    elif kind == "consumption_gwh":
        found |= numbers(NUM + r"亿千瓦时", ev, 100) | numbers(NUM + r"万千瓦时", ev, 0.01)
    elif kind == "investment_cny":
        found |= numbers(NUM + r"亿元", ev, 1e8) | numbers(NUM + r"万元", ev, 1e4)
    if kind in ("reliability_rate", "noncash_payment_rate") or kind not in UNITS:
        found |= numbers(r"(\d+(?:\.\d+)?)%", ev)
    return found


def stated_as_change(ev: str) -> set[float]:
    """Percentages and percentage points, which a non-fact may record for any kind."""
    return numbers(r"(\d+(?:\.\d+)?)%", ev) | numbers(r"(\d+(?:\.\d+)?)个百分点", ev)


def close(a: float, b: float, rel: float = 0.002) -> bool:
    return abs(a - b) <= rel * max(abs(a), abs(b)) + 1e-9


def parse_time(text: object, where: str) -> dt.datetime | None:
    try:
        when = dt.datetime.strptime(str(text), TIME_FMT)
    except ValueError:
        fail(f"{where}: published {text!r} is not 'YYYY-MM-DD HH:MM:SS'")
        return None
    if not FIRST <= when <= LAST:
        fail(f"{where}: published {text} outside 2016–2024")
    return when


def body_chars(paragraphs: list[str]) -> int:
    return sum(len(re.sub(r"\s", "", p)) for p in paragraphs)


def han_chars(text: str) -> int:
    return sum("\u4e00" <= c <= "\u9fff" for c in text)


def cjk_share(text: str) -> float:
    chars = [c for c in text if not c.isspace()]
    return sum("\u4e00" <= c <= "\u9fff" for c in chars) / max(len(chars), 1)


def check_annotation(story: dict, ann: dict, where: str, is_fact: bool) -> None:
    unknown = set(ann) - FACT_KEYS - {"reason"}
    if unknown:
        fail(f"{where}: unknown keys {sorted(unknown)}")
    for key in ("kind", "subject", "value", "unit", "evidence"):
        if key not in ann:
            fail(f"{where}: missing {key}")
            return
    kind, value, ev = ann["kind"], ann["value"], ann["evidence"]
    if kind not in UNITS:
        fail(f"{where}: unknown kind {kind!r}")
        return
    if not is_fact and not str(ann.get("reason", "")).strip():
        fail(f"{where}: non-fact without reason")
    unit_ok = ann["unit"] == UNITS[kind] or (not is_fact and ann["unit"] == "percent")
    if not unit_ok:
        fail(f"{where}: unit {ann['unit']!r} is not {UNITS[kind]!r}")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        fail(f"{where}: value {value!r} is not a number")
        return
    if is_fact and kind in INT_KINDS and not isinstance(value, int):
        fail(f"{where}: {kind} value must be an integer")
    year = ann.get("year")
    if year is not None and not (isinstance(year, int) and 2000 <= year <= 2030):
        fail(f"{where}: year {year!r} out of range")
    if is_fact and year is not None and year > int(story["published"][:4]):
        fail(f"{where}: fact year {year} after publication")
    if not any(ev in text for text in [story["title"], *story["paragraphs"]]):
        fail(f"{where}: evidence not found in title or paragraphs: {ev}")
    if is_fact and any(w in ev for w in PLAN_WORDS):
        fail(f"{where}: fact evidence reads like a plan or forecast: {ev}")
    if ann["subject"] not in NAMES:
        fail(f"{where}: subject {ann['subject']!r} not in [names].utilities")
    stated = values_stated(kind, ev)
    if not is_fact:
        stated |= stated_as_change(ev)
    if not any(close(float(value), s) for s in stated):
        fail(f"{where}: value {value} not stated by evidence {ev!r} (found {sorted(stated)})")


def fact_key(f: dict) -> tuple:
    return (f["kind"], f["subject"], float(f["value"]))


def check_story(story: dict, where: str) -> None:
    unknown = set(story) - STORY_KEYS
    if unknown:
        fail(f"{where}: unknown keys {sorted(unknown)}")
    for key in REQUIRED:
        if key not in story:
            fail(f"{where}: missing {key}")
    if any(key not in story for key in REQUIRED):
        return
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", story["id"]):
        fail(f"{where}: id is not ascii kebab-case")
    if story["site"] not in SITES:
        fail(f"{where}: site {story['site']!r} invalid")
        return
    if story["section"] not in SITE_SECTIONS[story["site"]]:
        fail(f"{where}: section {story['section']!r} not a section of {story['site']}")
    if story["author_role"] not in ROLES:
        fail(f"{where}: author_role {story['author_role']!r} invalid")
    parse_time(story["published"], where)
    paras = story["paragraphs"]
    if not 4 <= len(paras) <= 10:
        fail(f"{where}: {len(paras)} paragraphs (4–10 required)")
    for i, p in enumerate(paras):
        if not isinstance(p, str) or not p.strip() or p != p.strip():
            fail(f"{where}: paragraph {i} empty or padded with whitespace")
        if re.search(r"lorem|ipsum|TODO|XXX", p, re.I):
            fail(f"{where}: paragraph {i} holds placeholder text")
    n, han = body_chars(paras), han_chars("".join(paras))
    if han < BODY_MIN or n > BODY_MAX:
        fail(f"{where}: body has {han} Chinese characters, {n} in all ({BODY_MIN}–{BODY_MAX} required)")
    if cjk_share("".join(paras)) < 0.6:
        fail(f"{where}: body is not mostly Chinese text")
    for extra in ("captions", "credits"):
        for line in story.get(extra, []):
            if not line.startswith("■"):
                fail(f"{where}: {extra} line does not start with ■: {line}")
    if story.get("trap", "") and story["trap"] not in TRAPS:
        fail(f"{where}: trap {story['trap']!r} not one of {sorted(TRAPS)}")
    if bool(story.get("contains")) != (story.get("trap") == "contains"):
        fail(f"{where}: `contains` and trap = 'contains' go together")
    seen = set()
    for j, f in enumerate(story["facts"]):
        check_annotation(story, f, f"{where} fact {j}", True)
        if all(k in f for k in ("kind", "subject", "value")):
            if fact_key(f) in seen:
                fail(f"{where} fact {j}: duplicate (kind, subject, value)")
            seen.add(fact_key(f))
    for j, f in enumerate(story["non_facts"]):
        check_annotation(story, f, f"{where} non-fact {j}", False)
        if all(k in f for k in ("kind", "subject", "value")) and any(
            f["kind"] == g["kind"]
            and f["subject"] == g["subject"]
            and close(float(f["value"]), float(g["value"]), 0.01)
            for g in story["facts"]
        ):
            if any(f["evidence"] == g["evidence"] and fact_key(f) == fact_key(g) for g in story["facts"]):
                fail(f"{where} non-fact {j}: the same statement is also annotated as a fact")
            AMBIGUOUS.append(f"{story['id']}: {f['kind']} {f['value']}")


def render(story: dict, rep: dict, where: str) -> list[str] | None:
    """Paragraphs of a republication, or None when its encoding is broken."""
    paras = story["paragraphs"]
    drop = rep.get("drop", [])
    if any(not isinstance(i, int) or not 0 <= i < len(paras) for i in drop) or len(set(drop)) != len(drop):
        fail(f"{where}: drop {drop} has invalid or repeated indexes")
        return None
    kept = [p for i, p in enumerate(paras) if i not in drop]
    if len(kept) < 3:
        fail(f"{where}: keeps only {len(kept)} paragraphs")
    for i in drop:
        for f in story["facts"]:
            if f["evidence"] in paras[i]:
                fail(f"{where}: dropped paragraph {i} holds the evidence of a fact: {f['evidence']}")
    edits = rep.get("edits", [])
    if not 1 <= len(edits) <= 4:
        fail(f"{where}: {len(edits)} edits (1–4 required)")
    for pair in edits:
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(s, str) for s in pair)):
            fail(f"{where}: edit {pair!r} is not [from, to]")
            return None
        src, dst = pair
        if src == dst or not src or len(src) > MAX_EDIT or len(dst) > MAX_EDIT + 4:
            fail(f"{where}: edit {pair} is not a small change of a word or phrase")
        if re.findall(r"\d+(?:\.\d+)?", src) != re.findall(r"\d+(?:\.\d+)?", dst):
            fail(f"{where}: edit {pair} changes a number")
        hits = sum(p.count(src) for p in kept)
        if hits != 1:
            fail(f"{where}: edit source {src!r} occurs {hits} times in the kept paragraphs (exactly 1 required)")
            continue
        kept = [p.replace(src, dst) for p in kept]
    before = [p for i, p in enumerate(paras) if i not in drop]
    for ann in story["facts"] + story["non_facts"]:
        ev = ann["evidence"]
        if any(ev in p for p in before) and not any(ev in p for p in kept):
            fail(f"{where}: an edit breaks evidence {ev!r}")
    return kept


def check_republications(story: dict, where: str, original: dt.datetime | None) -> list[list[str]]:
    reps = story.get("republished", [])
    pages = []
    titles = {story["title"]}
    sites_seen = set()
    for k, rep in enumerate(reps):
        w = f"{where} republication {k}"
        unknown = set(rep) - REPUB_KEYS
        if unknown:
            fail(f"{w}: unknown keys {sorted(unknown)}")
        for key in ("site", "published", "title", "source", "section", "edits"):
            if key not in rep:
                fail(f"{w}: missing {key}")
        site = rep.get("site")
        if site not in SITES or site == story["site"] or site in sites_seen:
            fail(f"{w}: site {site!r} invalid, the original's, or repeated")
            continue
        sites_seen.add(site)
        if rep.get("section") not in SITE_SECTIONS[site]:
            fail(f"{w}: section {rep.get('section')!r} not a section of {site}")
        if rep.get("title") in titles:
            fail(f"{w}: title repeats the original's or another republication's")
        titles.add(rep.get("title"))
        when = parse_time(rep.get("published"), w)
        if when and original and not (original <= when and (when.date() - original.date()).days <= 3):
            fail(f"{w}: published {when} not 0–3 days after the original {original}")
        if "prefix" in rep and site != "portal":
            fail(f"{w}: prefix is a portal habit")
        kept = render(story, rep, w)
        if kept is not None:
            pages.append(kept)
            for f in story["facts"]:
                if not any(f["evidence"] in p for p in kept) and f["evidence"] not in rep["title"]:
                    fail(f"{w}: fact evidence lost in the republished text: {f['evidence']}")
    if reps and len(story["paragraphs"]) > 1 and not any(rep.get("drop") for rep in reps):
        fail(f"{where}: no republication drops a paragraph")
    return pages


def sentences(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text)
    return [s.strip() for s in re.split(r"[。!?;\n]", text) if len(s.strip()) >= SENTENCE_MIN]


def check_traps(stories: list[dict]) -> dict[str, list[str]]:
    by_trap = collections.defaultdict(list)
    for s in stories:
        if s.get("trap"):
            by_trap[s["trap"]].append(s)
    allowed: set[frozenset] = set()
    for trap, want_site, same in (("shared-boilerplate", "daily", None), ("shared-opening", "utility", 0)):
        pair = by_trap.get(trap, [])
        if len(pair) != 2:
            fail(f"trap {trap}: {len(pair)} stories marked (exactly 2 required)")
            continue
        a, b = pair
        allowed.add(frozenset((a["id"], b["id"])))
        if {a["site"], b["site"]} != {want_site}:
            fail(f"trap {trap}: both stories must be {want_site} stories")
        shared = [p for p in a["paragraphs"] if p in b["paragraphs"]]
        if len(shared) != 1:
            fail(f"trap {trap}: {a['id']} and {b['id']} share {len(shared)} paragraphs (exactly 1 required)")
            continue
        block = shared[0]
        if same is not None and not (a["paragraphs"][same] == b["paragraphs"][same] == block):
            fail(f"trap {trap}: the shared paragraph is not the opening of both")
        if trap == "shared-boilerplate" and (len(block) < 150 or len(re.findall(r"。", block)) < 4):
            fail(f"trap {trap}: shared block is not a long (≥150 chars, ≥4 sentences) boilerplate")
        rest_a = "".join(p for p in a["paragraphs"] if p != block)
        rest_b = "".join(p for p in b["paragraphs"] if p != block)
        sim = jaccard(rest_a, rest_b)
        if sim > 0.15 or a["title"] == b["title"]:
            fail(f"trap {trap}: apart from the shared block the stories are too alike ({sim:.2f})")
    containers = by_trap.get("contains", [])
    if not containers:
        fail("trap contains: no story marked")
    ids = {s["id"]: s for s in stories}
    for c in containers:
        target = ids.get(c.get("contains", ""))
        if target is None:
            fail(f"trap contains: {c['id']} names unknown story {c.get('contains')!r}")
            continue
        allowed.add(frozenset((c["id"], target["id"])))
        tp, cp = target["paragraphs"], c["paragraphs"]
        starts = [i for i in range(len(cp) - len(tp) + 1) if cp[i : i + len(tp)] == tp]
        if not starts:
            fail(f"trap contains: {target['id']}'s paragraphs are not all in {c['id']}, verbatim and in order")
        elif starts[0] == 0 or starts[0] + len(tp) == len(cp):
            fail(f"trap contains: {c['id']} needs its own paragraphs before and after the quoted story")
        if c["site"] != "portal" or target["site"] != "utility":
            fail(f"trap contains: {c['id']} must be a portal story quoting a utility release")
        missing = {fact_key(f) for f in target["facts"]} - {fact_key(f) for f in c["facts"]}
        if missing:
            fail(f"trap contains: {c['id']} lacks the quoted story's facts {sorted(missing)}")
    return {"allowed": allowed, "by_trap": {k: [s["id"] for s in v] for k, v in by_trap.items()}}


def shingles(text: str, n: int = 5) -> set[str]:
    text = re.sub(r"\W", "", unicodedata.normalize("NFKC", text))
    return {text[i : i + n] for i in range(max(len(text) - n + 1, 1))}


def jaccard(a: str, b: str) -> float:
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / max(len(sa | sb), 1)


def check_repeats(stories: list[dict], allowed: set[frozenset]) -> None:
    where = collections.defaultdict(set)
    for s in stories:
        for p in s["paragraphs"]:
            for sent in sentences(p):
                where[sent].add(s["id"])
    for sent, ids in where.items():
        if len(ids) > 1 and not any(frozenset(pair) in allowed for pair in itertools.combinations(ids, 2)):
            fail(f"sentence repeated across {sorted(ids)}: {sent}")
    for a, b in itertools.combinations(stories, 2):
        if frozenset((a["id"], b["id"])) in allowed:
            continue
        sim = jaccard("".join(a["paragraphs"]), "".join(b["paragraphs"]))
        if sim > 0.2:
            fail(f"stories {a['id']} and {b['id']} are near duplicates ({sim:.2f}) without a trap")


def ascii_punctuated(story: dict) -> bool:
    body = "".join(story["paragraphs"])
    return len(re.findall(r"[\u4e00-\u9fff],[\u4e00-\u9fff\d“]", body)) >= 3 and "，" not in body


def main(argv: list[str]) -> int:
    bundled = pathlib.Path(__file__).parent.parent / "crawler" / "demoweb" / "stories.toml"
    path = pathlib.Path(argv[1]) if len(argv) > 1 else bundled
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        print(f"cannot load {path}: {exc}")
        return 1
    global SITE_SECTIONS, NAMES
    SITE_SECTIONS = {s: set(data.get("sites", {}).get(s, {}).get("sections", [])) for s in SITES}
    NAMES = set(data.get("names", {}).get("utilities", []))
    stories = data.get("stories", [])
    ids = [s.get("id") for s in stories]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        fail(f"id {dup!r} used more than once")

    pages = collections.Counter()
    originals = collections.Counter()
    repub_by = collections.defaultdict(set)
    kinds = collections.Counter()
    chars = 0
    for n, s in enumerate(stories):
        where = f"story {s.get('id', n)}"
        check_story(s, where)
        if any(k not in s for k in REQUIRED) or s["site"] not in SITES:
            continue
        originals[s["site"]] += 1
        pages[s["site"]] += 1
        chars += body_chars(s["paragraphs"])
        original = parse_time(s["published"], where)
        for kept in check_republications(s, where, original):
            chars += body_chars(kept)
        for rep in s.get("republished", []):
            if rep.get("site") in SITES:
                pages[rep["site"]] += 1
                repub_by[s["id"]].add(rep["site"])
        for f in s["facts"]:
            kinds[f.get("kind")] += 1
    valid = [s for s in stories if all(k in s for k in REQUIRED)]
    traps = check_traps(valid)
    check_repeats(valid, traps["allowed"])

    titles = [s["title"] for s in valid] + [r.get("title") for s in valid for r in s.get("republished", [])]
    for dup in sorted({t for t in titles if titles.count(t) > 1}):
        fail(f"title used by more than one page: {dup}")

    releases = [s["id"] for s in valid if s["site"] == "utility"]
    by_portal = [i for i in releases if "portal" in repub_by[i]]
    by_daily = [i for i in releases if "daily" in repub_by[i]]
    by_both = [i for i in by_portal if i in by_daily]
    ascii_style = [s["id"] for s in valid if ascii_punctuated(s)]
    total_pages = sum(pages.values())
    for cond, msg in (
        (len(valid) >= MIN_STORIES, f"{len(valid)} stories (≥{MIN_STORIES} required)"),
        (total_pages >= MIN_PAGES, f"{total_pages} pages (≥{MIN_PAGES} required)"),
        (originals["utility"] >= 12, f"{originals['utility']} utility releases (≥12 required)"),
        (originals["portal"] >= 7, f"{originals['portal']} portal items (≥7 required)"),
        (originals["daily"] >= 7, f"{originals['daily']} daily features (≥7 required)"),
        (len(by_portal) >= 7, f"{len(by_portal)} releases republished by the portal (≥7 required)"),
        (len(by_daily) >= 5, f"{len(by_daily)} releases republished by the daily (≥5 required)"),
        (len(by_both) >= 4, f"{len(by_both)} releases republished by both (≥4 required)"),
        (len(ascii_style) >= 4, f"{len(ascii_style)} stories in ASCII-comma style (≥4 required)"),
    ):
        if not cond:
            fail(msg)
    for kind in UNITS:
        if kinds[kind] < MIN_PER_KIND:
            fail(f"kind {kind}: {kinds[kind]} facts (≥{MIN_PER_KIND} required)")

    n_facts = sum(len(s["facts"]) for s in valid)
    n_non = sum(len(s["non_facts"]) for s in valid)
    print(
        f"stories: {len(valid)}  (utility {originals['utility']}, portal {originals['portal']}, "
        f"daily {originals['daily']})"
    )
    print(
        f"pages:   {total_pages}  (utility {pages['utility']}, portal {pages['portal']}, "
        f"daily {pages['daily']}; republications {total_pages - len(valid)})"
    )
    print(f"releases republished: portal {len(by_portal)}, daily {len(by_daily)}, both {len(by_both)}")
    print(
        f"facts:   {n_facts}  non-facts: {n_non}  (non-facts within the scorer's tolerance of a fact "
        f"of the same story, e.g. sub-dimension ranks: {len(AMBIGUOUS)})"
    )
    for kind in UNITS:
        print(f"  {kind:<22}{kinds[kind]:>4}")
    print(f"characters (body, all pages): {chars}; originals only: {sum(body_chars(s['paragraphs']) for s in valid)}")
    print(f"ASCII-comma stories: {len(ascii_style)} ({', '.join(ascii_style)})")
    for trap, members in sorted(traps["by_trap"].items()):
        extra = (
            [f"{m} contains {next(s['contains'] for s in valid if s['id'] == m)}" for m in members]
            if trap == "contains"
            else members
        )
        print(f"trap {trap}: {', '.join(extra)}")
    if errors:
        print(f"\n{len(errors)} violation(s):")
        for e in errors:
            print(f"  - {e}")
        return 1
    print("\nOK: all rules hold")
    return 0


SITE_SECTIONS: dict[str, set[str]] = {}
NAMES: set[str] = set()
AMBIGUOUS: list[str] = []  # non-facts the scorer's 1 % tolerance cannot tell from a fact (informational)

if __name__ == "__main__":
    sys.exit(main(sys.argv))
