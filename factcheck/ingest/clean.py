"""Page text -> kept article paragraphs and removed furniture, each removal with its rule.

Whole paragraphs go, and so do pieces glued to a paragraph. What is kept: the article's
paragraphs and, as paragraph 0, its headline. End markers cut the page after the article, but
never the article itself: a box of links inside it ends when prose resumes, and a marker with
more prose below it than above it is not the page's end.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from factcheck.ingest.boilerplate import (
    _classify,
    _collapse,
    _ends_sentence,
    _gallery,
    _inline_dateline,
    _reads_as_cut_prose,
    _reads_as_headline,
    _trim,
    _Unit,
    _units,
)
from factcheck.ingest.dates import _DASH_END, _strip_page_stamp, parse_date
from factcheck.ingest.rules import (
    _BOX_MARKERS,
    _END_REASONS,
    _HEADING_REASONS,
    _SHAPE_REASONS,
    _TEMPLATE_MARK,
    _TRUNCATION,
    _WEIGHED_END,
)
from factcheck.normalize import normalise


@dataclass
class _Cleaned:
    kept: list[str]
    removed: list[str]
    wire_date: dt.date | None = None
    page_date: dt.date | None = None
    stamp_date: dt.date | None = None  # the page store's leading "date YYYY-MM-DD" stamp
    title: str | None = None
    headline: str | None = None  # kept as ``kept[0]`` when set
    reasons: list[tuple[str, str]] = field(default_factory=list)  # (reason, paragraph)


def _dedupe(paragraphs: list[str]) -> list[bool]:
    """Which paragraphs survive: exact repeats go (the first stays), and so does a paragraph
    contained in the other kept text.

    A page's teaser lead is often the first body paragraphs run together and cut mid-sentence;
    containment in the joined remaining text catches it whatever the cut point. Longest first,
    so the lead goes and the full paragraphs it contains stay, wherever the lead sits.
    """
    keys = [normalise(p) for p in paragraphs]
    seen: set[str] = set()
    alive = [True] * len(paragraphs)
    for i, key in enumerate(keys):
        alive[i] = key not in seen
        seen.add(key)

    def joined() -> tuple[str, dict[int, int]]:
        offsets: dict[int, int] = {}
        pos = 0
        for j, key in enumerate(keys):
            if alive[j]:
                offsets[j] = pos
                pos += len(key) + 1
        return " ".join(k for j, k in enumerate(keys) if alive[j]), offsets

    full, offsets = joined()
    for i in sorted(range(len(keys)), key=lambda j: -len(keys[j])):
        if not alive[i]:
            continue
        probe = _TRUNCATION.sub("", keys[i]).strip()
        if len(probe) < 40:
            continue
        hit = full.find(probe)
        while hit == offsets[i]:  # cheap filter: only its own occurrence so far
            hit = full.find(probe, hit + 1)
        if hit < 0:
            continue
        if probe in " ".join(k for j, k in enumerate(keys) if alive[j] and j != i):
            alive[i] = False
            full, offsets = joined()
    return alive


def _clean(text: str, *, merge_lines: bool = True, title: str | None = None) -> _Cleaned:
    """Split ``text`` into kept paragraphs and removed furniture, each removal with its rule.

    ``title`` is a headline from metadata (a JSON record's ``title``, a page's title); it becomes
    the first paragraph when it reads as a headline, else the page's own headline does (the first
    heading before the body that reads as a claim).
    """
    out = _Cleaned(kept=[], removed=[])
    # (position, text, reason); reason None = kept. Positions keep ``removed`` in page order.
    rows: list[tuple[float, str, str | None]] = []  # one per unit (and inline dateline)
    pieces: list[tuple[float, str, str | None]] = []  # cut off the start, inside or end of units
    text, stamp = _strip_page_stamp(text)
    if stamp is not None:
        pieces.append((-1.0, stamp, "page-store date stamp"))
        out.stamp_date = parse_date(stamp)
    marks = [m.group(0) for m in _TEMPLATE_MARK.finditer(text)]
    if marks:  # before splitting: a template field must not glue two lines together
        pieces.extend((-0.9, mark, "template marker") for mark in marks)
        text = _TEMPLATE_MARK.sub("", text)
    units = _units(text, merge_lines=merge_lines)
    reasons: list[str | None] = []
    for index, unit in enumerate(units):
        reason = _classify(unit)
        trimmed, cut = _trim(unit.text)
        if cut:
            probe = _Unit(trimmed, bullet=unit.bullet, heading=unit.heading)
            again = _classify(probe) if trimmed else "empty"
            # Prose loses its glued furniture; furniture stays whole unless trimming frees a
            # real paragraph (a body paragraph ending in "(AFP)" is not a photo credit).
            freed = (
                reason in _SHAPE_REASONS
                and again is None
                and len(trimmed.split()) >= 8
                and _ends_sentence(trimmed)
            )
            if reason is None or freed:
                unit.text, reason = trimmed, again
                pieces.extend((index + offset, piece, why) for offset, why, piece in cut)
        reasons.append(reason if unit.text else "empty")
    for index in _gallery(units):
        if reasons[index] is None:
            reasons[index] = "gallery caption"

    def prose_after(start: int) -> int:
        """Words of prose after unit ``start``, up to the next end marker or dateline."""
        total = 0
        for j in range(start + 1, len(units)):
            if reasons[j] in _END_REASONS or reasons[j] == "dateline":
                break
            if reasons[j] is None:
                total += len(units[j].text.split())
        return total

    def own_dateline(at: int) -> bool:
        return not dateline_seen and prose_after(at) > body_words

    seen_body = False  # a real prose paragraph has been kept: end markers now end the article
    dateline_seen = False
    body_words = body_paras = 0
    candidates: list[int] = []  # pre-body headings that may be the headline
    byline_seen = False  # the headline sits above the byline: no candidate after "By ..."
    box: tuple[int, str] | None = None  # (index, reason) of a marker heading a box of links
    box_links = 0
    ended: tuple[int, str] | None = None
    for index, unit in enumerate(units):
        reason = reasons[index]
        if reason == "empty":
            continue
        # A dateline after the story has begun starts another story (a teaser). "Begun" needs a
        # first dateline or some length, so one misread caption above the real dateline does not
        # cut the article; a first dateline with more prose below it than above is the
        # article's own (what came before was a standfirst or a banner).
        story_begun = seen_body and (dateline_seen or body_words >= 100 or body_paras >= 3)
        if reason == "dateline" and story_begun and not own_dateline(index):
            reason = "second dateline"
        if reason is None:
            body, dateline, kind = _inline_dateline(unit.text)
            if dateline is not None and story_begun and kind == "weak":
                body, dateline = unit.text, None  # "KESSLING — The port ..." in running text
            if dateline is not None:
                if story_begun and not own_dateline(index):
                    reason = "second dateline"
                elif kind == "dated":
                    # "OSLO, Mar 3 (Reuters) –": its date is part of what the outlet reports
                    # (compared with "on Monday" elsewhere), so it stays, as a line of its own
                    rows.append((index - 0.5, _DASH_END.sub("", dateline), None))
                else:
                    rows.append((index - 0.5, dateline, "dateline"))
                if reason is None:
                    out.wire_date = out.wire_date or parse_date(dateline)
                    dateline_seen = True
            if reason is None:
                if box is not None:
                    if box_links == 0 and prose_after(box[0]) <= body_words:
                        ended = box  # prose right under the marker: a teaser, the page's end
                        break
                    box = None  # the box of links is over: the article goes on
                rows.append((index, body, None))
                seen_body = seen_body or len(body.split()) >= 8
                body_words += len(body.split())
                body_paras += 1
                continue
        if reason == "dateline":
            out.wire_date = out.wire_date or parse_date(unit.text)
            dateline_seen = True
        if seen_body and reason in _END_REASONS:
            if reason in _BOX_MARKERS:
                box, box_links = (index, reason), 0
                rows.append((index, unit.text, reason))
                continue
            if reason not in _WEIGHED_END or prose_after(index) <= body_words:
                ended = (index, reason)
                break
        if box is not None and reason in _HEADING_REASONS | {"navigation", "read-more link"}:
            box_links += 1
            reason = f"link after {box[1]}"
        if (
            reason in _HEADING_REASONS
            and index == len(units) - 1
            and rows
            and rows[-1][2] is None
            and _reads_as_cut_prose(unit.text)
        ):
            rows.append((index, unit.text, None))  # the page ends inside a paragraph
            continue
        rows.append((index, unit.text, reason))
        if not seen_body:
            if reason in ("byline/timestamp", "timestamp"):
                out.page_date = out.page_date or parse_date(unit.text)
                byline_seen = byline_seen or unit.text.lower().startswith("by ")
            elif reason in _HEADING_REASONS and not byline_seen:
                candidates.append(index)
            elif reason in ("navigation", "related links", "read-more link", "read-more marker"):
                candidates = []  # a menu or a list of teasers: the headline comes below it
    if ended is not None:  # the marker and everything after it go
        start, why = ended
        rows = [row for row in rows if row[0] < start]
        rows.extend(
            (i, u.text, f"after {why}" if i > start else why)
            for i, u in enumerate(units)
            if i >= start and u.text
        )
    kept_rows = [row for row in rows if row[2] is None]
    alive = _dedupe([row[1] for row in kept_rows])
    repeated = {row[0] for row, a in zip(kept_rows, alive, strict=True) if not a}
    kept = [para for position, para, reason in rows if reason is None and position not in repeated]
    headline, headline_at = _pick_headline(title, units, candidates)
    if headline is not None and kept and not normalise(kept[0]).startswith(normalise(headline)):
        out.headline = headline  # (when the lead already opens with it, it is not repeated)
        out.kept.append(headline)
    out.title = headline
    out.kept.extend(kept)
    for position, para, reason in sorted(rows + pieces, key=lambda row: row[0]):
        if reason is None and position not in repeated:
            continue
        if position == headline_at and out.headline is not None:
            continue  # kept as the headline paragraph
        why = reason or "repeated"
        if position == headline_at:
            why = "headline repeated in the lead"
        out.removed.append(para)
        out.reasons.append((why, para))
    return out


def _pick_headline(
    title: str | None, units: Sequence[_Unit], candidates: Sequence[int]
) -> tuple[str | None, float | None]:
    """(headline, position of the unit holding it) from metadata or the pre-body headings."""
    if title is not None and _reads_as_headline(_collapse(title), min_words=3):
        headline = _collapse(title)
        key = normalise(headline)
        at = next((float(i) for i in candidates if normalise(units[i].text) == key), None)
        return headline, at
    for i in candidates:
        if _reads_as_headline(units[i].text):
            return units[i].text, float(i)
    return None, None


def clean_paragraphs(text: str) -> tuple[list[str], list[str]]:
    """Split plain text into (kept article paragraphs, removed boilerplate paragraphs).

    The kept paragraphs start with the page's headline when it has one.
    """
    cleaned = _clean(text)
    return cleaned.kept, cleaned.removed
