"""The words that put a claim as less than known, shared by the anchored and aligned hedge rules."""

from __future__ import annotations

import re

# Epistemic hedges: the writer reports a fact as believed, expected or claimed, not as known.
HEDGES = re.compile(
    r"\b(?:reportedly|allegedly|alleged|apparently|purportedly|supposedly|presumably"
    r"|(?:is|are|was|were|been|being)\s+(?:widely\s+)?(?:believed|thought|understood|said"
    r"|reported|presumed|suspected|judged|expected|estimated)\b"
    r"|it\s+is\s+(?:believed|thought|understood|suspected)"
    r"|(?:appears?|appeared|seems?|seemed)\s+to(?:\s+have)?(?:\s+been)?"
    r"|suspected|unconfirmed|what\s+appeared\s+to\s+be|calls?\s+itself|presumed"
    r"|(?:believed|thought)\s+to\s+(?:be|have)"
    r"|suggest(?:s|ed)?|treat(?:s|ed|ing)?\s+(?:it|them|the\s+\w+(?:\s+of\s+the\s+\w+)?)\s+as)\b",
    re.IGNORECASE,
)
# Other words that put a claim as less than known, on the plain side: a possibility, a label,
# or what evidence is said to show ("studies show it is 90% effective").
OTHER_HEDGES = re.compile(
    r"(?i)\b(?:what\s+(?:it|they|he|she)\s+called|described\s+as|so-called|dubbed|likely"
    r"|possibly|probably|may|might|could"
    r"|(?:studies|data|tests|results|trials?)\s+show(?:s|ed)?)\b"
)
