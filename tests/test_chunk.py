"""Chunk: sections stay whole, bullets stay with their lead, nothing exceeds the token limit."""

from builders import make_pdf
from conftest import CORPUS

from fieldguide.chunk import chunk_document, sentence_spans
from fieldguide.ingest import Document, read_document


def words(text):
    return len(text.split()) + 2


def test_heading_is_recorded_and_kept_with_its_answer():
    doc = read_document(CORPUS / "westlake.txt")
    chunks = chunk_document(doc, words, 200)
    first = next(c for c in chunks if c.section == "Is prostitution legal in Westlake?")
    assert first.text.startswith("Is prostitution legal in Westlake?")
    assert "Penal Code 647(b)" in first.text
    assert all(doc.text[c.start : c.end] == c.text for c in chunks)


def test_every_passage_is_embedded_with_its_title_and_section_heading():
    stops = " ".join(f"Stop {n} is on corner {n}." for n in range(40))
    text = f"# Night van guide\n\n## Where does the van stop?\n\n{stops}"
    chunks = chunk_document(Document("van", "Night van guide", "van.md", text, "x"), words, 60)
    later = chunks[1:]
    assert later and all("van stop" not in c.text for c in later)
    for chunk in later:
        assert chunk.embed_text() == f"Night van guide\nWhere does the van stop?\n{chunk.text}"


def test_sentences_are_whole_and_inside_their_chunk():
    doc = read_document(CORPUS / "walnut-park.txt")
    for chunk in chunk_document(doc, words, 120):
        for start, end in chunk.sentences:
            assert chunk.start <= start < end <= chunk.end
            sentence = doc.text[start:end]
            assert sentence[-1] in '.?!)":' or sentence.startswith("- "), sentence


def test_bullets_stay_with_their_lead_sentence():
    doc = read_document(CORPUS / "walnut-park.txt")
    chunks = chunk_document(doc, words, 200)
    lead = next(
        c for c in chunks if "Indicators of potential trafficking situations include:" in c.text
    )
    assert "- Individuals appearing controlled, fearful" in lead.text


def test_no_chunk_exceeds_the_limit_even_for_one_huge_sentence():
    text = "Where is help?\n\n" + " ".join(f"word{i}" for i in range(900)) + " end."
    doc = Document("big", "Big", "big.txt", text, "h")
    chunks = chunk_document(doc, words, 100)
    assert len(chunks) >= 9
    assert all(words(c.embed_text()) <= 100 for c in chunks)
    assert "end." in chunks[-1].text


def unk_tokens(text):
    """Like MiniLM's tokenizer: a run over 100 characters is one [UNK] word piece."""
    return sum(1 if len(w) > 100 else len(w) // 4 + 1 for w in text.split()) + 2


def test_one_256_kb_word_is_cut_into_bounded_passages_losing_nothing():
    text = "Intro sentence here. " + "x" * 256_000 + " The zqend clinic is open."
    doc = Document("word", "Word", "word.txt", text, "h")
    chunks = chunk_document(doc, unk_tokens, 200)
    assert max(len(c.text) for c in chunks) <= 2_000
    assert sum(c.text.count("x") for c in chunks) == 256_000
    assert "zqend" in chunks[-1].text


def test_pdf_chunks_carry_page_numbers(tmp_path):
    doc = read_document(make_pdf(tmp_path))
    chunks = chunk_document(doc, words, 200)
    pages = {c.section: c.page for c in chunks}
    assert pages == {"Where can I get help?": 1, "What are the clinic hours?": 2}


def test_sentence_spans_handle_abbreviations():
    text = "Call Dr. Smith at 213-955-7500. He works in the U.S. office."
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "Call Dr. Smith at 213-955-7500.",
        "He works in the U.S. office.",
    ]


def test_a_huge_one_line_paragraph_is_split_quickly_and_losslessly():
    sentence = "The van stops at Fifth and Main at nine. "
    text = sentence * 5000  # 205 kB on one line: pysbd alone takes minutes on this
    spans = sentence_spans(text)
    assert len(spans) == 5000
    assert all(text[s:e] == sentence.strip() for s, e in spans)


def test_short_closing_lines_are_kept_not_dropped_as_empty_headings():
    text = (
        "Harbor Clinic\n\nFree testing is offered on Tuesdays at the clinic.\n\n"
        "Walk-ins welcome\n\nCall 213-555-0100"
    )
    chunks = chunk_document(Document("flyer", "Harbor Clinic", "flyer.txt", text, "h"), words)
    indexed = " ".join(c.text for c in chunks)
    assert "Walk-ins welcome" in indexed and "Call 213-555-0100" in indexed
    assert chunks[0].section == "Harbor Clinic"  # the title line stays a heading


def test_a_sentence_wrapped_over_lines_stays_one_sentence():
    text = (
        "The night van parks outside the library every Friday from 9 pm to\n2 am with food. "
        "Call or text the van at\n213-555-0133 to find it.\nHours:\nMonday 9-5\n- bring ID"
    )
    found = [text[s:e] for s, e in sentence_spans(text)]
    assert found[:2] == [
        "The night van parks outside the library every Friday from 9 pm to\n2 am with food.",
        "Call or text the van at\n213-555-0133 to find it.",
    ]
    assert found[2:] == ["Hours:", "Monday 9-5", "- bring ID"]


def test_numbered_subsection_titles_of_a_pdf_are_headings_not_list_items():
    text = (
        "3. Warming Sites\n"
        "3.2 Riverbend Warming Site\nLocation: St. Brigid's Parish Hall, 12 Quarry Lane.\n"
        "Open 8:00 pm to 7:00 am on Code Blue nights.\n"
        "3.4 Daytime warming\nThe Riverbend Public Library is open during library hours.\n"
        "1. Call 911.\n2. Stay with the person"
    )
    chunks = chunk_document(Document("plan", "Winter plan", "plan.pdf", text, "w"), words, 40)
    sections = [c.section for c in chunks]
    assert "3.2 Riverbend Warming Site" in sections and "3.4 Daytime warming" in sections
    sentences = [s for c in chunks for s in c.sentence_texts()]
    assert "The Riverbend Public Library is open during library hours." in sentences
    assert not any(s.startswith("3.4") for s in sentences)  # no title glued to a sentence
    assert "1. Call 911." not in sections and "2. Stay with the person" not in sections
