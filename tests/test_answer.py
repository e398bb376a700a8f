"""Answer: verbatim cited sentences, and abstention when the documents don't answer."""

import dataclasses

import pytest

from fieldguide.answer import Answer, Citation, pick_sentences, with_neighbours
from fieldguide.engine import Engine
from fieldguide.question import analyse
from fieldguide.search import Hit


def one_sentence_passages(texts: list[str], title: str = "Guide"):
    """`for_type`'s inputs for passages of one sentence each: (top hits, candidates)."""
    from types import SimpleNamespace

    top = [SimpleNamespace(text=t, title=title, section="") for t in texts]
    return top, [(n, 0, len(t), t) for n, t in enumerate(texts, start=1)]


def rarity_over(texts: list[str]):
    """`rarity(term)` of a BM25 index over `texts`."""
    from fieldguide import bm25

    lexical = bm25.build(texts)
    return lambda term: bm25.rarity(lexical, term)


def test_pick_sentences_keeps_close_runners_up():
    assert pick_sentences([0.2, 0.9, 0.8, 0.1], 3) == [1, 2]
    assert pick_sentences([0.5, 0.5, 0.5, 0.5], 3) == [0, 1, 2]
    assert pick_sentences([], 3) == []


def test_the_sentence_after_the_closest_is_quoted_beside_it_when_close_enough():
    # (passage number, start, end, text) per candidate sentence
    candidates = [(1, 0, 1, "a"), (1, 2, 3, "b"), (1, 4, 5, "c"), (2, 0, 1, "d")]
    assert with_neighbours([0], candidates, [0.8, 0.5, 0.1, 0.2], 3) == [0, 1]
    assert with_neighbours([0, 3], candidates, [0.8, 0.5, 0.1, 0.7], 3) == [0, 1, 3]  # right after
    assert with_neighbours([0], candidates, [0.8, 0.3, 0.1, 0.2], 3) == [0]  # not close enough
    assert with_neighbours([2], candidates, [0.1, 0.2, 0.8, 0.7], 3) == [2]  # another passage's
    assert with_neighbours([0, 2, 3], candidates, [0.8, 0.7, 0.7, 0.7], 3) == [0, 2, 3]  # no room
    assert with_neighbours([0, 1], candidates, [0.8, 0.7, 0.1, 0.1], 3) == [0, 1]


def test_a_sentence_pointing_back_is_quoted_after_the_one_before_it():
    candidates = [(1, 0, 1, "Sacramento offers treatment."), (1, 2, 3, "These include MAT.")]
    candidates += [(1, 4, 5, "Call the clinic."), (2, 0, 1, "They help too.")]
    assert with_neighbours([1], candidates, [0.2, 0.8, 0.1, 0.1], 3) == [0, 1]
    assert with_neighbours([1], candidates, [0.2, 0.8, 0.6, 0.1], 3) == [0, 1, 2]
    assert with_neighbours([1], candidates, [0.2, 0.8, 0.6, 0.1], 2) == [0, 1]  # no room after
    assert with_neighbours([3], candidates, [0.2, 0.2, 0.2, 0.8], 3) == [3]  # another passage's
    assert with_neighbours([2], candidates, [0.2, 0.2, 0.8, 0.1], 3) == [2]  # points nowhere


def test_spans_of_gives_each_passages_quoted_sentences_within_that_passage():
    first = "Call 911 in an emergency. Text 233733 any time. Shelters open at 6 pm."
    second = "The CAST hotline is 888-539-2373."
    hits = [
        Hit(first, 1.0, "a", "Guide A", "Help", None, 500, 500 + len(first)),
        Hit(second, 0.9, "b", "Guide B", "Hotlines", 2, 40, 40 + len(second)),
        Hit("Nothing quoted here.", 0.8, "c", "Guide C", "", None, 0, 20),
    ]

    def cite(n: int, sentence: str) -> Citation:
        hit = hits[n - 1]
        start = hit.start + hit.text.index(sentence)
        return Citation(
            n, hit.doc_id, hit.title, hit.section, hit.page, sentence, start, start + len(sentence)
        )

    quoted = [
        cite(1, "Shelters open at 6 pm."),
        cite(2, second),
        cite(1, "Call 911 in an emergency."),
    ]
    answer = Answer("Who do I call?", "…", False, quoted, hits)
    assert [first[s:e] for s, e in answer.spans_of(1)] == [
        "Call 911 in an emergency.",
        "Shelters open at 6 pm.",
    ]
    assert answer.spans_of(2) == [(0, len(second))]
    assert answer.spans_of(3) == []


def test_answer_sentences_are_verbatim_and_cited(built, fake_embedder):
    # the fake embedder's cosines are low; the real model's threshold is tested in test_model
    engine = Engine.open(dataclasses.replace(built, abstain_below=0.1), fake_embedder)
    answer = engine.ask("What is the phone number of the Center for Health Justice?")
    assert not answer.abstained and answer.citations
    for citation in answer.citations:
        hit = answer.hits[citation.n - 1]
        document = open(hit.source, encoding="utf-8").read().replace("\u2019", "'")
        assert citation.sentence in document.replace("\u201c", '"').replace("\u201d", '"')
        assert f"{citation.sentence} [{citation.n}]" in answer.answer
        assert citation.doc_id == hit.doc_id and citation.section == hit.section
        assert citation.sentence in [hit.text[s:e] for s, e in answer.spans_of(citation.n)]
    assert "213-955-7500" in answer.answer


def test_off_topic_question_abstains(built, fake_embedder):
    answer = Engine.open(built, fake_embedder).ask("How do I reset my router password?")
    assert answer.abstained and answer.citations == []
    assert "don't seem to cover" in answer.answer


def test_place_names_prefer_the_passages_of_the_place_named():
    from fieldguide.answer import _missing_names, question_names
    from fieldguide.search import Hit

    def hit(title, text):
        return Hit(text, 1.0, title, title, "", None, 0, len(text))

    assert question_names("Where can someone near Westlake get free STI testing?") == {
        "westlak",
        "sti",
    }
    assert question_names("I need help") == set()
    assert question_names('"Westlake shelters?" asked Ana.') == {"westlak", "ana"}
    assert question_names("WHERE CAN I GET FOOD IN WESTLAKE") == set()
    spanish = "¿Dónde hay comida en Westlake? Éclair near Åland"
    assert question_names(spanish) == {"dond", "westlak", "eclair", "aland"}  # folded as BM25
    hits = [hit("Guide to Westlake", "Clinic on 6th"), hit("Walnut Park guide", "Free STI tests")]
    # "STI" titles no document, so only Westlake counts; the Walnut Park passage lacks it
    assert _missing_names("Free STI testing near Westlake?", hits) == [0.0, 1.0]
    # a name in every title ("Guide") tells the passages apart no better than none
    assert _missing_names("Which Guide covers Westlake?", hits) == [0.0, 1.0]
    # two places named: no passage holds both, none is preferred
    assert _missing_names("Westlake or Walnut Park?", hits) == [0.0, 0.0]
    # a name no document is about ("LA") prefers nothing
    assert _missing_names("Shelter in downtown LA?", hits) == [0.0, 0.0]
    # no passage holds the place: nothing to prefer
    assert _missing_names("Clinics in Fresno?", hits) == [0.0, 0.0]


def test_answer_holds_looks_at_the_answer_sentences_of_the_expected_document():
    from fieldguide.answer import Answer, Citation
    from fieldguide.evaluate import answer_holds

    cited = Citation(1, "westlake", "T", "", None, "Call 213-955-7500 for testing.")
    answer = Answer("q", "Call 213-955-7500 for testing. [1]", False, [cited])
    assert answer_holds({"doc": "westlake", "expect": ["213-955-7500"]}, answer)
    assert answer_holds({"doc": "any", "expect": ["nope", "955-7500"]}, answer)
    assert not answer_holds({"doc": "walnut-park", "expect": ["213-955-7500"]}, answer)
    # a fact a collection repeats: any of the documents that hold it will do
    also = {"doc": "walnut-park", "also": ["westlake"], "expect": ["213-955-7500"]}
    assert answer_holds(also, answer)
    abstained = Answer("q", "", True, [cited])
    assert not answer_holds({"doc": "any", "expect": ["213-955-7500"]}, abstained)


def test_a_place_no_document_mentions_is_named_not_answered(built, fake_embedder):
    answer = Engine.open(built, fake_embedder).ask(
        "What is the penalty for prostitution in Nevada?"
    )
    assert answer.outcome == "abstained" and answer.citations == []
    assert answer.absent == ["Nevada"]
    assert answer.note == "These documents don't mention Nevada."


@pytest.mark.parametrize(
    ("fact", "reach", "name"),
    [
        # a country or state in lower case
        (
            "what is the penalty for solicitation in texas",
            "where can a survivor find a shelter in texas",
            "Texas",
        ),
        # an abbreviation no document uses
        (
            "Is prostitution legal in California according to DOJX?",
            "what is the phone number of DOJX",
            "DOJX",
        ),
    ],
)
def test_a_missing_name_is_context_for_a_fact_but_not_for_whom_to_reach(
    built, fake_embedder, fact, reach, name
):
    engine = Engine.open(
        dataclasses.replace(built, abstain="cosine", abstain_below=0.0), fake_embedder
    )
    answer = engine.ask(fact)
    assert answer.outcome == "partial" and answer.citations
    assert answer.note == f"These documents don't mention {name}."
    refused = engine.ask(reach)
    assert refused.outcome == "abstained" and refused.absent == [name]


def test_is_there_asks_for_a_service_there(built, fake_embedder):
    there = Engine.open(built, fake_embedder).ask("is there a shelter in texas for survivors")
    assert there.outcome == "abstained" and there.absent == ["Texas"]


def test_a_fact_the_related_sentences_do_not_give_is_a_partial_answer(built, fake_embedder):
    engine = Engine.open(
        dataclasses.replace(built, abstain="cosine", abstain_below=0.0), fake_embedder
    )
    answer = engine.ask("How much does John School cost?")
    assert answer.outcome == "partial" and answer.lacks == "cost"
    assert any("John School" in c.sentence for c in answer.citations)
    assert answer.note == "The documents have related text but don't give a cost or fee."
    stats = engine.ask("How many street-based sex workers experience physical assault?")
    assert not stats.urgent and stats.lacks == ""  # the 68% sentence gives the count
    assert any("68%" in c.sentence for c in stats.citations)


def test_danger_in_any_words_quotes_the_documents_911_sentence(built, fake_embedder):
    engine = Engine.open(built, fake_embedder)
    for question in ("a guy won't let me leave his car", "he has a knife, he's outside my door"):
        answer = engine.ask(question)
        assert answer.urgent and answer.citations, question
        assert "911" in answer.citations[0].sentence, question


def test_the_packaged_calibration_reads_every_signal_and_decides(built, fake_embedder):
    from fieldguide.calibrate import SIGNALS, calibration

    fitted = calibration()
    assert fitted is not None and set(fitted.weights) == set(SIGNALS)
    assert 0 < fitted.threshold < 1
    engine = Engine.open(dataclasses.replace(built, abstain="calibrated"), fake_embedder)
    answer = engine.ask("Where can someone get free STI testing in Westlake?")
    assert set(answer.signals) == set(SIGNALS)
    assert answer.abstained == (answer.confidence < fitted.threshold)
    close = dict(answer.signals, passage_cosine=0.8, sentence_cosine=0.8, rare_in_top=1.0)
    far = dict(answer.signals, passage_cosine=0.05, sentence_cosine=0.05, rare_in_top=0.0)
    assert fitted.probability(close) > fitted.threshold > fitted.probability(far)


def test_a_number_in_the_sentence_after_the_name_is_that_organisations():
    from fieldguide.answer import for_named

    texts = [
        "Tamarind Pet Clinic gives free vet care on the second Sunday of each month.",
        "Call 213-555-0401.",
        "Harbor Clinic offers free testing.",
        "Call 213-555-0999.",  # after another organisation's sentence: never Tamarind's
    ]
    after = [False, True, False, True]
    keep, missing = for_named(
        "number", ["Tamarind Pet Clinic"], texts, [0.9, 0.2, 0.5, 0.1], [0, 2], after
    )
    assert missing == []
    assert keep[:2] == [0, 1] and 3 not in keep
    keep, missing = for_named("number", ["Tamarind Pet Clinic"], texts, [0.9, 0.2, 0.5, 0.1], [0])
    assert missing == ["Tamarind Pet Clinic"]  # without knowing the order, no number is given


def test_a_number_naming_no_one_in_an_organisations_own_document_is_its_number():
    from fieldguide.answer import for_named

    texts = [
        "Harbor House adds overflow mats on Code Blue nights.",
        "Call the intake line at 555-0142 to check bed availability.",
        "Call the Marlow County Crisis Line at 555-0100 about overflow beds.",
    ]
    titles = ["Winter Response Plan", *["Harbor House Shelter: Intake and Admission Policy"] * 2]
    keep, missing = for_named("number", ["Harbor House"], texts, [0.9, 0.2, 0.5], [0], None, titles)
    assert missing == [] and keep[0] == 1 and 2 not in keep  # never the Crisis Line's number
    keep, missing = for_named("number", ["Harbor House"], texts, [0.9, 0.2, 0.5], [0])
    assert missing == ["Harbor House"]  # without the titles, no sentence gives its number


def test_a_phone_answer_gives_the_line_that_fits_the_description_and_no_other_number():
    from fieldguide.answer import for_type
    from fieldguide.question import analyse

    texts = [
        "- National Human Trafficking Hotline: 1-888-373-7888 or text HELP to 233733.",
        "CAST operates a 24/7 hotline (888-539-2373) that arranges shelter and legal services.",
        "Survivors can find support through many programs.",
    ]
    top, candidates = one_sentence_passages(texts)
    q = analyse(
        "24/7 hotline for survivors that can arrange shelter and legal help, whats the number"
    )
    # the national line is closer to the question; CAST's line is what it describes
    chosen, lacks = for_type(q, candidates, top, [0.9, 0.7, 0.6], [0, 1, 2])
    assert lacks == "" and chosen == [1, 2]


def test_a_line_naming_no_one_in_the_asked_organisations_document_answers_its_number():
    from fieldguide.answer import for_type

    texts = [
        "Harbor House adds 10 overflow mats on Code Blue nights.",
        "Call the intake line at 555-0142 to check bed availability.",
        "Call the Marlow County Crisis Line at 555-0100 to ask about overflow beds.",
    ]
    top, candidates = one_sentence_passages(texts, "Harbor House Shelter: Intake Policy")
    rarity = rarity_over([*texts, "Easton Food Pantry: 555-0177.", "Call 911 in danger."])
    q = analyse("what's the number for harbor house")
    # the intake line is far less like the question than the overflow mats are, but it is
    # the line of the shelter whose policy this is; the Crisis Line's never
    chosen, lacks = for_type(q, candidates, top, [0.66, 0.12, 0.3], [0], rarity)
    assert lacks == "" and chosen[0] == 1 and 2 not in chosen
    top, candidates = one_sentence_passages(texts, "Winter Response Plan")
    chosen, lacks = for_type(q, candidates, top, [0.66, 0.12, 0.3], [0], rarity)
    assert lacks == "number"  # in another document the line is nobody's in particular


def test_a_time_answer_quotes_no_other_passages_time_beside_it():
    from fieldguide.answer import for_type

    texts = [
        "Easton Food Pantry hours: Tue & Thu 10 am-2 pm.",
        "We are open Monday through Friday, 11 am to 6 pm.",  # the drop-in center's FAQ
        "Families must sign up in person at the pantry.",
    ]
    top, candidates = one_sentence_passages(texts)
    top[1].text += " Our drop-in center is at 9 Canal Street."
    q = analyse("what time does the food pantry open")
    chosen, lacks = for_type(q, candidates, top, [0.7, 0.65, 0.6], [0, 1, 2])
    assert lacks == "" and chosen == [0, 2]
    # a count may be the next passage's part of the answer: counts stay
    texts = ["The basin holds 390 billion trees.", "It covers 7,000,000 square kilometres."]
    top, candidates = one_sentence_passages(texts)
    q = analyse("how many trees and square kilometres are in the basin")
    assert for_type(q, candidates, top, [0.7, 0.65], [0, 1]) == ([0, 1], "")


def test_a_word_to_text_is_no_organisation():
    from fieldguide.coverage import asked_names

    passages = ["National Human Trafficking Hotline: 1-888-373-7888 or text HELP to 233733."]
    question = "hotline that can arrange shelter and legal help, whats the number"
    assert asked_names(question, passages, ["Westlake"]) == []


def test_a_place_a_title_is_about_counts_in_any_case():
    from types import SimpleNamespace

    from fieldguide.answer import _missing_names

    hits = [
        SimpleNamespace(title="Guide to Services in Walnut Park", section="", text="Free tests."),
        SimpleNamespace(title="Sex Work in North Highlands", section="", text="Free tests."),
    ]
    # the Walnut Park passage lacks the place asked about, typed in lower case
    assert _missing_names("free hiv tests in north highlands", hits) == [1.0, 0.0]
    assert _missing_names("where are free hiv tests", hits) == [0.0, 0.0]


def test_the_words_naming_the_kind_of_fact_asked_are_not_its_topic():
    from fieldguide.answer import is_covered

    text = "The First Offender Prostitution Program (FOPP) diverts first-time offenders."
    hit = Hit(text, 0.5, "d", "T", "", None, 0, len(text), "d.txt", "d-0", 0.18, 1.0, [])
    # about FOPP, asking a cost: the passage on FOPP is there to answer from (partially)
    assert is_covered("What does FOPP cost?", [hit], 0.22, "cost")
    assert not is_covered("What does FOPP cost?", [hit], 0.22)  # as a topic word, cost is unmet
    assert not is_covered("Is the syringe exchange open on Sundays?", [hit], 0.22, "time")


def test_a_long_passage_naming_what_a_definition_question_asks_about_covers_it():
    from fieldguide.answer import is_covered

    text = (
        "Shelter beds, food and legal clinics are open daily. Case managers coordinate care. "
        "Survivors may also apply for T-visas to remain in the U.S. during investigations."
    )
    hit = Hit(text, 0.5, "d", "T", "", None, 0, len(text), "d.txt", "d-0", 0.1, 1.0, [])
    assert is_covered("what's a T visa", [hit], 0.22, "definition")
    assert not is_covered("what's a U visa waiver", [hit], 0.22, "definition")  # not all named
    assert not is_covered("how long does a T visa take", [hit], 0.22, "duration")


def test_a_phone_line_of_another_organisation_is_never_the_answer():
    from fieldguide.answer import for_type
    from fieldguide.question import analyse

    texts = [
        "organisation: Easton Warming Center · service: Code Blue warming site · phone: 555-0109",
        "St. Brigid's does not have a staffed phone line for the warming site.",
        "Location: St. Brigid's Parish Hall, 12 Quarry Lane.",
    ]
    top, candidates = one_sentence_passages(texts, "Winter plan")
    others = ["Riverbend warming site opens at 8 pm.", "Warming site rules.", "Easton pantry."]
    rarity = rarity_over(texts + others)
    q = analyse("phone number for st brigids warming site")
    chosen, lacks = for_type(q, candidates, top, [0.9, 0.8, 0.5], [0, 1, 2], rarity)
    assert lacks == "number" and 0 not in chosen  # the Easton line's number is not quoted
    assert chosen and all("555" not in texts[i] for i in chosen)


def test_a_place_typed_in_lower_case_is_a_name_the_fact_must_be_about():
    from types import SimpleNamespace

    from fieldguide.answer import for_type
    from fieldguide.question import analyse

    texts = [
        "Organisation: Easton Food Pantry · Hours: Tue & Thu 10 am-2 pm · Town: Easton",
        "Organisation: Riverbend Community Clinic · Service: primary care · Town: Riverbend",
    ]
    top = [SimpleNamespace(text=" ".join(texts), title="Resource directory", section="")]
    candidates = [(1, 0, len(t), t) for t in texts]
    q = analyse("food pantry in riverbend hours?")
    assert q.asks == "time"
    chosen, lacks = for_type(q, candidates, top, [0.9, 0.6], [0, 1])
    assert lacks == "time"  # Easton's hours do not answer for Riverbend
    chosen, lacks = for_type(
        analyse("easton food pantry hours"), candidates, top, [0.9, 0.6], [0, 1]
    )
    assert lacks == "" and chosen[0] == 0


def test_a_fact_of_the_asked_kind_about_something_else_does_not_answer():
    from fieldguide.answer import for_type
    from fieldguide.question import analyse

    passages = [
        "Maple Youth Shelter · 1-800-555-0199 · beds for ages 12 to 24, open 24/7",
        "Harm Reduction Services provides syringe exchange and overdose prevention.",
    ]
    top, candidates = one_sentence_passages(passages)
    q = analyse("is the syringe exchange open on sundays")
    rarity = rarity_over(passages + ["Shelters are open at night.", "Open Sunday to Friday."] * 3)
    chosen, lacks = for_type(q, candidates, top, [0.9, 0.8], [0], rarity)
    # "open 24/7" is a time, but the shelter's: partial, the syringe exchange's sentence only
    assert lacks == "time" and chosen == [1]


@pytest.mark.parametrize(
    ("texts", "title", "question", "unsaid"),
    [
        (
            [
                "Harbor House serves adults aged 18 and older who have no safe place to sleep.",
                "The Easton Warming Center allows dogs in crates.",
            ],
            "Harbor House intake policy",
            "does harbor house allow dogs",
            ("Harbor House", "dogs"),  # as the documents write it
        ),
        (
            [
                "Walnut Park faces challenges related to street-based prostitution.",
                "A needle exchange van stops in Walnut Park on Fridays.",
            ],
            "A guide to Walnut Park",
            "is there a needle exchange in walnut park",
            ("Walnut Park", "needle exchange"),
        ),
        (
            [
                "Harbor House serves adults aged 18 and older who have no safe place to sleep.",
                "The Easton Warming Center allows dogs in crates.",
            ],
            "Harbor House intake policy",
            "can I bring my dog to harbor house",
            ("Harbor House", "dog"),
        ),
        (
            [
                "Harbor House serves adults aged 18 and older who have no safe place to sleep.",
                "The Easton Warming Center allows dogs in crates.",
            ],
            "Harbor House intake policy",
            "can people bring their dog to harbor house",
            ("Harbor House", "dog"),
        ),
    ],
)
def test_what_a_question_asks_of_a_name_must_be_in_the_quoted_passages(
    texts, title, question, unsaid
):
    from fieldguide.question import analyse
    from fieldguide.unsaid import unsaid_of

    top, candidates = one_sentence_passages(texts, title)
    assert unsaid_of(analyse(question), top, candidates, [0]) == unsaid
    assert unsaid_of(analyse(question), top, candidates, [0, 1]) == ()  # a quoted passage says it


def test_an_unsaid_thing_makes_a_partial_answer_only_of_a_name():
    from fieldguide.question import analyse
    from fieldguide.unsaid import THERE_IN, unsaid_of

    texts = ["Harbor House serves adults aged 18 and older.", "The Easton Center allows dogs."]
    top, candidates = one_sentence_passages(texts, "Harbor House intake policy")
    answer = Answer("q", "…", False, [Citation(1, "d", "T", "", None, texts[0])], unsaid=("A", "b"))
    assert answer.outcome == "partial"
    assert answer.note == "The documents mention A but say nothing about b."
    # no organisation named: nothing to hold the passages to
    assert unsaid_of(analyse("does anyone allow dogs"), top, candidates, [0]) == ()
    at = THERE_IN.match("is there a curfew at covenant house")
    assert (at.group("what"), at.group("who")) == ("curfew", "covenant house")


def test_the_index_knows_the_words_its_passages_write_in_lower_case(built, fake_embedder):
    words = Engine.open(built, fake_embedder).index.lowercase_words
    assert "prostitution" in words and "westlake" not in words  # the place is always "Westlake"


def test_a_code_no_document_holds_is_named(built, fake_embedder):
    engine = Engine.open(dataclasses.replace(built, abstain_below=0.0), fake_embedder)
    answer = engine.ask("Can a volunteer refer someone to 988 for support?")
    assert answer.outcome == "abstained" and answer.absent == ["988"]
    assert answer.note == "These documents don't mention 988."
    known = engine.ask("What number is 213-955-7500?")  # a number the guides give
    assert known.absent == []


def test_danger_with_a_place_the_documents_lack_still_quotes_911_first(built, fake_embedder):
    answer = Engine.open(built, fake_embedder).ask("someone is being stabbed in Fresno right now")
    assert answer.urgent and answer.outcome == "partial"
    assert "911" in answer.citations[0].sentence
    assert answer.note == "These documents don't mention Fresno."


def test_a_word_no_passage_holds_that_the_quote_leaves_out_makes_a_partial_answer(
    built, fake_embedder
):
    engine = Engine.open(
        dataclasses.replace(built, abstain="cosine", abstain_below=0.0), fake_embedder
    )
    tacos = engine.ask("best tacos near macarthur park")
    assert tacos.outcome == "partial" and tacos.citations
    assert tacos.absent == ["tacos"] and tacos.note == "These documents don't mention tacos."
    plain = engine.ask("what are the penalties for solicitation near macarthur park")
    assert plain.outcome == "answered" and plain.absent == []


def test_words_that_only_together_leave_the_quote_unanswered_are_named_together():
    import numpy as np

    from fieldguide.unsaid import unmet_words

    def unit(cosine):  # a vector at this cosine to the quoted sentence's (1, 0)
        return np.array([cosine, np.sqrt(1 - cosine**2)], dtype=np.float32)

    question = "does the clinic do dental cleanings"
    closeness = {  # each word alone moves the question 0.05 towards the quote, both 0.15
        "does the clinic do   cleanings": 0.55,
        "does the clinic do dental  ": 0.55,
        "does the clinic do    ": 0.65,
    }

    class Stub:
        def encode(self, texts):
            return np.stack(
                [np.array([1.0, 0.0]) if t == "quote" else unit(closeness[t]) for t in texts]
            )

    known = {"clinic"}.__contains__
    unmet = unmet_words(analyse(question), ["quote"], Stub(), unit(0.5), known)
    assert unmet == ["dental cleanings"]
    closeness["does the clinic do    "] = 0.58  # together still under the gain: nothing named
    assert unmet_words(analyse(question), ["quote"], Stub(), unit(0.5), known) == []


def test_a_word_of_the_document_title_does_not_pick_the_sentence(built, fake_embedder):
    from fieldguide.answer import compose_answer

    text = (
        "Prostitution is illegal in North Highlands. "
        "Harm Reduction Services runs the syringe exchange."
    )
    cut = text.index("Harm")
    guide = Hit(text, 1.0, "nh", "A Guide to North Highlands", "Help", None, 0, len(text))
    guide.sentences = [(0, cut - 1), (cut, len(text))]
    settings = dataclasses.replace(built, abstain="cosine", abstain_below=0.0)
    question = "syringe exchange in north highlands"  # (not "where": see naming_first)
    answer = compose_answer(question, [guide], fake_embedder, settings)
    assert answer.citations[0].sentence == "Harm Reduction Services runs the syringe exchange."
    # without the title's words, the same sentences are chosen as before
    untitled = dataclasses.replace(guide, title="Guide")
    first = compose_answer(question, [untitled], fake_embedder, settings).citations[0]
    assert first.sentence.startswith("Prostitution is illegal")


def test_one_close_sentence_of_a_long_passage_covers_the_question(built, fake_embedder):
    from fieldguide.answer import compose_answer

    text = (
        "Shelters open at nine. Vans run on Fridays. Warning signs include not being free to leave."
    )
    vans, cut = text.index("Vans"), text.index("Warning")
    hit = Hit(text, 1.0, "d", "Guide", "", None, 0, len(text), dense=0.05)
    hit.sentences = [(0, vans - 1), (vans, cut - 1), (cut, len(text))]
    settings = dataclasses.replace(built, abstain="cosine", abstain_below=0.22)
    answer = compose_answer(
        "Warning signs include not being free to leave", [hit], fake_embedder, settings
    )
    assert not answer.abstained  # the passage's cosine is 0.05; the sentence's, 1.0
    assert answer.citations[0].sentence.startswith("Warning signs")
    far = compose_answer("How do I renew a passport", [hit], fake_embedder, settings)
    assert far.abstained


class SetCosines:
    """An embedder whose every text has the cosine with the question given by hand (0 if
    unlisted): the question is [1, 0], a text at cosine c is [c, sqrt(1 - c²)]."""

    def __init__(self, cosines: dict[str, float]):
        self.cosines = cosines

    def encode(self, texts):
        import numpy as np

        c = np.array([self.cosines.get(t, 0.0) for t in texts], dtype=np.float32)
        return np.stack([c, np.sqrt(1 - c * c)], axis=1)

    def encode_query(self, text):
        import numpy as np

        return np.array([1.0, 0.0], dtype=np.float32)


def faq_hits(*entries: tuple[str, list[str]]) -> list[Hit]:
    """One passage per (heading, sentences) entry, its sentences' offsets set."""
    hits = []
    for heading, sentences in entries:
        text = " ".join(sentences)
        hit = Hit(text, 1.0, "faq", "FAQ", heading, None, 0, len(text), dense=0.5)
        starts = [text.index(s) for s in sentences]
        hit.sentences = [(s, s + len(t)) for s, t in zip(starts, sentences, strict=True)]
        hits.append(hit)
    return hits


def test_the_entry_whose_heading_asks_the_question_answers_first(built):
    from fieldguide.answer import asked_entry, compose_answer

    hits = faq_hits(
        ("What are the symptoms of COVID-19?", ["Reported illnesses range from mild to severe."]),
        ("Share your story", ["It would be great to hear more about the symptoms."]),
    )
    embedder = SetCosines(
        {
            "What are the symptoms of COVID-19?": 0.85,
            "Reported illnesses range from mild to severe.": 0.40,
            "It would be great to hear more about the symptoms.": 0.55,
        }
    )
    qvec = embedder.encode_query("")
    assert asked_entry(hits, embedder, qvec, 0.55) == 1
    assert asked_entry(hits, embedder, qvec, 0.90) is None  # a sentence closer than the heading
    settings = dataclasses.replace(built, abstain="cosine", abstain_below=0.0)
    answer = compose_answer("what are the symptoms", hits, embedder, settings)
    assert answer.citations[0].sentence == "Reported illnesses range from mild to severe."
    assert answer.citations[0].n == 1
    # a heading only loosely like the question (below 0.6) leaves the closest sentence first
    embedder.cosines["What are the symptoms of COVID-19?"] = 0.58
    assert asked_entry(hits, embedder, qvec, 0.55) is None
    answer = compose_answer("what are the symptoms", hits, embedder, settings)
    assert answer.citations[0].sentence.startswith("It would be great")
    # an entry split over two passages answers from either: its closest sentence first
    split = faq_hits(
        ("What risks do people face?", ["The area has complex challenges."]),
        ("What risks do people face?", ["Pimps use violence and control."]),
        ("Share your story", ["It would be great to hear more about the symptoms."]),
    )
    embedder.cosines.update(
        {
            "What risks do people face?": 0.85,
            "The area has complex challenges.": 0.30,
            "Pimps use violence and control.": 0.50,
        }
    )
    answer = compose_answer("what risks do people face from pimps", split, embedder, settings)
    assert answer.citations[0].sentence == "Pimps use violence and control."
    # a topic heading, not a question, is no entry's question
    hits[0].section = "Symptoms of COVID-19"
    embedder.cosines["Symptoms of COVID-19"] = 0.9
    assert asked_entry(hits, embedder, qvec, 0.55) is None


def test_the_passage_the_answer_quotes_first_is_listed_first():
    from fieldguide.answer import quoted_first

    hits = faq_hits(("A?", ["First passage."]), ("B?", ["Second one."]), ("C?", ["Third one."]))

    def cite(n: int) -> Citation:
        return Citation(n, "faq", "FAQ", hits[n - 1].section, None, hits[n - 1].text)

    answer = Answer("q", "Second one. [2] Third one. [3]", False, [cite(2), cite(3)], hits)
    led = quoted_first(answer)
    assert [h.text for h in led.hits] == ["Second one.", "First passage.", "Third one."]
    assert [c.n for c in led.citations] == [1, 3]
    assert led.answer == "Second one. [1] Third one. [3]"
    assert [h.text for h in answer.hits][0] == "First passage."  # the original is untouched
    # a partial answer's quote is context, not the answer: the ranking stands
    partial = dataclasses.replace(answer, lacks="cost")
    assert quoted_first(partial).hits == hits
    assert quoted_first(dataclasses.replace(answer, abstained=True, citations=[])).hits == hits


def guide_hits(*passages: list[str]) -> list[Hit]:
    """One passage of the Westlake guide per list of sentences."""
    hits = faq_hits(*((f"Section {n}?", sentences) for n, sentences in enumerate(passages, 1)))
    for hit in hits:
        hit.doc_id, hit.title = "westlake", "Westlake Resource Guide"
    return hits


def test_where_and_who_are_answered_first_by_a_sentence_naming_someone_or_somewhere():
    from fieldguide.answer import names_other, naming_first

    q = analyse("where can someone in westlake get help with housing")
    hits = guide_hits(
        ["Residents can support local service providers.", "Westlake is in Los Angeles."],
        ["Downtown Women's Center and LAHSA can assist with emergency shelter."],
        ["No, prostitution is illegal throughout California including Westlake."],
    )
    candidates = [(n, 0, 0, t) for n, h in enumerate(hits, 1) for *_, t in h.sentence_texts()]
    # the question's own place, the guide's title and a state are no answer to "where"
    assert [names_other(q, hits[c[0] - 1], c[3]) for c in candidates] == [
        False, True, True, False,
    ]  # fmt: skip
    scores = [0.60, 0.40, 0.55, 0.50]  # the named shelter scores over 0.8 of the best
    assert naming_first(q, hits, candidates, scores, [0, 3], 3) == [2, 0, 3]
    assert naming_first(q, hits, candidates, scores, [0, 3], 2) == [2, 0]
    assert naming_first(q, hits, candidates, scores, [2, 0], 3) == [2, 0]  # named already
    scores = [0.60, 0.40, 0.45, 0.50]  # every naming sentence far below the best: unchanged
    assert naming_first(q, hits, candidates, scores, [0, 3], 3) == [0, 3]


def test_a_partial_answer_quotes_no_sentence_answering_another_question_yes_or_no():
    from fieldguide.answer import unleading

    hits = guide_hits(
        ["No, prostitution is illegal throughout California.", "It carries a $1,000 fine."],
        ["Yes, the clinic is free."],
    )
    hits[0].section = "Is prostitution legal in Westlake?"
    candidates = [(n, 0, 0, t) for n, h in enumerate(hits, 1) for *_, t in h.sentence_texts()]
    q = analyse("does westlake have a needle exchange")
    assert unleading([0, 1], candidates, hits, q) == [1]
    assert unleading([0], candidates, hits, q) == [1]  # the passage's next sentence instead
    assert unleading([2], candidates, hits, q) == [2]  # none other in its passage: kept
    assert unleading([1, 0], candidates, hits, q) == [1]
    # a yes or no under a heading sharing the question's words answers it: kept
    hits[0].section = "Can I bring my pet?"
    q = analyse("can i bring my dog to harbor house")
    assert unleading([0], candidates, hits, q) == [0]
    # "No" as a word of the sentence is no answer to anything
    hits[0].section = "Intake"
    candidates[0] = (1, 0, 0, "No ID is required to stay.")
    assert unleading([0], candidates, hits, q) == [0]


def test_a_sentence_opening_on_no_does_not_answer_a_where_question(built):
    from fieldguide.answer import compose_answer

    hits = guide_hits(
        ["No, prostitution is illegal throughout Westlake.", "Outreach vans park on 6th Street."]
    )
    embedder = SetCosines(
        {
            "No, prostitution is illegal throughout Westlake.": 0.55,
            "Outreach vans park on 6th Street.": 0.50,
        }
    )
    settings = dataclasses.replace(built, abstain="cosine", abstain_below=0.0)
    answer = compose_answer("where do the outreach vans stop in westlake", hits, embedder, settings)
    assert answer.citations[0].sentence == "Outreach vans park on 6th Street."
    yes_no = compose_answer("is prostitution legal in westlake", hits, embedder, settings)
    assert yes_no.citations[0].sentence.startswith("No, prostitution")


def test_an_address_answer_quotes_no_other_records_address():
    from fieldguide.answer import one_reach

    rows = [
        "organisation: Riverbend Community Clinic · phone: 555-0117 · address: 48 Ferry Road",
        "organisation: Marlow Harm Reduction Collective · address: 9 Canal Street",
        "Walk in on Tuesdays at 12 Ferry Road.",
        "Call ahead on weekends.",
    ]
    candidates = [(1, 0, 0, rows[0]), (1, 0, 0, rows[1]), (1, 0, 0, rows[2]), (2, 0, 0, rows[3])]
    # another row of the same table is another record; the row's passage's prose is its own
    assert one_reach("address", [0, 1, 2, 3], candidates) == [0, 2, 3]
    assert one_reach("address", [3, 1], candidates) == [3, 1]  # the first gives none: as is
