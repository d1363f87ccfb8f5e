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

Where each step lives (the flow, top to bottom):

* ``formats/``: the FORMATS registry; ``text``, ``html`` and ``records`` (JSON / JSON Lines)
  each register themselves, and a new input format is one more module there;
* ``decode``: bytes -> text (BOMs, declared charsets; refuses binaries and bad UTF-8);
* ``boilerplate`` + ``rules``: what each paragraph is, with the rule that says so;
* ``clean``: where the article starts and ends, the headline, repeated paragraphs;
* ``dates``: publication dates, datelines, page timestamps;
* ``article``: stable id, source name, the Article builder; ``load``: bytes, files, folders.
"""

from __future__ import annotations

from factcheck.ingest.article import article_id, source_from
from factcheck.ingest.clean import clean_paragraphs
from factcheck.ingest.dates import parse_date
from factcheck.ingest.formats import FORMATS, SUPPORTED_SUFFIXES, Format, Request
from factcheck.ingest.formats.html import from_html
from factcheck.ingest.formats.records import from_record
from factcheck.ingest.formats.text import from_text
from factcheck.ingest.load import _walk, load_bytes, load_paths, walk

__all__ = [
    "FORMATS",
    "SUPPORTED_SUFFIXES",
    "Format",
    "Request",
    "article_id",
    "clean_paragraphs",
    "from_html",
    "from_record",
    "from_text",
    "load_bytes",
    "load_paths",
    "parse_date",
    "source_from",
    "walk",
]
_ = _walk  # kept importable as ``ingest._walk`` for callers written before the split
