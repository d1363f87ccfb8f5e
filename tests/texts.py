"""Invented article texts shared by the fixtures (``conftest.py``) and by tests that build
corpora from them (``from texts import ...``: a module of its own, since ``conftest`` is
ambiguous once a test sub-folder has a conftest too)."""

from __future__ import annotations

# An invented story told by two outlets that disagree on one number (14 vs 19 injured), a wire
# copy republished by a third outlet, and an unrelated article. Sentences are long enough that
# even the bag-of-words FakeEmbedder aligns the right pairs.
STORY_WIRE = (
    "A pedestrian bridge collapsed in the harbor town of Westhaven on Tuesday evening, "
    "injuring 14 people who were crossing it.\n\n"
    "Mayor Laura Finch said the steel structure had passed a safety inspection in March.\n\n"
    "Emergency crews closed the coastal road for six hours while divers searched the water.\n\n"
    "The town council will hold an emergency meeting on Friday to discuss the repairs."
)
STORY_PAPER = (
    "A pedestrian bridge collapsed in the harbor town of Westhaven on Tuesday evening, "
    "injuring 19 people who were crossing it.\n\n"
    "Mayor Laura Finch said the steel structure had passed a safety inspection in March.\n\n"
    "Local shop owners said they had complained about rust on the railings for years.\n\n"
    "The town council will hold an emergency meeting on Friday to discuss the repairs."
)
UNRELATED = (
    "The national orchestra opened its winter season with a program of Baltic composers.\n\n"
    "Tickets for the twelve concerts sold out within a day, the box office reported.\n\n"
    "The conductor thanked the audience and promised a free open-air concert in June."
)

# An invented flood told on two days: the toll rose overnight (14, then 19 killed), which is an
# ``update`` (a figure that moved between reports), not a contradiction. Two shared sentences
# put both reports in one story.
FLOOD_FIRST = (
    "Heavy rain flooded the river valley town of Marlow on Monday night, and at least 14 "
    "people were killed, officials said.\n\n"
    "Rescue teams from three provinces searched the flooded streets of Marlow for survivors.\n\n"
    "The regional governor declared a state of emergency across the whole river valley."
)
FLOOD_NEXT = (
    "The flood in the river valley town of Marlow has now killed 19 people, officials said "
    "on Tuesday.\n\n"
    "Rescue teams from three provinces searched the flooded streets of Marlow for survivors.\n\n"
    "The regional governor declared a state of emergency across the whole river valley."
)
