"""``update``: a figure that moved between reports published on different days.

No sentence rule: the claim rules of ``factcheck.claim_conflicts`` emit it ("14 killed" on
Tuesday, "19 killed" on Wednesday), where a timeline reads better than a contradiction.
"""

from __future__ import annotations

from factcheck.conflicts.registry import ConflictKind, register

KIND = register(
    ConflictKind(
        name="update",
        label="Update",
        description="a figure that moved between reports published on different days",
        order=80,
    )
)
