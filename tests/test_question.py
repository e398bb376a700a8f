"""The question's analysis: answer type, names, urgency, and the checks answers are held to."""

import pytest

from fieldguide.question import (
    absent_codes,
    absent_names,
    analyse,
    answer_type,
    defines,
    holds,
    joined,
    named_places,
    spell_states,
    typed_codes,
    typed_names,
)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How much does John School cost?", "cost"),
        ("What time does the Westlake WorkSource Center open?", "time"),
        ("How many street-based sex workers get physically assaulted?", "count"),
        ("What's the age limit for Covenant House California?", "age"),
        ("what is the age of consent in california", "age"),
        ("How much is bail for a solicitation arrest?", "cost"),
        ("What's the hourly pay for the internships?", "cost"),
        ("How much higher are police call volumes in the corridors?", "count"),
        ("When is the application deadline?", "date"),
        ("When do the Community Planning Group meetings happen?", "time"),
        ("which day of the month is the expungement clinic", "time"),
        ("What is the statute of limitations for trafficking?", "duration"),
        ("When should I call 911?", "other"),
        ("Who is the current Sacramento County sheriff?", "person"),
        ("How long is the wait for coordinated entry housing?", "duration"),
        ("What is Saving Innocence's website?", "web"),
        ("When was the Safe Streets law passed?", "date"),
        ("Where can someone near Westlake get free STI testing?", "place"),
        ("Is prostitution legal in California?", "yesno"),
        ("How do I report trafficking?", "howto"),
        ("what does FOPP stand for", "definition"),
        ("what's a T visa", "definition"),
        ("what does FOPP cost", "cost"),
        ("does john school cost anything", "cost"),
        ("¿Cuánto cuesta la prueba de VIH?", "cost"),
        ("how much do the housing + job programs cut reoffending by", "count"),
        ("how much is the fine", "cost"),
        ("clinic nurse line after hours", "other"),  # a line described, not its hours
        ("clinic hours", "time"),
        ("when is the next community meeting in north highlands", "time"),
        ("when will the next meeting be", "time"),
        ("when is the next step after intake", "other"),
        ("max fine first offense prostitution CA", "cost"),
        ("whats the maximum penalty", "definition"),  # jail or a fine: no one kind
    ],
)
def test_answer_types(question, kind):
    assert answer_type(question) == kind


def test_a_phone_question_and_a_count_question_that_mentions_a_hotline():
    assert analyse("What number do I call for Bet Tzedek?").asks == "phone"
    counted = analyse("How many cases did the hotline identify last year?")
    assert (counted.asks, counted.wanted) == ("count", "")
    contact = analyse("Who do I contact at the county about neighborhood concerns?")
    assert contact.asks != "phone"  # asks who, not a number in so many words
    assert analyse("what's the text line for trafficking").asks == "phone"  # a number to text
    assert analyse("what do i text for the trafficking hotline").asks == "phone"


def test_names_leave_out_question_words_at_every_sentence_start():
    assert typed_names("What is the penalty for prostitution in Nevada?") == ("Nevada",)
    assert typed_names("Thanks. Where is the DMV?") == ("DMV",)
    assert typed_names("Besides that, any shelters?") == ()  # a sentence start is no name
    assert typed_names("San Diego shelters?") == ("San", "Diego")
    assert typed_names("¿Dónde hay clínicas en Westlake?") == ("Westlake",)
    assert typed_names("WHERE CAN I GET FOOD") == ()


def test_absent_names_are_those_no_passage_holds():
    vocabulary = {"penalti", "prostitut", "california", "westlak"}
    q = analyse("What is the penalty for prostitution in Nevada or California?")
    assert absent_names(q, vocabulary.__contains__) == ["Nevada"]
    assert absent_names(analyse("Penalty in Westlake?"), vocabulary.__contains__) == []


def test_state_codes_in_capitals_are_read_as_the_states_names():
    q = analyse("max fine first offense prostitution CA")
    assert q.text == "max fine first offense prostitution CA"  # as typed
    assert q.names == ("California",) and "california" in q.terms and "ca" not in q.terms
    assert analyse("penalty in NV or TX?").places == ("Nevada", "Texas")
    # codes that are words or other places in capitals, and text all in capitals, stay
    assert analyse("shelters in LA County").names == ("LA", "County")
    assert spell_states("IN OR OUT") == "IN OR OUT"
    assert spell_states("a CA-based group in the U.S.") == "a CA-based group in the U.S."
    # only where a place goes: "VA" and "CT" inside a question are other things
    assert analyse("Where is the VA clinic?").names == ("VA",)
    assert analyse("What does VA stand for?").acronym == "VA"
    assert analyse("Can I get a CT scan at the free clinic?").names == ("CT",)
    assert spell_states("NY laws on sex work") == "NY laws on sex work"
    assert spell_states("laws in Reno, NV") == "laws in Reno, Nevada"


def test_countries_and_states_count_as_names_in_any_case():
    assert named_places("is there a trafficking hotline in mexico") == ("Mexico",)
    assert named_places("penalty in new mexico or nevada?") == ("New Mexico", "Nevada")
    assert named_places("my friend jordan needs a shelter") == ()  # a first name too
    known = {"hotlin", "traffick", "new", "california"}.__contains__
    assert absent_names(analyse("hotline in canada?"), known) == ["Canada"]
    assert absent_names(analyse("hotline in new mexico?"), known) == ["New Mexico"]
    assert absent_names(analyse("hotline in california?"), known) == []
    # a document writes "U.S.": the question's "US" is never taken for a missing name
    assert absent_names(analyse("Can she stay in the US?"), known) == []


@pytest.mark.parametrize(
    ("question", "callee"),
    [
        ("rainn hotline number", "rainn"),
        ("what is the number for swop?", "swop"),
        ("Phone number of the Legal Aid Foundation?", ""),  # "Phone" is the kind of line
        ("can i report it from my phone without giving my name", ""),
        ("How many calls did the hotline take?", ""),  # a count, not a phone question
    ],
)
def test_the_word_naming_whom_a_phone_question_asks_to_call(question, callee):
    assert analyse(question).callee == callee


def test_a_callee_no_document_mentions_is_absent_whatever_its_case():
    known = {"hotlin", "traffick", "number", "cast"}.__contains__
    assert absent_names(analyse("rainn hotline number"), known) == ["rainn"]
    assert absent_names(analyse("cast number"), known) == []


@pytest.mark.parametrize(
    ("question", "acronym"),
    [
        ("CAST stands for?", "CAST"),
        ("What does PATH stand for?", "PATH"),
        ("what is BEFREE", "BEFREE"),
        ("What is the LAPD non-emergency number?", ""),  # asks a number, not a meaning
        ("Is CAST free?", ""),
    ],
)
def test_the_abbreviation_a_question_asks_to_spell_out(question, acronym):
    assert analyse(question).acronym == acronym


def test_a_sentence_that_spells_an_abbreviation_out():
    assert defines("CAST", "The Coalition to Abolish Slavery & Trafficking (CAST) helps.")
    assert defines("CPTED", "CPTED (Crime Prevention Through Environmental Design) works.")
    assert defines("BEFREE", "Text HELP to 233733 (BEFREE).")
    assert not defines("CAST", "CAST runs a hotline for survivors.")


@pytest.mark.parametrize(
    ("kind", "sentence", "expected"),
    [
        ("cost", "The program charges a $500 fee.", True),
        ("cost", "Testing is free and confidential.", True),
        ("cost", "John School is a mandatory program for buyers.", False),
        ("time", "The clinic is open Monday to Friday, 9 am to 5 pm.", True),
        ("duration", "Guests may stay up to 30 consecutive nights.", True),
        ("duration", "Guests meet a case manager before night 30.", False),
        ("time", "The centre offers free certification.", False),
        ("count", "68% of street-based sex workers experience physical assault.", True),
        ("count", "Under Penal Code 647(b), call 1-888-373-7888.", False),
        ("person", "Sheriff Jim Cooper leads the department.", True),
        ("person", "The Sacramento County Sheriff's Department has Vice detectives.", False),
        ("person", "Attend North Highlands Community Planning Group meetings.", False),
        ("age", "Covenant House serves young people ages 18 to 24.", True),
        ("age", "Vehicles can be impounded for 30 days.", False),
        ("duration", "Stays last up to 18 months.", True),
        ("web", "See www.castla.org for details.", True),
        ("web", "Call the hotline any time.", False),
    ],
)
def test_holds_checks_the_asked_kind_of_fact(kind, sentence, expected):
    assert holds(kind, sentence) is expected


@pytest.mark.parametrize(
    "question",
    [
        "Someone is hurting my friend right now, who do I call?",
        "he has a knife and hes standing outside my door",
        "my friend is not breathing after using",
        "a guy won't let me leave his car",
        "my trafficker is coming back tonight and said he would kill me",
        "her boyfriend swore he'll shoot her if she talks",
        # harm as it happens, however the sentence is built
        "help hes hitting me",
        "theyre beating him up outside the bar",
        "my roommate punched me and wont stop",
        "a guy grabbed her and pulled her into his car",
        "my coworker just got stabbed",
        "someone is breaking into my apartment",
        "my friend, a survivor of trafficking, is being followed",
        "my friend took something and hes turning blue",
        "he passed out in the bathroom and is unresponsive",
        "What number do I call for a crime in progress?",
        "my friend ODd what do i do",
        "she OD'd in the bathroom",
    ],
)
def test_danger_in_other_words_is_urgent(question):
    assert analyse(question).urgent


@pytest.mark.parametrize(
    "question",
    [
        "How many street-based sex workers get physically assaulted?",
        "What is the penalty for assault?",
        "How common is rape against sex workers?",
        "What is the penalty for threatening to kill someone?",
        "how do I support a survivor who was raped years ago",
        "how common is it for sex workers to get robbed by clients",
        "statistics on women being shot",
        "was the economy hit hard by the pandemic",
        "it is odd that the clinic closed early",
    ],
)
def test_questions_about_violence_are_not_urgent(question):
    assert not analyse(question).urgent


def test_a_name_spelled_a_letter_off_is_not_absent():
    from fieldguide import bm25

    passages = bm25.build(["The Maastricht Treaty was signed.", "Setanta Sports launched."])
    assert bm25.spelled_like(passages, "maastrich") and bm25.spelled_like(passages, "sentanta")
    assert not bm25.spelled_like(passages, "nevada") and not bm25.spelled_like(passages, "tax")


def test_codes_a_question_types_and_which_name_what_is_asked():
    assert typed_codes("Can I refer a suicidal caller to 988?") == {"988": True}
    assert typed_codes("did SB 357 repeal the loitering law") == {"357": True}
    assert typed_codes("who answers 213-555-0199?") == {"213-555-0199": True}
    assert typed_codes("Will a P100 mask help? What about sras-cov2?") == {
        "P100": False,
        "sras-cov2": False,
    }
    # years, ordinals, decades, amounts and small numbers are no codes
    assert typed_codes("in 2020, on the 20th, in the 80s, a $500 fine, 24/7, 19 year old") == {}
    assert typed_codes("is it 100% free for 1,000 people at 9am or 10:30 on 3/15/2024?") == {}


def test_absent_codes_are_judged_by_their_whole_number():
    vocabulary = {"911", "647b", "647", "2139557500", "213"}
    known = vocabulary.__contains__
    assert absent_codes(analyse("is 988 like 911?"), known) == {"988": True}
    assert absent_codes(analyse("is 213-955-7500 the clinic?"), known) == {}
    # another number sharing the area code is still absent
    assert absent_codes(analyse("is 213-555-0199 the clinic?"), known) == {"213-555-0199": True}
    assert absent_codes(analyse("what is PC 647(b)"), known) == {}
    assert absent_names(analyse("Can I call 988 or 911?"), known) == ["988"]


def test_names_a_spanish_question_gives_that_no_passage_holds():
    from fieldguide import bm25

    known = bm25.content_terms("HIV testing in Los Angeles and Westlake").__contains__
    nevada = analyse("¿Es legal la prostitución en Nevada?", "es")
    assert absent_names(nevada, known) == ["Nevada"]
    # its own abbreviation (HIV) and an accent the documents do not write are not missing
    clinic = analyse("¿Dónde hay pruebas de VIH en Los Ángeles y Westlake?", "es")
    assert absent_names(clinic, known) == []


def test_absent_words_the_question_runs_together_are_named_together():
    q = analyse("did SB 357 repeal the loitering law in Fresno")
    assert absent_names(q, {"repeal", "loiter", "law"}.__contains__) == ["SB 357", "Fresno"]
    assert joined("SB 357 and Fresno", ["357", "SB", "Fresno"]) == ["SB 357", "Fresno"]
    assert joined("one two", ["three", "two"]) == ["three", "two"]  # not all typed: apart
    assert joined("symptoms with loss of voice", ["loss", "voice"]) == ["loss of voice"]
    assert joined("tacos or pizza", ["tacos", "pizza"]) == ["tacos", "pizza"]


def test_a_shortened_place_name_is_not_absent():
    from fieldguide import bm25

    passages = bm25.build(["Sacramento County runs a diversion program.", "Sacred texts."])
    words = passages.vocab_dict
    assert bm25.abbreviated(words, "sac") == ["sacramento"] or "sacramento" in bm25.abbreviated(
        words, "sac"
    )
    assert bm25.abbreviated(words, "sa") == [] and bm25.abbreviated(words, "sacrament") == []
    assert bm25.abbreviated(words, "nev") == [] and bm25.abbreviated(words, "a1b") == []
