"""Resources directory, emergency-first ordering and "sources differ", on small real passages."""

import csv
import io
from dataclasses import dataclass, field

import pytest

from fieldguide.chunk import sentence_spans
from fieldguide.disagree import find_differences
from fieldguide.resources import (
    build_directory,
    directory_csv,
    filter_resources,
    find_mentions,
    find_numbers,
)
from fieldguide.safety import hotlines_first, is_urgent
from fieldguide.store import load_index


@dataclass
class Passage:
    """Just what a Chunk or Hit offers the functions under test."""

    text: str
    doc_id: str = "guide"
    title: str = "Guide"
    section: str = ""
    page: int | None = None
    start: int = 0
    chunk_id: str = "guide:0"
    sentences: list = field(default_factory=list)

    def __post_init__(self):
        self.sentences = sentence_spans(self.text, self.start)


def test_the_same_number_written_two_ways_is_one_entry():
    directory = build_directory(
        [
            Passage("Call the National Human Trafficking Hotline (1-888-373-7888) any time."),
            Passage(
                "The National Human Trafficking Hotline at (888) 373-7888 is free.",
                doc_id="other",
                title="Other guide",
                chunk_id="other:0",
            ),
        ]
    )
    assert [(r.organisation, r.number, r.kind) for r in directory] == [
        ("National Human Trafficking Hotline", "(888) 373-7888", "phone")
    ]
    assert directory[0].documents == ["Guide", "Other guide"]
    assert [m.written for m in directory[0].mentions] == ["1-888-373-7888", "(888) 373-7888"]


def test_text_codes_and_911_are_kept_and_named():
    passage = Passage(
        "National Human Trafficking Hotline: 1-888-373-7888 or text HELP to 233733 (BEFREE). "
        "For immediate danger, call 911."
    )
    mentions = find_mentions(passage)
    assert [(m.written, m.organisation) for m in mentions] == [
        ("1-888-373-7888", "National Human Trafficking Hotline"),
        ("233733", "National Human Trafficking Hotline"),
        ("911", "Emergency services (police, fire, ambulance)"),
    ]
    kinds = {r.number: r.kind for r in build_directory([passage])}
    assert kinds == {"(888) 373-7888": "phone", "text 233733": "text", "911": "service"}


def test_each_number_gets_the_organisation_named_nearest_before_it():
    passage = Passage(
        "Call the National Human Trafficking Hotline (1-888-373-7888, text 233733) or LAPD "
        "non-emergency (1-877-275-5273). The Harbor Clinic offers free testing on Tuesdays. "
        "Call 213-555-0142 to book."
    )
    assert [(m.written, m.organisation) for m in find_mentions(passage)] == [
        ("1-888-373-7888", "National Human Trafficking Hotline"),
        ("233733", "National Human Trafficking Hotline"),
        ("1-877-275-5273", "LAPD"),
        ("213-555-0142", "Harbor Clinic"),
    ]


def test_an_organisation_with_two_different_numbers_is_flagged():
    directory = build_directory(
        [
            Passage(
                "The Coalition to Abolish Slavery & Trafficking (CAST) hotline is 888-539-2373."
            ),
            Passage(
                "Call the CAST Hotline (213-365-1906) for shelter.",
                doc_id="b",
                title="B",
                chunk_id="b:0",
            ),
            Passage("Covenant House California (323-461-3131) helps youth.", chunk_id="guide:1"),
        ]
    )
    flagged = {r.number: r.warnings for r in directory}
    assert "also listed with (213) 365-1906" in flagged["(888) 539-2373"][0]
    assert "also listed with (888) 539-2373" in flagged["(213) 365-1906"][0]
    assert flagged["(323) 461-3131"] == []


def test_a_number_that_cannot_exist_is_marked_for_checking():
    (entry,) = build_directory([Passage("The Beacon Shelter: call 555-010-3000.")])
    assert entry.organisation == "Beacon Shelter"
    assert "Not a valid US number" in entry.warnings[0]


def test_years_amounts_and_codes_are_not_phone_numbers():
    text = "Since 2021, fines up to $1,000 under Penal Code 647(b) and PC 236.1; 327 cases."
    assert find_numbers(text) == ()


def test_directory_of_the_default_corpus(built):
    index = load_index(built.index, "fake-embedder", "fake", 64)
    directory = {r.number: r for r in build_directory(index.chunks)}
    hotline = directory["(888) 373-7888"]
    assert hotline.organisation == "National Human Trafficking Hotline"
    assert len(hotline.documents) == 3  # written "1-888-…" and "888-…" in three guides
    assert directory["(888) 539-2373"].organisation.startswith("Coalition to Abolish Slavery")
    assert directory["text 233733"].organisation == "National Human Trafficking Hotline"
    assert directory["(323) 461-3131"].organisation == "Covenant House California"
    assert not any(r.warnings for r in directory.values())


def test_search_and_csv_export():
    directory = build_directory(
        [
            Passage("Covenant House California (323-461-3131) helps youth."),
            Passage("=HYPERLINK(1) Center for Health Justice at 213-955-7500.", chunk_id="g:1"),
        ]
    )
    assert [r.number for r in filter_resources(directory, "covenant")] == ["(323) 461-3131"]
    assert [r.number for r in filter_resources(directory, "213 955")] == ["(213) 955-7500"]
    assert [r.number for r in filter_resources(directory, "9557500")] == ["(213) 955-7500"]
    assert filter_resources(directory, "nothing like this") == []
    rows = list(csv.DictReader(io.StringIO(directory_csv(directory))))
    assert [(r["organisation"], r["number"]) for r in rows] == [
        ("Center for Health Justice", "(213) 955-7500"),
        ("Covenant House California", "(323) 461-3131"),
    ]
    assert rows[0]["sources"].startswith("Guide: '=HYPERLINK") is False
    assert "'=HYPERLINK" not in rows[1]["sources"]


@pytest.mark.parametrize(
    "question",
    [
        "Someone is in danger right now, who do I call?",
        "My friend was attacked tonight",
        "a client is threatening her with a knife",
        "she can't leave the house, they took her phone",
        "my friend is overdosing what do I do",
        "he says he is going to kill her",
    ],
)
def test_questions_about_immediate_danger_are_urgent(question):
    assert is_urgent(question)


@pytest.mark.parametrize(
    "question",
    [
        "Where can women leaving exploitation find emergency shelter?",
        "What is the fine for a first prostitution conviction?",
        "Where can someone get free STI testing?",
        "Why do foster youth face a higher risk of being trafficked?",
        "Where can I get naloxone for overdose prevention?",
        "How many sex workers are killed each year?",
    ],
)
def test_ordinary_questions_are_not_urgent(question):
    assert not is_urgent(question)


def test_hotlines_first_puts_emergency_numbers_then_hotlines_first():
    hits = [
        Passage("Penalties include fines and jail time."),
        Passage("The CAST hotline (888-539-2373) operates 24/7."),
        Passage("Covenant House California (323-461-3131) offers housing."),
        Passage("For immediate danger or crimes in progress, call 911."),
    ]
    ordered = [h.text.split()[1] for h in hotlines_first(hits)]
    assert ordered == ["immediate", "CAST", "include", "House"]


def test_urgent_question_gets_the_911_passage_first(built, fake_embedder):
    from fieldguide.engine import Engine

    engine = Engine.open(built, fake_embedder)
    answer = engine.ask("Someone is being attacked right now on the street", k=3)
    assert "911" in answer.hits[0].text
    plain = engine.search("Someone is being attacked right now on the street", k=3)
    assert "911" not in plain[0].text  # without the rule it would not be first


def test_sources_that_give_different_penalties_are_noticed():
    hits = [
        Passage(
            "First-time offenders may face up to 6 months in county jail and fines up to $1,000.",
            title="Walnut Park",
        ),
        Passage("The clinic is open 9 am to 5 pm.", title="Clinic"),
        Passage(
            "Soliciting carries up to 12 months in county jail and fines up to $2,500 for "
            "first-time offenders.",
            doc_id="w",
            title="Westlake",
        ),
    ]
    differences = find_differences(hits)
    found = {(d.about.split(" (")[0], d.first.figure, d.second.figure) for d in differences}
    assert found == {
        ("an amount of money", "$1,000", "$2,500"),
        ("a length of time", "6 months", "12 months"),
    }
    assert {(d.first.n, d.second.n) for d in differences} == {(1, 3)}
    assert "jail" in differences[0].about or "jail" in differences[1].about


def test_same_figures_or_unrelated_figures_are_not_a_difference():
    hits = [
        Passage(
            "First-time offenders may face up to 6 months in county jail and fines up to $1,000."
        ),
        Passage("Offenders face up to six months in jail and $1,000 fines.", doc_id="w"),
        Passage("Studies show programs reduce recidivism by 60% with housing.", doc_id="x"),
        Passage("Only 12% of shelter beds in Central LA are available.", doc_id="y"),
    ]
    assert find_differences(hits) == []


def test_different_phone_numbers_for_one_organisation_are_noticed():
    hits = [
        Passage("The CAST Hotline (888-539-2373) offers shelter."),
        Passage("Call the CAST Hotline at 213-365-1906.", doc_id="b", title="B"),
    ]
    (difference,) = find_differences(hits)
    assert difference.about == "the phone number for CAST Hotline"
    assert (difference.first.figure, difference.second.figure) == ("888-539-2373", "213-365-1906")


def test_cli_lists_searches_and_exports_the_directory(built, fake_embedder):
    from click.testing import CliRunner

    from fieldguide.cli import main

    text = CliRunner().invoke(main, ["resources", "covenant"])
    assert text.exit_code == 0
    assert text.output.splitlines()[0] == "(323) 461-3131   Covenant House California"
    exported = CliRunner().invoke(main, ["resources", "--csv"]).output
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert ("National Human Trafficking Hotline", "text 233733") in {
        (r["organisation"], r["number"]) for r in rows
    }
