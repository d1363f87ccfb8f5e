"""The typed conflict rules on hand-built facts: each type fires, each non-conflict stays quiet.

These pin the rules themselves; tests/test_compare.py checks the same behaviour end to end on
fixture articles through the real models.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from factcheck.conflicts import detect
from factcheck.types import Cue, Fact, Match, Quote, Sentence, SentenceFacts


def sent(text: str, article: str, *, quote: bool = False, speaker: str | None = None) -> Sentence:
    quotes = ()
    if quote:
        lo, hi = text.index('"') + 1, text.rindex('"')
        quotes = (Quote(lo, hi, text[lo:hi], speaker),)
    return Sentence(article, 0, 0, len(text), text, quotes, speaker)


def num(text: str, within: str, value: float, unit: str, **kw: object) -> Fact:
    i = within.index(text)
    return Fact("number", text, i, i + len(text), value, unit, **kw)  # type: ignore[arg-type]


def pair(
    a: Sentence, b: Sentence, fa: tuple[Fact, ...] = (), fb: tuple[Fact, ...] = (), **kw: object
) -> tuple[SentenceFacts, SentenceFacts, Match]:
    ca = kw.get("ca", ())
    cb = kw.get("cb", ())
    la = kw.get("la", ())
    lb = kw.get("lb", ())
    m = Match(a, b, "Herald", "Wire", 0.9, "same_claim")
    return (
        SentenceFacts(a, fa, ca, la),  # type: ignore[arg-type]
        SentenceFacts(b, fb, cb, lb),  # type: ignore[arg-type]
        m,
    )


def types_of(*args: object) -> list[str]:
    return [c.type for c in detect(*args)]  # type: ignore[arg-type]


def test_number_change_is_a_high_conflict_with_spans() -> None:
    ta, tb = "The city paid $80 million.", "The city paid $55 million."
    a, b = sent(ta, "A"), sent(tb, "B")
    fa = (num("$80 million", ta, 80e6, "USD", precision=1e6),)
    fb = (num("$55 million", tb, 55e6, "USD", precision=1e6),)
    [c] = detect(*pair(a, b, fa, fb))
    assert c.type == "number" and c.severity == "high"
    assert '"$80 million"' in c.explanation and '"$55 million"' in c.explanation
    assert [s.text for s in c.a_spans] == ["$80 million"]
    assert [s.text for s in c.b_spans] == ["$55 million"]


def test_rounding_and_approximation_are_not_conflicts() -> None:
    ta, tb = "It costs around $80 million.", "It costs $80.4 million."
    fa = (num("$80 million", ta, 80e6, "USD", precision=1e6, approx=True),)
    fb = (num("$80.4 million", tb, 80.4e6, "USD", precision=1e5),)
    assert types_of(*pair(sent(ta, "A"), sent(tb, "B"), fa, fb)) == []
    ta, tb = "About 1,200 workers.", "Some 1,180 workers."
    fa = (num("1,200 workers", ta, 1200.0, "worker", precision=1.0, approx=True),)
    fb = (num("1,180 workers", tb, 1180.0, "worker", precision=1.0, approx=True),)
    assert types_of(*pair(sent(ta, "A"), sent(tb, "B"), fa, fb)) == []


def test_numbers_with_different_units_are_not_compared() -> None:
    ta, tb = "Four astronauts flew.", "Five crew members flew."
    fa = (num("Four astronauts", ta, 4.0, "astronaut", precision=1.0),)
    fb = (num("Five crew members", tb, 5.0, "member", precision=1.0),)
    assert types_of(*pair(sent(ta, "A"), sent(tb, "B"), fa, fb)) == []


def test_weekday_and_date_of_the_same_day_agree_but_other_days_conflict() -> None:
    ta, tb = "He spoke on Wednesday.", "He spoke on Feb. 12."
    wd = Fact("weekday", "Wednesday", 12, 21, "wednesday", resolved=dt.date(2025, 2, 12))
    same = Fact("date", "Feb. 12", 12, 19, "2025-02-12")
    assert types_of(*pair(sent(ta, "A"), sent(tb, "B"), (wd,), (same,))) == []
    unresolved = Fact("weekday", "Wednesday", 12, 21, "wednesday")
    assert types_of(*pair(sent(ta, "A"), sent(tb, "B"), (unresolved,), (same,))) == []
    other = Fact("date", "Feb. 13", 12, 19, "2025-02-13")
    [c] = detect(*pair(sent(ta, "A"), sent("He spoke on Feb. 13.", "B"), (wd,), (other,)))
    assert c.type == "date" and "2025-02-12 vs 2025-02-13" in c.explanation


def wday(name: str, within: str, **kw: object) -> Fact:
    i = within.index(name)
    return Fact("weekday", name, i, i + len(name), name.lower(), **kw)  # type: ignore[arg-type]


def test_one_date_each_in_one_statement_dates_its_event_wherever_it_stands() -> None:
    ta = "The navy jet on Sunday shot down the drone over the bay."
    tb = "A navy jet shot down the drone, which officials called a probe, over the bay on Saturday."
    fa, fb = (wday("Sunday", ta),), (wday("Saturday", tb),)
    [c] = detect(*pair(sent(ta, "A"), sent(tb, "B"), fa, fb))
    assert c.type == "date" and [s.text for s in c.b_spans] == ["Saturday"]
    fa_, fb_, m = pair(sent(ta, "A"), sent(tb, "B"), fa, fb)
    loose = Match(m.a, m.b, m.a_source, m.b_source, 0.7, "same_claim")
    assert [x.type for x in detect(fa_, fb_, loose)] == []  # not one statement: two events
    sunday_b = Fact("weekday", "Sunday", fb[0].start, fb[0].end, "sunday")
    late = (replace(fa[0], resolved=dt.date(2025, 2, 9)),)
    early = (replace(sunday_b, resolved=dt.date(2025, 2, 2)),)
    assert types_of(*pair(sent(ta, "A"), sent(tb, "B"), late, early)) == []  # one day as written
    ya = "It aims to make 50 doses in 2030."
    yb = "It aims to make 90 doses, which is a lot, in 2031."
    years = (Fact("date", "2030", 28, 32, "2030"),), (Fact("date", "2031", 45, 49, "2031"),)
    assert types_of(*pair(sent(ya, "A"), sent(yb, "B"), *years)) == []  # years scope claims
    ra = "On Monday night the storm flattened the harbour wall."
    rb = "The storm has flattened the harbour wall, officials said on Tuesday."
    told = (wday("Monday", ra),), (wday("Tuesday", rb),)
    assert types_of(*pair(sent(ra, "A"), sent(rb, "B"), *told)) == []  # the day of the telling


def test_negation_flip_is_high() -> None:
    ta, tb = "Inspectors found damage.", "Inspectors found no damage."
    cb = (Cue("negation", "no", 17, 19, "damage"),)
    lem = ("inspector", "find", "damage")
    [c] = detect(*pair(sent(ta, "A"), sent(tb, "B"), cb=cb, la=lem, lb=lem))
    assert (c.type, c.severity) == ("negation", "high")
    assert [s.text for s in c.b_spans] == ["no"]


def test_dropped_hedge_is_flagged_with_both_phrases() -> None:
    ta = "Putin does not use social networks."
    tb = "Putin does not directly use social networks."
    neg_a = (Cue("negation", "not", 11, 14, "use"),)
    neg_b = (Cue("negation", "not", 11, 14, "use"), Cue("hedge", "directly", 15, 23, "use"))
    lem = ("putin", "use", "social", "network")
    [c] = detect(*pair(sent(ta, "A"), sent(tb, "B"), ca=neg_a, cb=neg_b, la=lem, lb=lem))
    assert c.type == "hedge"
    assert '"does not use"' in c.explanation and '"does not directly use"' in c.explanation
    assert "directly" in [s.text for s in c.b_spans]


def test_quote_wording_variants_are_not_conflicts() -> None:
    # a translator's choice: function words, synonyms, contractions, word order, per cent
    variants = [
        ('He wrote: "It would be a great honour to speak with you."',
         '"It would be a great honor to speak to you," he wrote.'),
        ('"It is an honour to serve," she said.', 'She said: "It is an honor to serve."'),
        ('"That\'s why we came here," he said.', '"This is why we came here," he said.'),
        ('"We are going to find them," he said.', '"We\'re going to find them," he said.'),
        ('"It was the biggest disaster since 1939," he said.',
         '"It was the worst disaster since 1939," he said.'),
        ('"He was absolutely happy to be home," she said.',
         '"He was perfectly happy to be home," she said.'),
        ('"The vaccine is 90% effective," he said.',
         '"The vaccine is 90 percent effective," he said.'),
    ]  # fmt: skip
    for ta, tb in variants:
        got = types_of(*pair(sent(ta, "A", quote=True), sent(tb, "B", quote=True)))
        assert got == [], (ta, tb, got)


def test_quote_changes_of_meaning_or_strength_are_conflicts() -> None:
    cases = [
        ('"I am very pleased with the result," he said.',
         '"I am absolutely pleased with the result," he said.', "strength"),
        ('"It goes on in several buildings," he said.', '"It goes on in many buildings," he said.',
         "strength"),
        ('"It is a proud day for science and the city," he said.',
         '"It is a proud day for the city," he said.', "dropped or added"),
        ('"We expect 50 million doses," she said.', '"We expect 40 million doses," she said.',
         "number"),
    ]  # fmt: skip
    for ta, tb, why in cases:
        [c] = detect(*pair(sent(ta, "A", quote=True), sent(tb, "B", quote=True)))
        assert (c.type, c.severity) == ("quote", "medium") and why in c.explanation, (ta, tb)


def test_quote_content_change_is_medium_and_partial_quotes_are_fine() -> None:
    ta = '"We will not raise tolls this year," she said.'
    tb = '"We will not raise tolls this decade," she said.'
    [c] = detect(*pair(sent(ta, "A", quote=True), sent(tb, "B", quote=True)))
    assert (c.type, c.severity) == ("quote", "medium")
    ta2 = '"We hope to meet him soon, but no date is set," he said.'
    tb2 = 'He said "we hope to meet him soon".'
    assert types_of(*pair(sent(ta2, "A", quote=True), sent(tb2, "B", quote=True))) == []


def test_attribution_to_another_person_is_high_but_roles_and_pronouns_are_not() -> None:
    ta, tb = '"The bridge is safe," said Elena Ruiz.', '"The bridge is safe," said Tom Becker.'
    a = sent(ta, "A", quote=True, speaker="Elena Ruiz")
    b = sent(tb, "B", quote=True, speaker="Tom Becker")
    [c] = detect(*pair(a, b))
    assert (c.type, c.severity) == ("attribution", "high")
    assert [s.text for s in c.b_spans] == ["Tom Becker"]
    a2 = sent(ta, "A", quote=True, speaker="Elena Ruiz")
    for other in ("Ruiz", "the mayor", "she", "Putin's spokesman"):
        b2 = sent(tb, "B", quote=True, speaker=other)
        assert "attribution" not in types_of(*pair(a2, b2)), other


def test_entity_swap_is_flagged_only_as_a_substitution() -> None:
    ta, tb = "Engineers from Portland will do it.", "Engineers from Seattle will do it."
    fa = (Fact("place", "Portland", 15, 23, "Portland"),)
    fb = (Fact("place", "Seattle", 15, 22, "Seattle"),)
    [c] = detect(*pair(sent(ta, "A"), sent(tb, "B"), fa, fb))
    assert (c.type, c.severity) == ("entity", "medium")
    extra = (*fb, Fact("place", "Oregon", 0, 6, "Oregon"))
    assert types_of(*pair(sent(ta, "A"), sent(tb, "B"), fa, extra)) == []


def test_duplicates_never_conflict() -> None:
    ta = "The city paid $80 million."
    a, b = sent(ta, "A"), sent(ta, "B")
    fa = (num("$80 million", ta, 80e6, "USD", precision=1e6),)
    m = Match(a, b, "Herald", "Wire", 1.0, "duplicate")
    assert detect(SentenceFacts(a, fa), SentenceFacts(b, fa), m) == []


def test_partial_dates_compare_on_what_they_share() -> None:
    ta, tb = "It happened on Feb. 15.", "It happened on February 15, 2021."
    no_year = Fact("date", "Feb. 15", 15, 22, "--02-15")
    full = Fact("date", "February 15, 2021", 15, 32, "2021-02-15")
    assert types_of(*pair(sent(ta, "A"), sent(tb, "B"), (no_year,), (full,))) == []
    other = Fact("date", "February 16, 2021", 15, 32, "2021-02-16")
    assert types_of(*pair(sent(ta, "A"), sent(tb, "B"), (no_year,), (other,))) == ["date"]
    vague = Fact("date", "last year", 15, 24, "last year")
    assert types_of(*pair(sent(ta, "A"), sent(tb, "B"), (vague,), (full,))) == []


def test_swaps_need_near_identical_statements() -> None:
    ta = "Later that week Twitter reported record sign-ups across Europe."
    tb = "Musk said the Kremlin had not yet answered his invitation."
    fa = (Fact("person", "Twitter", 16, 23, "Twitter"),)
    fb = (Fact("person", "Musk", 0, 4, "Musk"),)
    assert types_of(*pair(sent(ta, "A"), sent(tb, "B"), fa, fb)) == []
    qa = sent(
        '"We hope to meet soon," said Dmitry Peskov on Monday.',
        "A",
        quote=True,
        speaker="Dmitry Peskov",
    )
    qb = sent(
        '"Mars is the goal for this decade," said Elon Musk.', "B", quote=True, speaker="Elon Musk"
    )
    assert "attribution" not in types_of(*pair(qa, qb))


def test_bounds_are_compared_as_ranges_not_points() -> None:
    # "more than 120" agrees with 121; "less than $166.4 million" disagrees with $166.5 million
    # though the two amounts are closer than rounding-free approximations would allow.
    ta, tb = "He scored more than 120 goals.", "He scored 121 goals."
    fa = (num("120 goals", ta, 120.0, "goal", precision=1.0, approx=True, bound=">"),)
    fb = (num("121 goals", tb, 121.0, "goal", precision=1.0),)
    assert types_of(*pair(sent(ta, "A"), sent(tb, "B"), fa, fb)) == []
    ta, tb = "It grossed less than $166.4 million.", "It grossed $166.5 million."
    fa = (num("$166.4 million", ta, 166.4e6, "USD", precision=1e5, approx=True, bound="<"),)
    fb = (num("$166.5 million", tb, 166.5e6, "USD", precision=1e5),)
    [c] = detect(*pair(sent(ta, "A"), sent(tb, "B"), fa, fb))
    assert c.type == "number" and [s.text for s in c.b_spans] == ["$166.5 million"]


def test_date_bounds_hold_the_dates_inside_them() -> None:
    from factcheck.facts import parse_dates

    def check(ta: str, tb: str) -> list[str]:
        fa, fb = tuple(parse_dates(ta)), tuple(parse_dates(tb))
        return types_of(*pair(sent(ta, "A"), sent(tb, "B"), fa, fb))

    assert check("The band split up after 2005.", "The band split up in 2006.") == []
    assert check("The band split up after 2005.", "The band split up in 2004.") == ["date"]
    assert check("The band split up after 2005.", "The band split up in 2005.") == ["date"]
    assert check("The band split up before March 2019.", "The band split up in 2019.") == []
    assert check("The band split up before 2019.", "The band split up in 2018.") == []


def test_a_contrast_or_a_possibility_is_not_a_denied_claim() -> None:
    ta = "Acme is now a private firm, not a listed one, after the sale."
    tb = "Acme is now a privately owned firm after the sale."
    neg = (Cue("negation", "not", 28, 31, "firm"),)
    lem = ("acme", "private", "firm", "sale")
    assert types_of(*pair(sent(ta, "A"), sent(tb, "B"), ca=neg, la=lem, lb=lem)) == []
    tc, td = "We did not spill a drop of blood.", "Blood may spill now."
    neg_c = (Cue("negation", "not", 7, 10, "spill"),)
    may_d = (Cue("hedge", "may", 6, 9, "spill"),)
    lc, ld = ("spill", "drop", "blood"), ("blood", "spill")
    assert types_of(*pair(sent(tc, "A"), sent(td, "B"), ca=neg_c, cb=may_d, la=lc, lb=ld)) == []


def test_elisions_asides_and_translation_fillers_are_not_misquotes() -> None:
    variants = [
        ('"I know that I will leave and go home because I am right," he said.',
         '"I know I am right," he said.'),  # a shortened quote
        ('"The leader (Kim Jong Un - TASS) shows great interest," he said.',
         '"The leader shows great interest," he said.'),  # an editor's aside
        ('"This is the finest hour in the last six weeks," he said.',
         '"It is my finest hour in six weeks," he said.'),  # a translator's fillers
        ('"The leader of the DPRK wants rockets," he said.',
         '"The North Korean leader wants rockets," he said.'),  # one country, two names
    ]  # fmt: skip
    for ta, tb in variants:
        got = types_of(*pair(sent(ta, "A", quote=True), sent(tb, "B", quote=True)))
        assert got == [], (ta, tb, got)


def test_a_country_name_dropped_from_a_quote_is_still_a_misquote() -> None:
    ta = '"We will work with Japan and North Korea on this," he said.'
    tb = '"We will work with Japan on this," he said.'
    assert types_of(*pair(sent(ta, "A", quote=True), sent(tb, "B", quote=True))) == ["quote"]


def test_a_word_said_with_another_strength() -> None:
    ta = 'Solberg said she was "very pleased with the vote".'
    tb = 'Solberg said she was "absolutely pleased" with the vote.'
    [c] = detect(*pair(sent(ta, "A", quote=True), sent(tb, "B", quote=True)))
    assert c.type == "quote" and [s.text for s in c.a_spans] == ["very pleased"]
    assert [s.text for s in c.b_spans] == ["absolutely pleased"]
    # indirect speech, and a plain word against an intensified one: a hedge-type change
    [h] = detect(*pair(sent("The mayor said she was very glad to see the results.", "A"),
                       sent("The mayor said she was glad to see the results.", "B")))  # fmt: skip
    assert h.type == "hedge" and [s.text for s in h.b_spans] == ["glad"]
    # one level, a translator's choice
    sa, sb = "He was absolutely happy to be home.", "He was perfectly happy to be home."
    assert types_of(*pair(sent(sa, "A"), sent(sb, "B"))) == []


def test_a_wording_only_difference_is_reported_as_a_translation_variant() -> None:
    from factcheck.conflicts import quote_variants

    ta = '"It was the biggest disaster since 1939," he said.'
    tb = '"It was the worst disaster since 1939," he said.'
    fa, fb, m = pair(sent(ta, "A", quote=True), sent(tb, "B", quote=True))
    assert detect(fa, fb, m) == []
    [v] = quote_variants(fa, fb, m)
    assert v.severity == "low" and v.explanation.startswith("Translation variant")
    assert [s.text for s in v.a_spans] == ["biggest"] and [s.text for s in v.b_spans] == ["worst"]


def test_a_reordered_rendering_of_one_remark_is_compared_for_strength_only() -> None:
    ta = (
        '"We cannot say how much damage was done while crews keep working in several streets of '
        'the flooded district," he said.'
    )
    tb = (
        '"As crews keep working in many streets of the flooded district, we cannot say how '
        'much damage was done," he said.'
    )
    [c] = detect(*pair(sent(ta, "A", quote=True), sent(tb, "B", quote=True)))
    assert (c.type, c.severity) == ("quote", "medium") and "strength" in c.explanation
    assert [s.text for s in c.a_spans] == ["several"] and [s.text for s in c.b_spans] == ["many"]
    same = tb.replace("many streets", "several streets")
    assert types_of(*pair(sent(ta, "A", quote=True), sent(same, "B", quote=True))) == []


def test_short_country_names_agree_and_a_dateline_is_no_place_of_the_story() -> None:
    ta, tb = (
        "Ostria's capital accused the US of overreacting.",
        "Ostria said the United States overreacted.",
    )
    fa = (Fact("place", "Ostria", 0, 6, "Ostria"), Fact("place", "US", 30, 32, "US"))
    fb = (
        Fact("place", "Ostria", 0, 6, "Ostria"),
        Fact("place", "United States", 16, 29, "United States"),
    )
    assert types_of(*pair(sent(ta, "A"), sent(tb, "B"), fa, fb)) == []
    tc = "Norburg/Velm : Talks between the two leaders began at the Kessel cosmodrome."
    td = "The two leaders began talks at the Kessel cosmodrome in the far east of Ostria."
    fc = (Fact("place", "Norburg", 0, 7, "Norburg"),)
    fd = (Fact("place", "Ostria", 71, 77, "Ostria"),)
    assert types_of(*pair(sent(tc, "A"), sent(td, "B"), fc, fd)) == []


def test_a_claim_moved_between_unnamed_sources_and_the_record_is_an_attribution() -> None:
    ta = "The plant shut down after a fault that industry sources said was caused by a storm."
    tb = "The plant shut down after a fault that the operator said was caused by a storm."
    [c] = detect(*pair(sent(ta, "A"), sent(tb, "B")))
    assert (c.type, c.severity) == ("attribution", "medium")
    assert [s.text for s in c.a_spans] == ["industry sources"]
    assert [s.text for s in c.b_spans] == ["the operator"]
    tc = "The plant shut down after a fault that the company said was caused by a storm."
    assert types_of(*pair(sent(tb, "B"), sent(tc, "C"))) == []  # both on the record
