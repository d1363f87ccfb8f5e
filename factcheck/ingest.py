"""Turn files, bytes and records into cleaned :class:`~factcheck.types.Article` values.

Real inputs are rarely clean article bodies: they are web pages, or page dumps saved as ``.txt``,
with menus, captions, donation appeals, comment forms and teasers of other stories around the
article. Every later stage compares sentences across sources, so boilerplate that survives here
turns into bogus matches and conflicts. The cleaner therefore works on plain text (line by line,
one paragraph per line or per blank-line block) and HTML output goes through the same cleaner
after trafilatura has picked the main content.

Everything dropped is kept in ``Article.removed``, with the rule that dropped it in
``Article.removal_reasons`` (``Article.removed_reasons`` pairs them), so a user can see what was
ignored and why an article looks shorter than the page (``factcheck compare --explain-cleaning``).
Whole paragraphs go, and so do pieces glued to a paragraph (a wire credit after its last
sentence, a syndication tag before its first, the page store's ``date YYYY-MM-DD`` stamp).

What is kept: the article's paragraphs and, as paragraph 0, its headline (the outlet's main
claim: a metadata title, else the first heading above the body that reads as a claim). End
markers (comment forms, donation appeals, "Related links", a second dateline) cut the page after
the article, but never the article itself: a box of links inside it ends when prose resumes, and
a marker with more prose below it than above it is not the page's end.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import itertools
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from factcheck.errors import (
    DecodeError,
    EmptyArticleError,
    FormatError,
    InputError,
    InvalidURLError,
    MissingSourceError,
    SourceNotFoundError,
)
from factcheck.normalize import normalise
from factcheck.types import Article

__all__ = [
    "SUPPORTED_SUFFIXES",
    "article_id",
    "clean_paragraphs",
    "from_html",
    "from_record",
    "from_text",
    "load_bytes",
    "load_paths",
    "parse_date",
    "source_from",
]

SUPPORTED_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".json", ".jsonl")

_TEXT, _HTML, _JSON, _JSONL = "text", "html", "json", "jsonl"
_SUFFIX_KIND = {
    ".txt": _TEXT,
    ".text": _TEXT,
    ".md": _TEXT,
    ".html": _HTML,
    ".htm": _HTML,
    ".json": _JSON,
    ".jsonl": _JSONL,
}
_CONTENT_TYPE_KIND = {
    "text/plain": _TEXT,
    "text/markdown": _TEXT,
    "text/x-markdown": _TEXT,
    "text/html": _HTML,
    "application/xhtml+xml": _HTML,
    "application/json": _JSON,
    "application/x-ndjson": _JSONL,
    "application/ndjson": _JSONL,
    "application/jsonl": _JSONL,
    "application/x-jsonlines": _JSONL,
    "application/jsonlines": _JSONL,
}
_EMPTY_HINT = (
    "no article text found after removing page boilerplate (navigation, headings, captions, "
    "bylines, share buttons, comment forms, donation appeals, teasers of other stories). "
    "Make sure the file holds the article body itself (not only a menu, a login or paywall "
    "page), with each paragraph on its own line ending in sentence punctuation"
)

# ---------------------------------------------------------------------------------------------
# Dates


class _LazyRe:
    """A regex compiled on first use: ~30 large patterns would otherwise cost every
    ``import factcheck.ingest`` tens of milliseconds, even for commands that never clean text."""

    __slots__ = ("_flags", "_pattern", "_rx")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._pattern, self._flags = pattern, flags
        self._rx: re.Pattern[str] | None = None

    @property
    def rx(self) -> re.Pattern[str]:
        if self._rx is None:
            self._rx = re.compile(self._pattern, self._flags)
        return self._rx

    def search(self, text: str) -> re.Match[str] | None:
        return self.rx.search(text)

    def match(self, text: str) -> re.Match[str] | None:
        return self.rx.match(text)

    def sub(self, repl: str, text: str, count: int = 0) -> str:
        return self.rx.sub(repl, text, count=count)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.rx.finditer(text)

    def findall(self, text: str) -> list[Any]:
        return self.rx.findall(text)


_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH_RE = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_ISO_DATE = _LazyRe(r"(?<!\d)(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)")
_DMY_NAME = _LazyRe(
    rf"(?<![\w])(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_RE}\.?,?\s+(?P<y>\d{{4}})(?!\d)",
    re.IGNORECASE,
)
_MDY_NAME = _LazyRe(
    rf"(?<![\w]){_MONTH_RE}\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})(?!\d)",
    re.IGNORECASE,
)
_DMY_NUM = _LazyRe(r"(?<![\d.])(?P<d>\d{1,2})(?P<sep>[./])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4})(?!\d)")


def _mkdate(year: str, month: int, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), month, int(day))
    except ValueError:
        return None


def parse_date(value: object) -> dt.date | None:
    """Read a publication date from metadata or a dateline; ``None`` when there is none.

    Accepts ``date``/``datetime`` values, ISO strings (``2021-02-15``, ``2021-02-15T10:00Z``)
    and written dates with optional weekday and time (``Feb 15, 2021``, ``15 February 2021``,
    ``Wednesday, 17 February 2021 09:43``, ``15.02.2021``). Numeric ``a/b/yyyy`` is read only
    when unambiguous, because guessing day/month order silently would give wrong dates.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    found: list[tuple[int, dt.date]] = []
    if (m := _ISO_DATE.search(text)) and (d := _mkdate(m["y"], int(m["m"]), m["d"])):
        found.append((m.start(), d))
    for rx in (_DMY_NAME, _MDY_NAME):
        if (m := rx.search(text)) and (d := _mkdate(m["y"], _MONTHS[m["mon"].lower()[:3]], m["d"])):
            found.append((m.start(), d))
    if m := _DMY_NUM.search(text):
        first, second = int(m["d"]), int(m["m"])
        if m["sep"] == "." or first > 12:
            d = _mkdate(m["y"], second, m["d"])
        elif second > 12:
            d = _mkdate(m["y"], first, m["m"])
        else:
            d = None  # 03/04/2021: day/month order unknown
        if d is not None:
            found.append((m.start(), d))
    return min(found, key=lambda item: item[0])[1] if found else None


# ---------------------------------------------------------------------------------------------
# Boilerplate rules (general, phrase and shape based; no site-specific code)

_AGENCY = (
    r"AFP|AP|Reuters|UPI|SPX|TASS|dpa|DPA|Xinhua|ANI|IANS|PTI|Bloomberg|CNN|BBC|EFE|ANSA|Kyodo"
    r"|Yonhap|RIA Novosti|Interfax|Sputnik|PAP|CTK|AAP|WAM|APA"
)
_ACRONYM = r"[A-Z]{2,6}"  # an unknown agency: "(XYZ)" counts only with a date or a dash after it
_PLACE = r"[A-Z][\w.'’-]*(?:[ -][A-Z][\w.'’-]*){0,4}(?:,? [A-Z]{2})?"
_MONTH_ANY = "(?i:" + _MONTH_RE.replace("?P<mon>", "?:") + ")"
_DATEWORDS = (
    rf"(?:{_MONTH_ANY}\.? \d{{1,2}}(?:,? \d{{4}})?|\d{{1,2}} {_MONTH_ANY}\.?(?:,? \d{{4}})?)"
)
# "CANBERRA -", "NEW YORK, N.Y. —": an all-caps place needs the dash to count as a dateline
_CAPS_PLACE = (
    r"(?!FILE\b)[A-Z]{3,}[A-Z.'’-]*(?: [A-Z]{2,}[A-Z.'’-]*){0,3}"
    r"(?:, [A-Z][\w.]*(?: [A-Z][\w.]*){0,2})?"
)
# The dash that ends a dateline is a separator: an en/em dash, or a hyphen with a space after it.
# A hyphen inside a word ("ABC-TV reported", "TNK-BP said") is part of a name, not a dateline.
_DASH = r"(?:[–—]+|-{1,2}(?=\s|$))"
# "(AP)", "(CBS SF/AP)": one agency or several joined by slashes, an optional short suffix
_AGENCY_GROUP = rf"(?:{_AGENCY}|{_ACRONYM})(?: [A-Z]{{2,4}})?(?:/(?:{_AGENCY}|{_ACRONYM}))*"
# "Moscow (AFP) Feb 15, 2021", "MOSCOW (Reuters) -", "WASHINGTON, Feb 15 (Reuters) -",
# "MOSCOW, February 15. /TASS/.", "DENVER (KDV/AP) —". ``caps`` marks the weak shape
# (an all-caps place and a dash, no agency, no date), which is trusted only before the story.
_DATELINE = _LazyRe(
    rf"^(?P<dl>(?:{_PLACE}\s*\((?:{_AGENCY})\)\s*(?:{_DATEWORDS})?"
    rf"|{_PLACE}\s*\({_ACRONYM}\)\s*{_DATEWORDS}"
    rf"|{_PLACE}\s*\({_AGENCY_GROUP}\)(?=\s*{_DASH})"
    rf"|{_PLACE},\s*{_DATEWORDS}\s*\((?:{_AGENCY}|{_ACRONYM})\)"
    rf"|{_PLACE},\s*{_DATEWORDS}\.?\s*/(?:{_AGENCY}|{_ACRONYM})/\.?"
    rf"|(?P<caps>{_CAPS_PLACE})(?=\s*{_DASH})))"
    rf"\s*(?P<dash>{_DASH}|:(?=\s))?\s*"
)
_DATED = _LazyRe(_DATEWORDS)
_DASH_END = _LazyRe(r"\s*[-–—:]+$")
_WIRE_SLUG = _LazyRe(r"^(?=\S*/)[a-z]{1,6}(?:[-/][a-z]{1,6}){1,6}$")  # "mp-emg/jbr/jj"
_TERMINAL = _LazyRe(r"[.!?…][\"'”’»)\]]*$|[.!?…][\"'”’»)\]]+\W*$")
_SENT_PUNCT_INSIDE = _LazyRe(r"[.!?;:,][\"'”’)]*\s")
_BULLET = _LazyRe(r"^\s*(?:[•·▪►▸»>*+\-–—|]|\d{1,2}[.)])\s+")
_MD_HEADING = _LazyRe(r"^\s{0,3}#{1,6}\s+")
_QUOTE_CHARS = '"“”«»„'
_PROSE_QUESTION = _LazyRe(
    r"^\(?(?:who|whom|whose|what|which|why|how|where|when|is|are|was|were|do|does|did|can|could"
    r"|will|would|should|shall|has|have|had|may|might|must|isn't|aren't|wasn't|don't|doesn't"
    r"|didn't|won't|wouldn't|shouldn't|haven't|hasn't|and|but|so|or|if)\b",
    re.IGNORECASE,
)

_COMMENT_FORM = _LazyRe(
    r"\b(?:write|leave|post|add|submit) (?:a|your) (?:comment|reply)\b|be the first to comment"
    r"|loading comments?\b|\bcomments? \(\d+\)|^\d+ comments?$|^comments?$|(?:show|view|hide|read)"
    r" (?:all )?comments|join the (?:conversation|discussion)|leave a reply"
    r"|must (?:be )?log(?:ged)? ?in to (?:post|comment|reply)|comments are closed"
    r"|(?:log|sign) in to (?:comment|reply)|comment will be refreshed"
)
_DONATION_STRONG = _LazyRe(
    r"we need your (?:help|support)"
    r"|becom(?:e|ing) (?:a|our) (?:regular |monthly )?(?:supporter|member|patron)"
    r"|one[- ]off contribution|billed (?:monthly|once|annually|yearly)|credit card or paypal"
    r"|support (?:our|independent|quality) journalism"
    r"|make a (?:one[- ]off |small )?(?:contribution|donation)|donate now"
    r"|please consider (?:supporting|donating|subscribing|becoming|a contribution|making)"
    r"|subscribe now|already a subscriber|to continue reading|subscribers only"
    r"|(?:disable|turn off) your ad ?blocker|whitelist (?:us|our site)"
)
_DONATION_WEAK = _LazyRe(
    r"paywall|ad ?blockers?|revenues?|advertising|supporters?|contributions?|donat(?:e|ion)s?"
    r"|subscri(?:be|ption|bers?)|(?:our|independent) (?:journalism|reporting|news)"
)
_DONATION_HINTS = (
    "help", "support", "member", "patron", "contribut", "donat", "billed", "paypal", "subscri",
    "paywall", "ad block", "adblock", "whitelist", "continue reading", "revenue", "advertis",
)  # fmt: skip
_SELF_REF = _LazyRe(r"\b(?:we|our|us)\b")
_APPEAL = _LazyRe(r"\b(?:you|your|please)\b|paywall|ad ?block")
_RELATED = _LazyRe(
    r"^(?:related(?: (?:links|stories|articles|news|content|coverage|topics|posts|reading))?"
    r"|more (?:from|on|stories|news|in)\b[^.!?]*|you (?:may|might) also (?:like|be interested in)"
    r"|recommended(?: for you| stories| reading)?|most (?:popular|read|viewed|shared)"
    r"|trending(?: now| stories)?|also read|see also|further reading|top stories|latest news"
    r"|other news|in other news|what to read next|editor'?s picks)\s*[:.…]*$"
)
_COPYRIGHT = _LazyRe(r"^(?:©|\(c\)\s|copyright\s*(?:©|\(c\))?\s*\d{4})|all rights reserved")
_READ_MORE = _LazyRe(
    r"^(?:read more|continue reading|read the full|read the original|click here|full story"
    r"|read the rest|keep reading|also read|read also)\b"
)
_TEASER_END = _LazyRe(r"(?:read more|continue reading|full story|more\s*»)\W*$")
_SHARE = _LazyRe(
    r"^(?:tweet|share|share this(?: article| story| page)?|share on \w+|e-?mail|print|facebook"
    r"|twitter|whatsapp|linkedin|reddit|telegram|pinterest|copy link|save|like)\W*$"
    r"|^follow us\b|\bfollow us on\b|hit the buttons|share (?:this|the) (?:article|story)"
    r"|sign up (?:for|to) (?:our|the)|subscribe to (?:our|the)\b|(?:sign up|subscribe)\b.{0,40}"
    r"newsletter|newsletter sign-?up|download (?:our|the) app|^advertisement\W*$"
    r"|scroll to continue|story continues below|listen to (?:this|the) article"
    r"|\b\d+ min(?:ute)? read\b"
    r"|reading time\b|^(?:published|updated) in\b"
)
_BYLINE = _LazyRe(
    r"^(?:written by|by\s|posted(?: by| on|:)|published(?: on| at| time)?\b|updated\b"
    r"|last (?:updated|modified)\b|created\b|author\b|reporting by|additional reporting"
    r"|writing by|editing by|compiled by|text by|story by|words by)"
)
_CREDIT_LINE = _LazyRe(
    r"contributed (?:reporting )?to this (?:report|story|article)|^(?:additional )?reporting by"
    r"|^(?:writing|editing) by|^\(?(?:editing|reporting) by"
)
_NEWSLETTER = _LazyRe(
    r"\b(?:sign up|subscribe|register)\b[^.!?]{0,60}\bnewsletters?\b|\bnewsletter sign-?up\b"
    r"|\bjoin (?:the|our) mailing list\b"
)
_CAPTION = _LazyRe(
    r"(?i:^\((?:l|r|c|top|bottom|left|right|above|below|main|inset|file|from left|pictured)\))"
    r"|\bFILE (?:PHOTO|PIC|IMAGE)\b|^FILE\s*[-–—:]\s"
    r"|(?i:(?:^|[.;|]\s*)(?:photo|image|picture|pictured|photograph|credit|photo credit"
    r"|image credit|image source|photo source|illustration|video|source)s?\s*[:|]\s*\S)"
    r"|\([^()]*\bPhotos?\s*/[^()]*\)\W*$"
    r"|\b(?:Getty Images|Shutterstock|AFP|Reuters|AP Photo|EPA|Sputnik|TASS|Xinhua|Alamy"
    r"|Global Look Press|RIA Novosti)\s*/\s*[A-Z]",
)
_CREDIT_TAIL = _LazyRe(
    r"(?:\b(?:Getty Images|Shutterstock|AFP|Reuters|AP Photo|EPA|Sputnik|TASS|Xinhua|Alamy"
    r"|NASA|Global Look Press|RIA Novosti|Handout|Wikimedia Commons)\b[^.!?]{0,40}"
    r"|\b(?:AP|PA|NASA|Pool|Handout|Bloomberg)\s*/\s*[A-Z].*"
    r"|\s/\s[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})$"
)
_NAV_SEPARATORS = _LazyRe(r"\s(?:\||›|»|>|/|·|•)\s")
_TRUNCATION = _LazyRe(r"\s*(?:\.\.\.|…)\s*(?:read more)?\W*$")
_ZERO_WIDTH = _LazyRe("[\u200b\u200c\u200d\u2060\ufeff]")
_MD_IMAGE = _LazyRe(r"!\[[^\]\n]*\]\([^)\s]*\)")
_MD_LINK = _LazyRe(r"\[([^\]\n]+)\]\((?:https?://|/|#)[^)\s]*\)")
_SPACES = _LazyRe(r"\s+")

# The page store's stamp glued before the first words (" date 2021-02-08 Lionel Messi...") and
# other stamps of that shape ("Date:2025-04-14 14:03:18"): the date the page was stored.
_PAGE_STAMP = _LazyRe(
    r"^\s*date\s*:?\s*(?P<date>\d{4}-\d{2}-\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?(?=\s|$)",
    re.IGNORECASE,
)
# A line made only of date/time pieces and stamp words: "Mar 3, 2031 • 2 hours ago • < 1 minute
# read", "Updated at 9:05 a.m.", "Date:2031-03-04 08:12:55", "Tuesday, March 4, 2031".
_TS_TOKEN = (
    r"(?:\d{1,2}[:.]\d{2}(?:[:.]\d{2})?|\d{4}-\d{2}-\d{2}|\d{1,4}(?:st|nd|rd|th)?|[ap]\.?m\.?"
    r"|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
    r"|mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:rs(?:day)?)?|fri(?:day)?"
    r"|sat(?:urday)?|sun(?:day)?|gmt|utc|[ecmp][sd]?t|bst|cest|cet|ist|msk"
    r"|date|time|updated?|published|posted|last|modified|created|on|at|ago|hours?|hrs?"
    r"|minutes?|mins?|seconds?|secs?|read|reading|just|now|today|yesterday|and)"
)
_TIMESTAMP = _LazyRe(
    rf"^(?:[\s•·|,.:/<>()\-–—]*{_TS_TOKEN}(?![a-z0-9]))+[\s•·|,.:/<>()\-–—]*$", re.IGNORECASE
)
_COOKIE = _LazyRe(
    r"\b(?:we|this (?:site|website)) uses? cookies\b|\bcookie (?:policy|settings|preferences"
    r"|consent|notice)\b|\baccept (?:all )?cookies\b|\buse of cookies\b"
)
_DISCLAIMER = _LazyRe(r"^disclaimer\s*:")
# An embedded social post ends with its author's handle and date: "— Name (@handle) March 10, 2019"
_EMBED_TAIL = _LazyRe(r"[—–]\s*(?P<who>[^—–()]{0,80}?)\s*\(@\w{1,30}\)\s*(?P<when>[^()]{4,30})$")
_SHORT_LINK = _LazyRe(r"\s*(?:https?://t\.co/\w+|pic\.twitter\.com/\w+)")
# A video's caption ends with its running time: "... to collapse. 0:27"
_VIDEO_TIME = _LazyRe(r"[.!?][\"'”’]?\s+\d{1,2}:\d{2}$")
# "This March 23, 2019 photo shows ...", "In this photo provided by ...": an agency caption
_PHOTO_LEAD = _LazyRe(
    r"^(?:in )?this (?:[\w,.'’ -]{0,40} )?(?:file |handout )?(?:photo|image|picture|photograph"
    r"|video grab|still)\b"
)
# Pieces cut off the start, the inside or the end of a paragraph (recorded in ``removed``).
# "(FEEDCO- Harbour News Agency (HNA)) OSLO...": a syndication feed's tag before the text
_SYNDICATION_TAG = _LazyRe(
    r"^\([A-Z]{2,}[A-Za-z]*-\s[^()]{0,60}(?:\([^()]{0,20}\)[^()]{0,10})?\)\s*"
)
# "Globe NewsEurope: The minister ...": a site or section label run into the first words (page
# elements joined without a space: a lower-case letter directly followed by a capital)
_GLUED_LABEL = _LazyRe(
    r"^(?P<label>(?:[A-Z][\w'’.&-]*\s){1,3}[A-Z]\w*[a-z]{2}[A-Z][a-z]+):\s+(?=[A-Z\"“‘'])"
)
# "{mosads}", "story.lead_photo.caption": a CMS placeholder or template field left in the text
# "Breaking news - The minister ...": a flash label before the first words
_FLASH_LABEL = _LazyRe(
    r"^(?:breaking(?: news)?|just in|developing story)\s*[-–—:|]\s+(?=[A-Z\"“‘])", re.I
)
_TEMPLATE_MARK = _LazyRe(
    r"\{[a-z_][a-z0-9_]*\}|(?<!\S)(?=[a-z._]*\.)(?=[a-z._]*_)[a-z]+(?:[._][a-z]+)+(?!\S)"
)
# Words of a site's menu: a line without a sentence end made largely of them is navigation
_NAV_WORDS = frozenset((
    "home", "news", "sport", "sports", "business", "opinion", "obits", "obituaries", "newsletters",
    "style", "crime", "puzzles", "photos", "videos", "video", "weather", "world", "politics",
    "entertainment", "lifestyle", "culture", "tech", "technology", "science", "health", "travel",
    "food", "podcasts", "paper", "search", "menu", "subscribe", "login", "games", "markets",
    "money", "local", "national", "education", "arts", "books", "music", "movies", "autos",
    "jobs", "classifieds", "archive", "contact", "about", "e-paper", "epaper",
))  # fmt: skip
# "Acme (ACM 0.23%) and ...": a live stock-quote widget inside a sentence
_TICKER = _LazyRe(
    r"\s?\((?:(?:NYSE|NASDAQ|Nasdaq|LSE|TSX|ASX)\s*:\s*)?[A-Z]{1,5}(?:\.[A-Z]{1,2})?"
    r"\s+[-+−]?\d+(?:\.\d+)?%\)"
)
_AFTER_SENTENCE = r"(?:(?<=[.!?…])|(?<=[.!?…][\"'”’»)]))\s+"
# Furniture glued after the last sentence of a paragraph: credits, "continue reading", offers
_TAIL = _LazyRe(
    _AFTER_SENTENCE + r"(?P<tail>(?P<credit>\(?(?:additional )?reporting by\b"
    r"|\(?(?:writing|editing|written|edited|compiled) by\b|\(with inputs from\b|our standards:)"
    r"|(?P<more>continue reading\b|read (?:the )?(?:full|rest of the) (?:article|story)\b)"
    r"|(?P<offer>subscribe (?:to|now)\b|start your free trial\b)"
    r"|(?P<disclaimer>disclaimer:)).*$",
    re.IGNORECASE | re.DOTALL,
)
# "... since 1986. REUTERS", "... a Chinese national. (AFP)", "... (end)", "#tag #tag"
_TRAIL_TAG = _LazyRe(
    _AFTER_SENTENCE + rf"(?P<tag>\((?:{_AGENCY}|end|ends|END|ENDS)\)"
    r"|REUTERS|AFP|AP|TASS|XINHUA|ANI|IANS|PTI|UPI|EFE|ANSA|DPA|(?:#\w+\s*){2,})\s*$"
)
_JOINING_WORDS = frozenset((
    "on", "in", "at", "of", "the", "a", "an", "to", "by", "for", "from", "with", "and", "or",
    "that", "as", "said", "says", "told",
))  # fmt: skip
_CONJUNCTION_START = frozenset({"but", "and", "so", "or", "yet", "however", "however,", "while"})
# Words of running prose that headlines leave out (articles, pronouns, auxiliaries)
_PROSE_WORDS = frozenset((
    "the", "a", "an", "this", "that", "these", "those", "his", "her", "its", "their", "our", "we",
    "he", "she", "they", "it", "was", "were", "is", "are", "has", "have", "had", "been", "be",
))  # fmt: skip

# Reasons that end the article when they follow real body text.
_END_REASONS = frozenset(
    {
        "wire slug",
        "second dateline",
        "comment form",
        "donation appeal",
        "related links",
        "read-more marker",
        "copyright",
    }
)
# End reasons that may also sit above or inside the article (a banner, an inline box of links):
# they end it only when less prose follows them than precedes them.
_WEIGHED_END = frozenset({"donation appeal", "related links", "read-more marker"})
# A marker that heads a box of links: prose after at least one link means the article goes on.
_BOX_MARKERS = frozenset({"related links", "read-more marker"})
_HEADING_REASONS = frozenset({"heading", "heading/navigation"})
# Reasons that judge a unit by its shape (no full stop, a credit at the end), which furniture
# glued to a sentence can give it; phrase reasons (an appeal, a form) stand whatever is cut off.
_SHAPE_REASONS = _HEADING_REASONS | {"caption/credit", "fragment", "all-caps label"}


@dataclass
class _Unit:
    """One candidate paragraph: a line, or a block of hard-wrapped lines joined."""

    text: str
    bullet: bool = False
    heading: bool = False


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


def _strip_page_stamp(text: str) -> tuple[str, str | None]:
    m = _PAGE_STAMP.match(text)
    if not m:
        return text, None
    return text[m.end() :], m.group(0).strip()


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


# ---------------------------------------------------------------------------------------------
# Identity


def article_id(source: str, text: str) -> str:
    """Stable id: 16 hex chars of sha256 over the normalised source and text.

    Normalising (case, typography, whitespace) keeps the id the same when the same article is
    re-ingested from a differently formatted copy, and nothing path- or run-dependent goes in.
    """
    payload = f"{normalise(source)}\n{normalise(text)}".encode()
    return hashlib.sha256(payload).hexdigest()[:16]


def source_from(url: str | None, name: str | None) -> str:
    """Source name: the URL's host without ``www.``, else the file name's stem."""
    if url:
        try:
            host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").lower()
        except ValueError as exc:  # "http://[bad": an unclosed IPv6 bracket
            raise InvalidURLError(
                f"url {url!r} cannot be read ({exc}); write it as an http(s) address such as "
                "https://example.org/news/story, or give the article a `source`",
                detail={"url": url},
            ) from None
        host = host.removeprefix("www.")
        if host:
            return host
    if name:
        stem = Path(name.replace("\\", "/")).stem.strip()
        if stem:
            return stem
    raise MissingSourceError(
        "the article has no source name: give it a `source`, a `url` to take the host from, "
        "or load it from a file whose name becomes the source"
    )


# ---------------------------------------------------------------------------------------------
# Builders


def _explicit_date(value: object, what: str) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str | dt.date):
        raise FormatError(
            f"{what}: field 'published' must be a date string such as \"2021-02-15\", "
            f"got {type(value).__name__}"
        )
    parsed = parse_date(value)
    if parsed is None:
        raise FormatError(
            f"{what}: cannot read the date in field 'published' ({value!r}); "
            'write it as YYYY-MM-DD, e.g. "2021-02-15"'
        )
    return parsed


def _build(
    cleaned: _Cleaned,
    *,
    source: str,
    title: str | None,
    url: str | None,
    published: dt.date | None,
    origin: str | None,
    id: str | None,
    what: str,
) -> Article:
    if not cleaned.kept:
        raise EmptyArticleError(f"{what}: {_EMPTY_HINT}.", detail={"removed": cleaned.removed})
    text = "\n\n".join(cleaned.kept)
    return Article(
        id=id or article_id(source, text),
        source=source,
        text=text,
        title=title,
        url=url,
        published=published,
        origin=origin,
        removed=tuple(cleaned.removed),
        removal_reasons=tuple(reason for reason, _para in cleaned.reasons),
    )


def from_text(
    text: str,
    *,
    source: str,
    title: str | None = None,
    url: str | None = None,
    published: dt.date | str | None = None,
    origin: str | None = None,
    id: str | None = None,
) -> Article:
    """Article from plain text (possibly a whole page dump); boilerplate is removed.

    Date: ``published`` if given, else a wire dateline near the top ("Moscow (AFP) Feb 15,
    2021"), else a page timestamp ("Written by ... 17 February 2021").
    """
    return _text_article(
        text, source=source.strip(), title=title, url=url, published=published, origin=origin,
        id=id, what=origin or source or "text",
    )  # fmt: skip


def _text_article(
    text: str,
    *,
    source: str,
    title: str | None,
    url: str | None,
    published: dt.date | str | None,
    origin: str | None,
    id: str | None,
    what: str,
) -> Article:
    if not source or not source.strip():
        raise MissingSourceError(f"{what}: the source name is empty; pass a non-empty `source`")
    date = _explicit_date(published, what)
    cleaned = _clean(text, title=title)
    return _build(
        cleaned,
        source=source,
        title=title or cleaned.title,
        url=url,
        published=date or cleaned.wire_date or cleaned.page_date or cleaned.stamp_date,
        origin=origin,
        id=id,
        what=what,
    )


@dataclass
class _HtmlParts:
    text: str
    title: str | None = None
    url: str | None = None
    date: dt.date | None = None
    sitename: str | None = None
    fallback: bool = False  # text came from the lxml fallback, not trafilatura


_FALLBACK_DROP = (
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "figure",
    "figcaption", "iframe", "svg", "button", "select", "template",
)  # fmt: skip
_FALLBACK_BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre"})


def _html_fallback(html: str) -> _HtmlParts:
    """Plain lxml extraction: the text of block elements outside page chrome."""
    import lxml.html  # lazy: only for pages trafilatura gives up on

    try:
        root = lxml.html.fromstring(html)
    except Exception:  # lxml raises several types for junk input
        return _HtmlParts(text="")
    for bad in root.xpath("|".join(f"//{tag}" for tag in _FALLBACK_DROP)):
        bad.drop_tree()
    lines: list[str] = []
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _FALLBACK_BLOCKS:
            inner = el.xpath(".//p|.//li|.//blockquote")
            if el.tag.lower() in ("li", "blockquote") and inner:
                continue  # its own block children are visited separately
            line = _collapse(el.text_content())
            if line:
                lines.append(line)
    titles = root.xpath("//title")
    title = _collapse(titles[0].text_content()) if titles else None
    if not lines:  # no block elements (bare text, <br>-separated lines): take all the text
        for tag in root.xpath("//title"):
            tag.drop_tree()
        lines = [_collapse(line) for line in root.text_content().splitlines()]
    return _HtmlParts(text="\n".join(line for line in lines if line), title=title or None)


def _extract_html(html: str) -> _HtmlParts:
    """Main text and metadata of a page with trafilatura (no network), lxml as fallback."""
    import trafilatura  # lazy: ~0.4 s import

    doc = None
    try:
        doc = trafilatura.bare_extraction(
            html,
            include_comments=False,
            include_tables=False,
            include_images=False,
            favor_precision=True,
            with_metadata=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception:  # trafilatura/lxml raise on some malformed markup; fall back below
        doc = None
    text = getattr(doc, "text", None) or ""
    parts = _HtmlParts(
        text=text,
        title=getattr(doc, "title", None) or None,
        url=getattr(doc, "url", None) or None,
        date=parse_date(getattr(doc, "date", None)),
        sitename=getattr(doc, "sitename", None) or None,
    )
    if not text.strip():
        fallback = _html_fallback(html)
        parts.text = fallback.text
        parts.title = parts.title or fallback.title
        parts.fallback = True
    return parts


def _looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return bool(re.search(r"<!doctype html|<html[\s>]|<body[\s>]|<p[\s>]|<div[\s>]|<article", head))


def from_html(
    html: str,
    *,
    source: str | None = None,
    title: str | None = None,
    url: str | None = None,
    published: dt.date | str | None = None,
    origin: str | None = None,
    id: str | None = None,
) -> Article:
    """Article from an HTML page: trafilatura picks the main text, then the text cleaner runs.

    Source: ``source`` if given, else the host of ``url`` or of the page's canonical URL, else
    the page's site name. Date: ``published``, else a wire dateline in the text, else the
    page's metadata date.
    """
    return _html_article(
        html, source=source, title=title, url=url, published=published, origin=origin, id=id,
        what=origin or source or url or "HTML page",
    )  # fmt: skip


def _html_article(
    html: str,
    *,
    source: str | None,
    title: str | None,
    url: str | None,
    published: dt.date | str | None,
    origin: str | None,
    id: str | None,
    what: str,
    fallback_source: str | None = None,
) -> Article:
    date = _explicit_date(published, what)
    parts = _extract_html(html)
    page_url = url or parts.url
    if source is None:
        if page_url:
            source = source_from(page_url, None)
        elif parts.sitename:
            source = parts.sitename
        else:  # raises MissingSourceError when there is nothing to name the source after
            source = fallback_source or source_from(None, origin)
    headline = title or parts.title
    cleaned = _clean(parts.text, merge_lines=False, title=headline)
    if not cleaned.kept and not parts.fallback:
        # trafilatura picked the wrong block (or only chrome): try the plain block extraction
        retry = _clean(_html_fallback(html).text, merge_lines=False, title=headline)
        if retry.kept:
            cleaned = retry
    return _build(
        cleaned,
        source=source,
        title=title or parts.title or cleaned.title,
        url=page_url,
        published=(
            date or cleaned.wire_date or parts.date or cleaned.page_date or cleaned.stamp_date
        ),
        origin=origin,
        id=id,
        what=what,
    )


def _field(record: Mapping[str, object], key: str, what: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if key == "id" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise FormatError(
            f"{what}: field {key!r} must be a string, got {type(value).__name__} "
            f"({json.dumps(value, default=str)[:40]})"
        )
    return value.strip() or None


def _record_article(
    record: object,
    *,
    origin: str | None,
    what: str,
    explicit_source: str | None,
    fallback_source: str | None,
    defaults: Mapping[str, object] | None = None,
) -> Article:
    if not isinstance(record, Mapping):
        raise FormatError(
            f"{what}: expected a JSON object like "
            f'{{"source": ..., "text": ...}}, got {type(record).__name__}'
        )
    merged: dict[str, object] = dict(defaults or {})
    merged.update({k: v for k, v in record.items() if v is not None})
    text = _field(merged, "text", what)
    html = _field(merged, "html", what)
    if text is not None:
        html = None  # plain text wins over html: it is what the producer already extracted
    rid = _field(merged, "id", what)
    title = _field(merged, "title", what)
    url = _field(merged, "url", what)
    rsource = _field(merged, "source", what)
    published = merged.get("published")
    if text is None and html is None:
        keys = ", ".join(sorted(map(str, record))) or "none"
        if "text" in record or "html" in record:
            raise EmptyArticleError(
                f"{what}: field 'text'/'html' is empty; give the article body as a non-empty string"
            )
        raise FormatError(
            f"{what}: record has neither a 'text' nor an 'html' field (found keys: {keys}); "
            "put the article body under 'text' (plain text) or 'html' (a web page)"
        )
    source = rsource or explicit_source
    date = _explicit_date(published, what)
    if html is not None:  # without a source the page's own URL or site name may give one
        return _html_article(
            html, source=source, title=title, url=url, published=date, origin=origin, id=rid,
            what=what, fallback_source=fallback_source,
        )  # fmt: skip
    if source is None:
        source = source_from(url, None) if url or not fallback_source else fallback_source
    assert text is not None
    return _text_article(
        text, source=source, title=title, url=url, published=date, origin=origin, id=rid,
        what=what,
    )  # fmt: skip


def from_record(
    record: Mapping[str, object],
    *,
    origin: str | None = None,
    default_source: str | None = None,
) -> Article:
    """Article from a mapping ``{id?, source?, url?, title?, published?, text | html}``.

    Source: the record's ``source``, else ``default_source``, else the URL's host.
    """
    what = origin or "record"
    return _record_article(
        record, origin=origin, what=what, explicit_source=default_source, fallback_source=None
    )


# ---------------------------------------------------------------------------------------------
# Bytes and files

_MAGIC = (
    (b"%PDF", "a PDF document; extract its text first (e.g. `pdftotext FILE out.txt`)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.odt); save the document as plain text"),
    (b"\x1f\x8b", "a gzip archive; decompress it first"),
    (b"{\\rtf", "an RTF document; save it as plain text"),
)


def _decode(data: bytes, name: str, *, charset: str | None, kind: str) -> str:
    """Bytes -> str: UTF-8 (BOM allowed), UTF-16/32 with BOM, or a declared charset."""
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise DecodeError(
                    f"{name}: starts with a {codec.upper()} byte-order mark but byte offset "
                    f"{exc.start} is not valid {codec.upper()}; re-save the file as UTF-8",
                    detail={"offset": exc.start},
                ) from None
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise DecodeError(f"{name}: is {what}, not text; give a .txt, .html or .json file")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise DecodeError(
            f"{name}: looks like a binary file (NUL byte at byte offset {nul}), not text; "
            "give a .txt, .html or .json file (UTF-16 text needs a byte-order mark)",
            detail={"offset": nul},
        )
    declared = charset
    if declared is None and kind == _HTML:
        m = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", data[:4096], re.IGNORECASE)
        declared = m.group(1).decode("ascii") if m else None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if declared:  # an explicit charset label (HTTP header or <meta>): trust it
            try:
                return data.decode(declared)
            except (LookupError, UnicodeDecodeError):
                pass
        bad = data[exc.start : exc.start + 1].hex()
        raise DecodeError(
            f"{name}: is not UTF-8 text (byte 0x{bad} at byte offset {exc.start}). "
            "Convert it to UTF-8 and retry, e.g. "
            f"`iconv -f latin1 -t utf-8 {name} > {Path(name).stem}.utf8{Path(name).suffix}` "
            "(use the file's real encoding instead of latin1 if you know it)",
            detail={"offset": exc.start},
        ) from None


def _kind(name: str, content_type: str | None) -> tuple[str | None, str | None]:
    """(kind, charset) from the content type, else from the name's suffix; kind None = sniff."""
    if content_type:
        mime, _, params = content_type.partition(";")
        mime = mime.strip().lower()
        m = re.search(r"charset=[\"']?([\w-]+)", params, re.IGNORECASE)
        charset = m.group(1) if m else None
        if charset:
            try:
                codecs.lookup(charset)
            except LookupError:
                raise FormatError(
                    f"{name}: unknown charset {charset!r} in content type {content_type!r}; "
                    "send UTF-8"
                ) from None
        if mime not in _CONTENT_TYPE_KIND:
            supported = ", ".join(sorted(_CONTENT_TYPE_KIND))
            raise FormatError(
                f"{name}: unsupported content type {mime!r}; send one of: {supported}"
            )
        return _CONTENT_TYPE_KIND[mime], charset
    return _SUFFIX_KIND.get(Path(name).suffix.lower()), None


def _json_records(text: str, name: str, kind: str) -> list[tuple[str, object]]:
    """(label for messages, record) pairs from a JSON or JSON Lines document."""
    if kind == _JSON:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            if exc.msg == "Extra data":  # several objects, one per line: JSON Lines named .json
                return _json_records(text, name, _JSONL)
            raise FormatError(
                f"{name}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}. "
                f"Fix the syntax (check with `python -m json.tool {name}`)",
                detail={"line": exc.lineno, "column": exc.colno},
            ) from None
        if isinstance(data, list):
            if not data:
                raise EmptyArticleError(f"{name}: the JSON list is empty; add article records")
            return [(f"{name}, item {i}", rec) for i, rec in enumerate(data, 1)]
        return [(name, data)]
    records: list[tuple[str, object]] = []
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            records.append((f"{name}, line {lineno}", json.loads(line)))
        except json.JSONDecodeError as exc:
            raise FormatError(
                f"{name}, line {lineno}: invalid JSON ({exc.msg} at column {exc.colno}). "
                "Each line of a JSON Lines file must be one complete JSON object",
                detail={"line": lineno, "column": exc.colno},
            ) from None
    if not records:
        raise EmptyArticleError(f"{name}: the JSON Lines file has no records; add one per line")
    return records


def load_bytes(
    data: bytes,
    *,
    name: str,
    content_type: str | None = None,
    source: str | None = None,
    title: str | None = None,
    url: str | None = None,
    published: dt.date | str | None = None,
) -> list[Article]:
    """Articles from raw bytes; the format comes from ``content_type``, else ``name``'s suffix.

    For JSON the records' own fields win; ``source``/``title``/``url``/``published`` fill in
    what a record lacks. Without any source the name's stem is used.
    """
    kind, charset = _kind(name, content_type)
    if not data.strip():
        raise EmptyArticleError(f"{name}: the file is empty; {_EMPTY_HINT}.")
    text = _decode(data, name, charset=charset, kind=kind or _TEXT)
    if kind is None:
        kind = _HTML if _looks_like_html(text) else _TEXT
    if not text.strip():
        raise EmptyArticleError(f"{name}: the file is empty; {_EMPTY_HINT}.")
    if kind == _TEXT:
        return [
            from_text(
                text, source=source or source_from(url, name), title=title, url=url,
                published=published, origin=name,
            )
        ]  # fmt: skip
    if kind == _HTML:  # source: given, else page URL host, else site name, else name's stem
        return [
            from_html(text, source=source, title=title, url=url, published=published, origin=name)
        ]
    defaults = {k: v for k, v in (("title", title), ("url", url), ("published", published)) if v}
    return [
        _record_article(
            record, origin=name, what=label, explicit_source=source,
            fallback_source=source_from(None, name), defaults=defaults,
        )
        for label, record in _json_records(text, name, kind)
    ]  # fmt: skip


def _walk(directory: Path) -> list[Path]:
    files: list[Path] = []
    for path in sorted(directory.rglob("*")):
        rel = path.relative_to(directory)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.is_file() and path.suffix.lower() in SUPPORTED_SUFFIXES:
            files.append(path)
    return files


def load_paths(paths: Sequence[str | Path]) -> list[Article]:
    """Articles from files and folders (walked recursively, sorted, hidden files skipped)."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise SourceNotFoundError(
                f"{raw}: no such file or directory; check the path "
                f"(relative paths start from {Path.cwd()})"
            )
        if path.is_dir():
            found = _walk(path)
            if not found:
                raise InputError(
                    f"{raw}: the directory holds no article files; put files ending in "
                    f"{', '.join(SUPPORTED_SUFFIXES)} in it"
                )
            files.extend(found)
        else:
            files.append(path)
    articles: list[Article] = []
    for file in files:
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise SourceNotFoundError(
                f"{file}: cannot be read ({exc.strerror}); check its permissions"
            ) from None
        articles.extend(load_bytes(data, name=str(file)))
    return articles
