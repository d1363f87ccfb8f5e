"""Quote copy edits and possessive phrases (factcheck.conflicts.quote_edits), invented text."""

from __future__ import annotations

from factcheck.conflicts import detect
from tests.test_conflicts import pair, sent, types_of


def test_a_function_word_changed_in_a_verbatim_copy_is_a_misquote() -> None:
    cases = [
        ('"We hope to send our boats out onto the lake to start a wider hunt for the hikers."',
         '"We hope to send our boats out onto the lake and start a wider hunt for the hikers."'),
        ('"Given the hours in the hunt, the work we put into it, the cold water at this late hour"',
         '"Given the hours in this hunt, the work we\'ve put into it, the cold water at this '
         'late hour"'),
    ]  # fmt: skip
    for ta, tb in cases:
        [c] = detect(*pair(sent(ta, "A", quote=True), sent(tb, "B", quote=True)))
        assert (c.type, c.severity) == ("quote", "medium"), (ta, tb)
        assert "copied word" in c.explanation


def test_function_words_in_short_or_reordered_renderings_stay_wording() -> None:
    variants = [
        ('"That\'s why we came here," he said.', '"This is why we came here," he said.'),
        # no run of ten shared words: two renderings, not one copy
        ('"It would be a great honour to speak with you and your people."',
         '"It would be a great honor to speak to you and your people."'),
        # one article spelled two ways
        ('"It is an historic day for all of us who have worked on this bridge for years."',
         '"It is a historic day for all of us who have worked on this bridge for years."'),
        # function words only dropped: a tidied quote
        ('"We will reach the people who are still trapped under the dam before the night falls."',
         '"We will reach the people still trapped under the dam before the night falls."'),
    ]  # fmt: skip
    for ta, tb in variants:
        got = types_of(*pair(sent(ta, "A", quote=True), sent(tb, "B", quote=True)))
        assert got == [], (ta, tb, got)


def test_a_possessive_phrase_added_to_a_quote_is_a_misquote() -> None:
    ta = '"This is the finest hour in the last six weeks," he said.'
    tb = '"This is the finest hour in my life in the last six weeks," he said.'
    [c] = detect(*pair(sent(ta, "A", quote=True), sent(tb, "B", quote=True)))
    assert c.type == "quote" and "dropped or added" in c.explanation
    # a possessive alone, its noun in both quotes, is a translator's
    tc = '"Everyone puts their heart into their work," he said.'
    td = '"Everyone puts their heart into work," he said.'
    assert types_of(*pair(sent(tc, "A", quote=True), sent(td, "B", quote=True))) == []


def test_a_near_homograph_in_a_quote_is_a_misread_word() -> None:
    ta = '"The drone flew in an attempt to survey military ports," he said.'
    tb = '"The drone flew in an attempt to surveil military ports," he said.'
    [c] = detect(*pair(sent(ta, "A", quote=True), sent(tb, "B", quote=True)))
    assert c.type == "quote" and "misread" in c.explanation
    # one word inflected, spelled the British way, or a name spelled two ways: not misread
    variants = [
        ('"We protest against the flight of the craft," he said.',
         '"We protests against the flight of the craft," he said.'),
        ('"We realise the harm done to the harbour," he said.',
         '"We realize the harm done to the harbour," he said.'),
        ('"The programme will go on amongst the towns of the region," he said.',
         '"The program will go on among the towns of the region," he said.'),
        ('"We thank Mister Hasanov for the help," he said.',
         '"We thank Mister Hassanov for the help," he said.'),
    ]  # fmt: skip
    for ta, tb in variants:
        got = types_of(*pair(sent(ta, "A", quote=True), sent(tb, "B", quote=True)))
        assert got == [], (ta, tb, got)


def test_a_content_word_swapped_in_a_copied_text_is_a_misquote() -> None:
    ta = ('"We cannot say how high the flood damage will go as crews pump the water out of '
          'several streets in the old town," he said.')  # fmt: skip
    tb = ('"We cannot say how high the flood losses will go as crews pump the water out of '
          'several streets in the old town," he said.')  # fmt: skip
    [c] = detect(*pair(sent(ta, "A", quote=True), sent(tb, "B", quote=True)))
    assert c.type == "quote" and "copied text" in c.explanation
    # an abbreviation with and without its dots is one word
    te = ('"We took certain systems offline, which halted all pipeline operations and affected '
          'some of our IT systems," it said.')  # fmt: skip
    tf = ('"We took certain systems offline, which halted all pipeline operations and affected '
          'some of our I.T. systems," it said.')  # fmt: skip
    assert types_of(*pair(sent(te, "A", quote=True), sent(tf, "B", quote=True))) == []
    # a shorter shared run: two renderings of one remark, a synonym is a translator's
    tc = '"I hope even my fiercest critics stay here, because that is what free speech means."'
    td = '"I hope even my worst critics stay here, because that is what free speech means."'
    assert types_of(*pair(sent(tc, "A", quote=True), sent(td, "B", quote=True))) == []
