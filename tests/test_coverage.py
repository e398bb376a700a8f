"""Partial answers: a number asked for a named organisation the documents give none for."""

import json

from click.testing import CliRunner

from fieldguide.answer import for_named
from fieldguide.cli import main
from fieldguide.coverage import asked_for, asked_names, gives
from fieldguide.engine import Engine
from fieldguide.resources import find_numbers


def test_what_a_question_asks_for():
    assert asked_for("What is the phone number of Saving Innocence?") == "number"
    assert asked_for("¿Cuál es el teléfono de Saving Innocence?") == "number"
    assert asked_for("What's the address of the Downtown Women's Center?") == "address"
    assert asked_for("Is prostitution legal in California?") == ""


def test_asked_names_are_organisations_the_passages_name_not_places():
    passages = ["Saving Innocence and Journey Out help. Westlake has a clinic."]
    titles = ["Prostitutes in Westlake: Laws"]
    assert asked_names("What is the number of Saving Innocence?", passages, titles) == [
        "Saving Innocence"
    ]
    assert asked_names("¿Cuál es el teléfono de Saving Innocence?", passages, titles) == [
        "Saving Innocence"
    ]
    assert asked_names("Which clinic number in Westlake?", passages, titles) == []
    sheriff = ["Contact the Sacramento County Sheriff's non-emergency dispatch."]
    assert asked_names("numero del Sheriff de Sacramento", sheriff, titles) == [
        "Sheriff de Sacramento"
    ]
    assert asked_names("What is the number of Elica Health Centers?", passages, titles) == []
    # typed in lower case, written as a name in the passages
    assert asked_names("numero de journey out", passages, titles) == ["Journey Out"]


def test_another_organisations_number_is_never_the_answer():
    texts = [
        "Call CAST at 888-539-2373 any time.",
        "Saving Innocence offers exit services.",
        "The clinic is open on Tuesdays.",
    ]
    keep, missing = for_named("number", ["Saving Innocence"], texts, [0.9, 0.5, 0.4], [0, 2])
    assert missing == ["Saving Innocence"]
    assert 0 not in keep and 1 in keep  # CAST's number dropped; what they say about it kept
    keep, missing = for_named("number", ["CAST"], texts, [0.9, 0.5, 0.4], [1, 0])
    assert (keep[0], missing) == (0, [])


def test_a_street_address_counts_only_as_an_address():
    assert gives("address", "Visit us at 442 S San Pedro St in downtown.")
    assert gives("address", "Our drop-in center is at 9 Canal Street, Easton.")  # one digit
    assert not gives("address", "Module 3 covers Street Outreach safety.")
    assert not gives("address", "Call 888-539-2373.")
    assert gives("number", "Call 888-539-2373.") and find_numbers("Call 888-539-2373.")


def test_a_named_organisation_without_a_number_gets_a_partial_answer(built, fake_embedder):
    answer = Engine.open(built, fake_embedder).ask("What is the phone number of Saving Innocence?")
    assert answer.outcome == "partial" and answer.missing == ["Saving Innocence"]
    assert answer.citations and all(
        not gives("number", c.sentence) for c in answer.citations
    )  # no one else's number
    assert any("Saving Innocence" in c.sentence for c in answer.citations)
    assert answer.note == ("The documents name Saving Innocence but give no phone number for it.")


def test_a_named_organisation_with_a_number_is_answered_with_it(built, fake_embedder):
    answer = Engine.open(built, fake_embedder).ask(
        "What is the phone number of the Center for Health Justice?"
    )
    assert answer.outcome == "answered" and not answer.missing
    assert "213-955-7500" in answer.citations[0].sentence
    for c in answer.citations:  # any number quoted is the Center's own
        assert not gives("number", c.sentence) or "Center for Health Justice" in c.sentence


def test_cli_says_plainly_what_is_missing_in_the_question_s_language(
    built, fake_embedder, monkeypatch
):
    # the fake multilingual model knows too little Spanish: let BM25 find the name
    monkeypatch.setenv("FIELDGUIDE_MULTILINGUAL_DENSE_WEIGHT", "0.3")
    english = CliRunner().invoke(main, ["ask", "What is the phone number of Saving Innocence?"])
    assert "give no phone number for it." in english.output
    spanish = CliRunner().invoke(main, ["ask", "¿Cuál es el teléfono de Saving Innocence?"])
    assert "Los documentos mencionan Saving Innocence, pero no dan su número" in spanish.output
    data = json.loads(
        CliRunner()
        .invoke(main, ["ask", "What is the number of Saving Innocence?", "--json"])
        .output
    )
    assert (data["outcome"], data["missing"]) == ("partial", ["Saving Innocence"])
    assert data["note"].startswith("The documents name Saving Innocence")


def test_a_name_written_with_a_possessive_is_the_name():
    passages = ["Residents report suspicious activity to the Sheriff's non-emergency line."]
    question = "what's the number for the sheriff non emergency line"
    assert asked_names(question, passages, ["North Highlands"]) == ["Sheriff"]
