"""Workshop pack: collect, reorder, annotate, save and reopen, export to Markdown and Word."""

import io
import json

import docx
import pytest
from builders import HOSTILE_HOST, HOSTILE_MARKUP
from markdown_it import MarkdownIt

from fieldguide.export import (
    Pack,
    PackError,
    PackItem,
    item_from_hit,
    pack_docx,
    pack_from_json,
    pack_markdown,
    pack_to_json,
)
from fieldguide.search import Hit

HOTLINE = (
    "Where Can Victims Find Immediate Help?\n"
    "National Human Trafficking Hotline: 1-888-373-7888 or text HELP to 233733 (BEFREE)."
)


def hotline_hit() -> Hit:
    return Hit(
        HOTLINE,
        1.0,
        "walnut-park",
        "Walnut Park guide",
        "Where Can Victims Find Immediate Help?",
        None,
        1000,
        1000 + len(HOTLINE),
        "/data/corpus/walnut-park.txt",
        "walnut-park:12",
    )


def sample_pack() -> Pack:
    pack = Pack("Night outreach training")
    sentence = HOTLINE.index("National")
    pack.add(item_from_hit(hotline_hit(), [(sentence, len(HOTLINE))], "Hotline?"))
    pack.add(PackItem("Covenant House California (323-461-3131) helps youth.", "Westlake", page=4))
    return pack


def test_item_from_hit_keeps_citation_and_highlight_relative_to_the_passage():
    item = sample_pack().items[0]
    assert item.citation == "Walnut Park guide · Where Can Victims Find Immediate Help?"
    assert item.source == "walnut-park.txt"  # a file name, never a path on this computer
    (start, end) = item.highlights[0]
    assert item.text[start:end].startswith("National Human Trafficking Hotline")


def test_adding_the_same_passage_twice_keeps_one():
    pack = sample_pack()
    assert not pack.add(item_from_hit(hotline_hit()))
    assert len(pack.items) == 2


def test_reorder_remove_and_annotate():
    pack = sample_pack()
    first, second = (item.item_id for item in pack.items)
    pack.move(second, -1)
    assert [i.item_id for i in pack.items] == [second, first]
    pack.move(second, -1)  # already first: stays
    assert [i.item_id for i in pack.items] == [second, first]
    pack.annotate(first, "Ask: who would you call first?")
    assert pack.items[1].note == "Ask: who would you call first?"
    pack.remove(second)
    assert [i.item_id for i in pack.items] == [first]


def test_json_round_trip_and_merge():
    pack = sample_pack()
    pack.annotate(pack.items[0].item_id, "note")
    again = pack_from_json(pack_to_json(pack).encode())
    assert again == pack
    fresh = Pack()
    assert fresh.merge(again) == 2
    assert fresh.merge(again) == 0


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"\x00not json", "not readable JSON"),
        (b'{"format": "something-else"}', "not a Field Guide pack"),
        (b'{"format": "fieldguide-pack", "version": 9, "items": []}', "newer version"),
        (b'{"format": "fieldguide-pack", "version": 1, "items": [{"text": 3}]}', "damaged"),
        (
            b'{"format": "fieldguide-pack", "version": 1, '
            b'"items": [{"text": "t", "title": "T", "page": "x"}]}',
            "damaged",
        ),
        (b" " * (5 * 1024 * 1024 + 1), "too large"),
    ],
)
def test_files_that_are_not_packs_are_refused_in_words(raw, message):
    with pytest.raises(PackError, match=message):
        pack_from_json(raw)


def test_loading_drops_folders_from_file_names_and_bad_highlights():
    data = json.loads(pack_to_json(sample_pack()))
    data["items"][0]["source"] = "/home/volunteer/secret/walnut-park.txt"
    data["items"][0]["highlights"] = [[5, 2], [0, 10**6], [0, 4]]
    item = pack_from_json(json.dumps(data)).items[0]
    assert item.source == "walnut-park.txt"
    assert item.highlights == [(0, 4)]


def test_markdown_has_each_citation_notes_and_a_source_list():
    pack = sample_pack()
    pack.annotate(pack.items[1].item_id, "Youth only")
    text = pack_markdown(pack)
    assert text.startswith("# Night outreach training\n")
    assert "Source: Walnut Park guide · Where Can Victims Find Immediate Help? [1]" in text
    assert "Source: Westlake · page 4 [2]" in text
    assert "> **National Human Trafficking Hotline: 1-888-373-7888" in text
    assert "Trainer's note: Youth only" in text
    sources = text.split("## Sources\n")[1]
    assert sources.strip().splitlines() == ["1. Walnut Park guide (walnut-park.txt)", "2. Westlake"]


def test_markdown_export_keeps_hostile_markup_inert():
    pack = Pack("<script>alert(1)</script>")
    pack.add(PackItem(HOSTILE_MARKUP, "Beacon ![t](http://x/t.png)"))
    pack.annotate(pack.items[0].item_id, f"<img src=http://{HOSTILE_HOST}/n.png>")
    html = MarkdownIt("commonmark").render(pack_markdown(pack))
    for active in ("<img", "<script", "<a ", "<iframe", "<meta", "<style", "<form", "<input"):
        assert active not in html
    assert f"&lt;img src=&quot;http://{HOSTILE_HOST}/img.png&quot;&gt;" in html  # shown as text


def test_docx_opens_with_citations_highlight_and_sources():
    pack = sample_pack()
    pack.annotate(pack.items[0].item_id, "Start with this one\x07")
    document = docx.Document(io.BytesIO(pack_docx(pack)))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "Night outreach training"
    assert "Source: Walnut Park guide · Where Can Victims Find Immediate Help? [1]" in paragraphs
    assert "Trainer's note: Start with this one" in paragraphs
    assert paragraphs[-2:] == ["Walnut Park guide (walnut-park.txt)", "Westlake"]
    quote = next(p for p in document.paragraphs if p.text == HOTLINE)
    bold = [run.text for run in quote.runs if run.bold]
    assert bold == [HOTLINE[HOTLINE.index("National") :]]
