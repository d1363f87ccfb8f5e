"""What each paragraph of a page is: article prose, or furniture with the rule that says so.

Text is split into candidate paragraphs (``_units``), each is classified (``_classify``) and
cut of furniture glued to it (``_trim``); ``factcheck.ingest.clean`` decides from these verdicts
where the article starts and ends.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from factcheck.ingest.dates import _DATED, _DATELINE, _TIMESTAMP, parse_date
from factcheck.ingest.rules import (
    _APPEAL,
    _BULLET,
    _BYLINE,
    _CAPTION,
    _COMMENT_FORM,
    _CONJUNCTION_START,
    _COOKIE,
    _COPYRIGHT,
    _CREDIT_LINE,
    _CREDIT_TAIL,
    _DISCLAIMER,
    _DONATION_HINTS,
    _DONATION_STRONG,
    _DONATION_WEAK,
    _EMBED_TAIL,
    _FLASH_LABEL,
    _GLUED_LABEL,
    _JOINING_WORDS,
    _MD_HEADING,
    _MD_IMAGE,
    _MD_LINK,
    _NAV_SEPARATORS,
    _NAV_WORDS,
    _NEWSLETTER,
    _PHOTO_LEAD,
    _PROSE_QUESTION,
    _PROSE_WORDS,
    _QUOTE_CHARS,
    _READ_MORE,
    _RELATED,
    _SELF_REF,
    _SENT_PUNCT_INSIDE,
    _SHARE,
    _SHORT_LINK,
    _SPACES,
    _SYNDICATION_TAG,
    _TAIL,
    _TEASER_END,
    _TERMINAL,
    _TICKER,
    _TRAIL_TAG,
    _VIDEO_TIME,
    _WIRE_SLUG,
    _ZERO_WIDTH,
)


@dataclass
class _Unit:
    """One candidate paragraph: a line, or a block of hard-wrapped lines joined."""

    text: str
    bullet: bool = False
    heading: bool = False


def _collapse(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _ends_sentence(text: str) -> bool:
    return bool(_TERMINAL.search(text[-12:]))  # the tail is enough: avoids an O(n) scan


def _is_wrapped(lines: list[str]) -> bool:
    """True when a block is one paragraph hard-wrapped at a fixed width (e-mail style)."""
    if len(lines) < 2:
        return False
    width = max(len(line) for line in lines)
    if not 40 <= width <= 100:
        return False
    for line, nxt in itertools.pairwise(lines):
        first = nxt.split()[0] if nxt.split() else ""
        if len(line) + 1 + len(first) <= width or len(line) < 30:
            return False  # the next word would have fitted: a real line break
    return _ends_sentence(lines[-1]) or bool(_SENT_PUNCT_INSIDE.search(" ".join(lines)))


def _units(text: str, *, merge_lines: bool) -> list[_Unit]:
    """Split text into candidate paragraphs (lines), re-joining hard-wrapped lines.

    In plain text a line that starts lower-case continues the previous line when that line does
    not end a sentence, even across a blank line ("Opposition leader Mira Solberg" /
    "was detained at ..."): a paragraph broken by the page layout.
    """
    text = _ZERO_WIDTH.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if merge_lines:  # plain text may be Markdown: keep link text, drop images
        text = _MD_LINK.sub(r"\1", _MD_IMAGE.sub("", text))
    units: list[_Unit] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if merge_lines and _is_wrapped(lines):
            lines = [" ".join(lines)]
        merged: list[str] = []
        for line in lines:
            if (
                merge_lines
                and merged
                and not _ends_sentence(merged[-1])
                and line[:1].islower()
                and not _BULLET.match(line)
            ):
                merged[-1] = f"{merged[-1]} {line}"  # a sentence continued on the next line
            else:
                merged.append(line)
        for i, line in enumerate(merged):
            bullet = bool(_BULLET.match(line)) and not line.startswith(("--", "—"))
            heading = bool(_MD_HEADING.match(line))
            body = _MD_HEADING.sub("", line) if heading else line
            if bullet:
                body = _BULLET.sub("", body, count=1)
            body = _collapse(body)
            if not body:
                continue
            prev = units[-1] if units else None
            if (
                merge_lines
                and i == 0
                and prev is not None
                and not (bullet or heading or prev.bullet or prev.heading)
                and body[:1].islower()
                and not _ends_sentence(prev.text)
            ):
                prev.text = f"{prev.text} {body}"  # a paragraph broken across a blank line
                continue
            units.append(_Unit(body, bullet=bullet, heading=heading))
    return units


def _is_donation(lower: str, n_words: int) -> bool:
    if n_words > 100 or not any(word in lower for word in _DONATION_HINTS):
        return False  # a long paragraph is prose that may mention support or subscriptions
    if _DONATION_STRONG.search(lower):
        return True
    if not (_SELF_REF.search(lower) and _APPEAL.search(lower)):
        return False
    return len({m.group(0) for m in _DONATION_WEAK.finditer(lower)}) >= 2


def _is_caption(text: str, lower: str, n_words: int) -> bool:
    if n_words > 100:
        return False
    if _CAPTION.search(text):
        return True
    if n_words < 60 and _PHOTO_LEAD.match(lower):
        return True
    return not _ends_sentence(text) and bool(_CREDIT_TAIL.search(text))


def _is_all_caps(text: str, n_words: int) -> bool:
    return n_words < 15 and text.isupper() and sum(c.isalpha() for c in text) >= 2


def _is_timestamp(text: str, lower: str, n_words: int) -> bool:
    return n_words <= 15 and any(c.isdigit() for c in text) and bool(_TIMESTAMP.match(lower))


def _capitalised_share(words: Sequence[str]) -> float:
    return sum(w[:1].isupper() or w[:1].isdigit() for w in words) / max(len(words), 1)


def _classify(unit: _Unit) -> str | None:
    """Why ``unit`` is boilerplate, or ``None`` for article prose."""
    text = unit.text
    words = text.split()
    n_words = len(words)
    lower = text.lower()
    if _WIRE_SLUG.match(text):
        return "wire slug"
    if (m := _DATELINE.match(text)) and m.end() >= len(text):
        return "dateline"
    if _is_timestamp(text, lower, n_words):
        return "timestamp"
    if n_words < 25 and _COMMENT_FORM.search(lower):
        return "comment form"
    if _is_donation(lower, n_words):
        return "donation appeal"
    if n_words < 80 and _COOKIE.search(lower):
        return "cookie notice"
    if n_words < 80 and _DISCLAIMER.match(lower):
        return "disclaimer"
    if n_words < 10 and _RELATED.match(lower) and not _ends_sentence(text):
        # "More from X: <headline>" is one inline teaser link; a bare "Related Links" heads a list
        return "read-more link" if re.search(r":\s*\S", text) else "related links"
    if n_words < 30 and _COPYRIGHT.search(lower):
        return "copyright"
    if unit.heading:
        return "heading"
    if _READ_MORE.match(lower) and (n_words < 25 or not _ends_sentence(text)):
        # "Also Read <headline> <headline> ...": a run of link titles, however long
        bare = n_words <= 6 and ":" not in text and lower.startswith("read more")
        return "read-more marker" if bare else "read-more link"
    if _TEASER_END.search(lower[-40:]):
        return "teaser"
    if n_words < 60 and _VIDEO_TIME.search(text):
        return "video caption"
    if n_words < 20 and _SHARE.search(lower):
        return "share/follow button"
    if _is_caption(text, lower, n_words):
        return "caption/credit"
    if n_words < 20 and _CREDIT_LINE.search(lower):
        return "byline/timestamp"
    if n_words < 60 and _NEWSLETTER.search(lower):
        return "newsletter sign-up"
    if n_words < 25 and _BYLINE.match(lower) and not (_ends_sentence(text) and n_words >= 4):
        return "byline/timestamp"
    if (
        n_words < 12
        and any(c.isdigit() for c in text)
        and not _ends_sentence(text)
        and parse_date(text) is not None
    ):
        return "byline/timestamp"
    if len(_NAV_SEPARATORS.findall(text)) >= 2 and not _ends_sentence(text):
        return "navigation"
    if _is_all_caps(text, n_words):
        return "all-caps label"
    ends = _ends_sentence(text) or (text.endswith(":") and n_words >= 5)
    if unit.bullet and (not ends or n_words < 3):
        return "navigation"  # a bulleted sentence ("Nobody was hurt.") is prose
    if not ends:
        nav = sum(w.lower().strip(",.:;'’") in _NAV_WORDS for w in words)
        if (nav >= 3 and nav >= 0.3 * n_words) or (
            n_words >= 20 and _capitalised_share(words) >= 0.6
        ):
            return "navigation"  # a menu run together: "Today's Paper Obits Newsletters Home ..."
        if n_words >= 20 and _reads_as_cut_prose(text):
            return None  # a long sentence that lost its full stop is still prose
    if not ends and (n_words < 20 or not _SENT_PUNCT_INSIDE.search(text)):
        return "heading/navigation"
    if (
        text.endswith("?")
        and n_words < 8
        and "," not in text
        and not _PROSE_QUESTION.match(text)
        and not any(q in text for q in _QUOTE_CHARS)
    ):
        return "heading"  # "Putin to meet Musk?": a headline question, not a reporter's one
    if n_words == 1 and not any(q in text for q in _QUOTE_CHARS) and not lower[:1].isdigit():
        return "fragment"
    return None


def _reads_as_headline(text: str, *, min_words: int = 4) -> bool:
    """A heading that can be the outlet's headline: several words, starting like a sentence,
    not shouted, not a menu or a breadcrumb, not a label ending in a colon."""
    words = text.split()
    if not min_words <= len(words) <= 30:
        return False
    first = text[:1]
    if not (first.isupper() or first.isdigit() or first in _QUOTE_CHARS + "'‘"):
        return False
    if text.isupper() or text.rstrip().endswith(":") or _NAV_SEPARATORS.search(text):
        return False
    return not _TIMESTAMP.match(text.lower())


def _reads_as_cut_prose(text: str) -> bool:
    """A paragraph cut off mid-sentence (a capped page ends inside one), told from a headline:
    it opens with a conjunction, or is mostly lower-case words with the articles, pronouns or
    auxiliaries running prose has and headlines drop."""
    words = text.split()
    if len(words) < 4 or not (text[:1].isupper() or text[:1] in _QUOTE_CHARS):
        return False
    if words[0].lower() in _CONJUNCTION_START:
        return True
    lower_share = sum(w[:1].islower() for w in words[1:]) / (len(words) - 1)
    return lower_share >= 0.5 and any(w.lower() in _PROSE_WORDS for w in words)


def _inline_dateline(text: str) -> tuple[str, str | None, str]:
    """Split "MOSCOW (Reuters) - Text..." into ("Text...", "MOSCOW (Reuters) -", kind).

    ``kind`` is "weak" for the all-caps-place-and-dash shape with neither agency nor date,
    "dated" when the dateline states a date ("OSLO, Mar 3 (Reuters) –"), else "strong".
    """
    m = _DATELINE.match(text)
    if not m or m.end() >= len(text):
        return text, None, ""
    rest = text[m.end() :]
    separated = bool(m["dash"]) or m["dl"].rstrip(".").endswith("/")  # "... /TASS/. Text"
    if not separated or not (rest[:1].isupper() or rest[:1] in _QUOTE_CHARS):
        return text, None, ""
    kind = "dated" if _DATED.search(m["dl"]) else "weak" if m["caps"] is not None else "strong"
    return rest, text[: m.end()].strip(), kind


def _trim(text: str) -> tuple[str, list[tuple[float, str, str]]]:
    """Cut furniture glued to a paragraph: (what is left, [(offset, reason, piece)]).

    Offsets (-0.3 before, +0.1 inside, +0.3 after) keep ``removed`` in page order.
    """
    pieces: list[tuple[float, str, str]] = []
    if m := _SYNDICATION_TAG.match(text):
        pieces.append((-0.3, "syndication tag", m.group(0).strip()))
        text = text[m.end() :]
    if m := _GLUED_LABEL.match(text):
        pieces.append((-0.3, "section label", m["label"] + ":"))
        text = text[m.end() :]
    if m := _FLASH_LABEL.match(text):
        pieces.append((-0.3, "section label", m.group(0).strip()))
        text = text[m.end() :]
    if (m := _EMBED_TAIL.search(text)) and parse_date(m["when"]) is not None:
        pieces.append((0.3, "embedded post credit", m.group(0).strip()))
        text = text[: m.start()]  # the post's own words stay: the outlet quotes them
    for rx, reason in ((_SHORT_LINK, "link"), (_TICKER, "stock ticker")):
        found = [m.group(0).strip() for m in rx.finditer(text)]
        if found:
            pieces.extend((0.1, reason, piece) for piece in found)
            text = rx.sub("", text)
    if (m := _TAIL.search(text)) and len(text[: m.start("tail")].split()) >= 5:
        kind = next(k for k in ("credit", "more", "offer", "disclaimer") if m[k])
        reason = {
            "credit": "wire credit",
            "more": "read-more marker",
            "offer": "subscription offer",
            "disclaimer": "disclaimer",
        }[kind]
        pieces.append((0.3, reason, text[m.start("tail") :].strip()))
        text = text[: m.start("tail")]
    while (m := _TRAIL_TAG.search(text)) and len(text[: m.start()].split()) >= 5:
        pieces.append((0.35, "agency tag", m["tag"].strip()))
        text = text[: m.start()]
    return _collapse(text), pieces


def _gallery(units: Sequence[_Unit]) -> set[int]:
    """Units of a photo gallery: neighbours opening with the same run of five or more words that
    is not a sentence, each going on with a new capitalised title ("<gallery title> <slide
    title> <caption>")."""
    out: set[int] = set()
    split = [u.text.split() for u in units]
    for i in range(len(units) - 1):
        a, b = split[i], split[i + 1]
        k = 0
        while k < min(len(a), len(b)) and a[k] == b[k]:
            k += 1
        if (
            k >= 5
            and k < min(len(a), len(b))
            and a[k][:1].isupper()
            and b[k][:1].isupper()
            and not any(_ends_sentence(w) for w in a[:k])
            and a[k - 1].lower() not in _JOINING_WORDS  # a title ends on a content word
        ):
            out.update((i, i + 1))
    return out
