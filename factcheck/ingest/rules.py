"""Boilerplate rules: the phrase and shape patterns that name what a page paragraph is.

General rules only (no site-specific code); every pattern is named after the reason it gives,
so ``Article.removed_reasons`` says which rule removed a paragraph.
"""

from __future__ import annotations

import re

from factcheck.ingest.dates import _AGENCY
from factcheck.ingest.lazyre import _LazyRe

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
