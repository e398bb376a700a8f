"""Answer: an extractive answer of verbatim source sentences, each cited, or an abstention."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

import numpy as np

from . import bm25
from .about import about, typed_lower
from .calibrate import calibration, signals
from .config import Settings
from .coverage import asked_names, gives, mentions
from .disagree import Difference
from .question import (
    CHECKED,
    KIND_WORDS,
    WORD,
    Question,
    absent_codes,
    absent_names,
    analyse,
    defines,
    holds,
    named_places,
    typed_names,
)
from .rerank import question_heading
from .resources import best_name_in
from .safety import contact_rank
from .search import Hit
from .strings import absent_note, gap_note, lacks_note, text, unsaid_note
from .unsaid import unmet_words, unsaid_of

NOT_COVERED = text("not_covered")  # Engine.ask puts it in the question's language
PASSAGES_FOR_ANSWER = 3


@dataclass
class Citation:
    """Where one answer sentence comes from; `n` is its passage's number in the hit list."""

    n: int
    doc_id: str
    title: str
    section: str
    page: int | None
    sentence: str
    start: int = 0
    end: int = 0
    source: str = ""


@dataclass
class Answer:
    """The extractive answer, its citations, and the passages it was drawn from."""

    question: str
    answer: str
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    language: str = "en"  # the question's language (the answer is the documents' own words)
    multilingual: bool = False  # searched with the multilingual vectors
    urgent: bool = False  # the question is about immediate danger
    # multilingual questions: how far the best passage or sentence beats the question's
    # cosine with unrelated text (abstains below `multilingual_abstain_below`)
    evidence: float | None = None
    # organisations the question asks a phone number (or address) of that the documents name
    # but give none for: the answer is partial, and says so
    missing: list[str] = field(default_factory=list)
    wanted: str = ""  # "number" or "address": what the missing organisations lack
    # names the question gives that no indexed passage holds ("Nevada"): not covered
    absent: list[str] = field(default_factory=list)
    # the kind of fact asked (a cost, a time, a count, a person) that the quoted sentences,
    # related as they are, do not give: the answer is partial
    lacks: str = ""
    # a yes/no question about what an organisation does ("does harbor house allow dogs"): the
    # organisation and the thing asked, when no quoted passage mentions the thing: partial
    unsaid: tuple[str, ...] = ()
    # the calibrated model's inputs and its probability that the passages answer the question
    signals: dict[str, float] | None = None
    confidence: float | None = None
    # the top passages give different figures for one thing: the reader should check which
    differences: list[Difference] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        """ "answered", "partial" (some of what was asked is not in the documents) or
        "abstained" (not in these documents)."""
        if self.abstained and not self.missing:
            return "abstained"
        partial = self.missing or self.lacks or self.absent or self.unsaid
        return "partial" if partial else "answered"

    @property
    def note(self) -> str:
        """What the documents lack, in the question's language ("" when nothing is)."""
        notes = [
            absent_note(self.absent, self.language),
            gap_note(self.missing, self.wanted, self.language),
            lacks_note(self.lacks, self.language) if self.citations else "",
            unsaid_note(self.unsaid, self.language) if self.citations else "",
        ]
        return " ".join(n for n in notes if n)

    def spans_of(self, n: int) -> list[tuple[int, int]]:
        """The sentences the answer quotes from passage `n` (1-based), as sorted (start, end)
        character spans of that passage's text: what its card highlights and a pack keeps."""
        hit = self.hits[n - 1]
        return sorted(
            (c.start - hit.start, c.end - hit.start)
            for c in self.citations
            if c.n == n and hit.start <= c.start < c.end <= hit.end
        )


# below this cosine the best passage is off-topic unless it shares most of the question's words
LEXICAL_RESCUE_COSINE = 0.15
LEXICAL_RESCUE_OVERLAP = 0.6
DEFINED_COSINE = 0.05
# a sentence at this cosine covers the question: 1 falsely abstained question of the dev sets
# rescued, no should-decline one answered (the closest of those: 0.35), no more off-corpus
# question answered (0.4 answered 3 of 537 XQuAD questions asked of the guides)
SENTENCE_COVERS = 0.45
# an FAQ entry whose question heading is at least this close to the question, and closer than
# any sentence, is the entry that answers it (CovidFAQ: answers holding 378 -> 433 of 823;
# 0.5 also moved the first sentence of 3 domain answers, "How Does Sex Work Impact the North
# Highlands Community?" for "why do ppl in north highlands end up trading sex")
ENTRY_COSINE = 0.6
# an answer sentence whose passage lacks the place the question names ("near Westlake") loses this
NAME_PENALTY = 0.5
# "No, prostitution is illegal ..." answers its FAQ heading's yes-no question, not "where do
# girls usually work in westlake": a sentence opening on yes or no loses this for any other
# (English) question
YES_NO_LEAD = 0.1
# "where" and "who" are answered by a sentence naming someone or somewhere the question does
# not ("Downtown Women's Center and LAHSA ... can assist", "areas like Alvarado Street"): the
# best such sentence scoring at least this share of the best sentence's comes first
NAMING_RELATIVE = 0.8  # 0.7 and 0.9 measure the same on every set
_YES_NO = re.compile(r"\W*(?:yes|no)\s*[,.!;:]", re.I)  # not "No ID is required."


def question_names(question: str) -> set[str]:
    """Stemmed capitalised words of a question (question words and "I" dropped).

    A question in capitals (or with no lower case) has none we can tell. Sentence-initial words
    stay ("Westlake shelters?"): `_missing_names` keeps only those that title a document.
    """
    if not any(ch.islower() for ch in question):
        return set()
    names = [w for w in WORD.findall(question) if w[0].isupper() and w != "I"]
    return bm25.content_terms(" ".join(names)) if names else set()


def term_overlap(question_terms: set[str], text: str) -> float:
    """Share of the question's content terms (stemmed, no stop words) found in a text."""
    if not question_terms:
        return 0.0
    return len(question_terms & bm25.content_terms(text)) / len(question_terms)


# the sentence after the closest must be at least this share as close to be quoted beside it
# (0.5 and 0.3 gained the same on every dev set but XQuAD, +7 and +9 answers holding the
# gold span of 537; 0.5 changes fewer answers: 167 against 279)
NEXT_RELATIVE = 0.5
# a sentence opening with one of these words needs the one before it to be understood
_ANAPHOR = re.compile(
    r"\W*(?:he|she|it|they|his|her|its|their|this|these|those|that|the latter|the former|"
    r"such)\b",
    re.I,
)


def with_neighbours(
    chosen: list[int], candidates: list[tuple], scores: list[float], limit: int
) -> list[int]:
    """`chosen`, with the best sentence's neighbours in its passage quoted beside it.

    - The sentence before, when the best one opens by pointing back to it ("These include
      County-funded detoxification programs ...", "His Liber servitoris is ...").
    - The sentence after, when it is at least `NEXT_RELATIVE` as close to the question as the
      best: a question's words often meet the sentence that leads up to a fact ("A piece of
      paper was later found on which Luther had written his last statement."), the fact being
      the next one ("The statement was in Latin, ...").

    Each only while there is room (`limit` sentences), in document order around the best.
    """
    if not chosen or len(chosen) >= limit:
        return chosen
    first = chosen[0]
    passage = candidates[first][0]
    before, after = first - 1, first + 1
    if (
        before >= 0
        and before not in chosen
        and candidates[before][0] == passage
        and _ANAPHOR.match(candidates[first][3])
    ):
        chosen = [before, *chosen]
    if (
        len(chosen) >= limit
        or after in chosen
        or after >= len(candidates)
        or candidates[after][0] != passage
        or scores[after] < NEXT_RELATIVE * scores[first]
    ):
        return chosen
    at = chosen.index(first)
    return [*chosen[: at + 1], after, *chosen[at + 1 :]]


def pick_sentences(scores: list[float], limit: int, relative: float = 0.85) -> list[int]:
    """Indices of the best sentence and of up to `limit - 1` others scoring close to it."""
    if not scores:
        return []
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    best = scores[order[0]]
    return [i for i in order[:limit] if scores[i] >= best * relative or i == order[0]]


def is_covered(question: str, hits: list[Hit], threshold: float, asks: str = "") -> bool:
    """Whether a top passage is close enough to the question to answer from.

    Close means a cosine of at least `threshold`, or a weaker cosine with most of the question's
    topic words present (acronyms and names the model does not know, e.g. "LAPD CLEAR team"),
    or most of them with every code or number of the question ("pc 647b", a phone number).
    The words that only say what kind of fact is asked (`asks`: "cost", "open on sundays") are
    not topic words: "What does FOPP cost?" is about FOPP, and a passage on FOPP that gives no
    cost makes a partial answer, not "not in these documents".
    """
    terms = bm25.content_terms(question)
    kind_words = KIND_WORDS.get(asks, set())
    if terms - kind_words:
        terms -= kind_words
    codes = {t for t in terms if any(ch.isdigit() for ch in t)}
    for hit in hits[:PASSAGES_FOR_ANSWER]:
        if hit.dense >= threshold:
            return True
        passage_terms = bm25.content_terms(hit.text)
        shared = len(terms & passage_terms) / len(terms) if terms else 0.0
        exact_code = bool(codes) and codes <= passage_terms
        if shared >= LEXICAL_RESCUE_OVERLAP and (hit.dense >= LEXICAL_RESCUE_COSINE or exact_code):
            return True
        # "what's a T visa": the passage that names the thing asked about says what the
        # documents know of it, however little of the long passage is about it
        if asks == "definition" and shared == 1.0 and hit.dense >= DEFINED_COSINE:
            return True
    return False


def compose_answer(
    question: str | Question,
    hits: list[Hit],
    embedder,
    settings: Settings,
    query_vector: np.ndarray | None = None,
    threshold: float | None = None,
    baseline: float | None = None,
    urgent: bool | None = None,
    known=None,
    rarity=None,
    lowercase: frozenset[str] | None = None,
) -> Answer:
    """Pick the 1-3 source sentences that best answer `question`, copied verbatim and cited.

    Args:
        question: the question as typed.
        hits: ranked passages from `hybrid_search`.
        embedder: encodes the candidate sentences.
        settings: abstention threshold and answer length.
        query_vector: the question's vector, if already computed.
        threshold: abstain below this (default `settings.abstain_below`, a cosine).
        baseline: for a model that scores every pair high (e5), the question's cosine with
            unrelated text. Then the best passage or sentence must beat it by `threshold`, and
            sentence cosines are rescaled so the baseline maps to 0 (else every answer would
            quote three sentences).
        urgent: the question is about immediate danger: a sentence giving an emergency number
            (911) comes first, and is quoted even when nothing else fits (default: as the
            question's analysis says).
        known: `known(term)` tells whether the index holds a stemmed term; given, a question
            naming something no passage holds ("Nevada") is not covered, and says so.
        lowercase: every word the index's passages write in lower case, when at hand: a word
            the question types in lower case that is not among them is a name.

    Returns:
        An Answer; `abstained` is True when the passages don't seem to answer the question,
        `missing` names the organisations whose asked-for number the documents don't give.
    """
    q = question if isinstance(question, Question) else analyse(question)
    question = q.text
    urgent = q.urgent if urgent is None else urgent
    threshold = settings.abstain_below if threshold is None else threshold
    top = hits[:PASSAGES_FOR_ANSWER]
    candidates = [
        (n, s, e, text)
        for n, hit in enumerate(top, start=1)
        for s, e, text in hit.sentence_texts()
        if len(text.split()) >= 3 or gives("number", text)  # "Call 213-555-0401." too
    ]
    emergency = [contact_rank(c[3]) == 0 for c in candidates] if urgent else []
    wanted = "" if any(emergency) else q.wanted
    # the index's words are its documents' (English) words: "VIH" is not missing, just Spanish
    english = q.language == "en"
    absent = absent_names(q, known) if known else []
    # a country or state written in lower case is often only context ("symptoms of
    # coronavirus philippines"): unless the question asks for someone to reach or a place to
    # go, the answer says what the documents say, and that they don't mention it (partial)
    reach = q.asks in ("phone", "place", "who") or bool(q.wanted) or bool(_IS_THERE.match(question))
    typed = set(q.names)  # "Nevada" as a name keeps its rule: not covered
    context = [] if reach else [a for a in absent if a in q.places and not typed & set(a.split())]
    # a model or part number ("P100 mask", "sras-cov2") is a detail of the question: partial
    details = absent_codes(q, known) if absent else {}
    context += [a for a in absent if details.get(a) is False and a not in context]
    # an abbreviation the documents never use may stand for a name they spell out ("UMC" of
    # articles on the United Methodist Church, "ICE" beside "immigration status"): unless the
    # question asks whom to reach, the answer quotes what they say and names it as missing
    if not reach:
        context += [a for a in absent if a.isupper() and 2 <= len(a) <= 5 and a not in context]
    # someone in danger reads "call 911" whatever else the documents lack; a name asked in
    # another language may be one the documents write in theirs ("Estados Unidos"): partial
    if any(emergency) or not english:
        context = absent
    if len(context) < len(absent):  # "What is the penalty in Nevada?" of documents that
        return Answer(question, NOT_COVERED, True, [], hits, absent=absent)  # never mention it
    # the passages name the organisation whose number is asked: answer, or say they give none
    names = asked_names(question, [h.text for h in top], [h.title for h in top]) if wanted else []
    # "What does CAST stand for?": the sentence that spells it out answers, however few words
    # it shares with the question
    defining = [i for i, c in enumerate(candidates) if q.acronym and defines(q.acronym, c[3])]
    sure = any(emergency) or bool(names) or bool(defining)
    fitted = calibration() if settings.abstain == "calibrated" and baseline is None else None
    if not candidates:
        return Answer(question, NOT_COVERED, True, [], hits)
    qvec = embedder.encode_query(question) if query_vector is None else query_vector
    cosines = embedder.encode([c[3] for c in candidates]) @ qvec
    # one sentence this close answers, however little of its long passage is about it
    # ("what are warning signs that the person in front of me might not be free to leave")
    close = baseline is None and float(cosines.max()) >= SENTENCE_COVERS
    if not (
        sure
        or close
        or baseline is not None
        or fitted
        or is_covered(question, hits, threshold, q.asks)
    ):
        return Answer(question, NOT_COVERED, True, [], hits)
    evidence = None
    measured = confidence = None
    if fitted is not None:  # the calibrated model decides (English voice)
        sentences = [c[3] for c in candidates]
        measured = signals(q, hits, sentences, cosines, known or _anything, rarity)
        confidence = round(fitted.probability(measured), 4)
        if confidence < fitted.threshold and not sure:
            return Answer(
                question, NOT_COVERED, True, [], hits, signals=measured, confidence=confidence
            )
    if baseline is not None:
        best = max([float(cosines.max())] + [h.dense for h in top])
        evidence = round(best - baseline, 6)
        if evidence < threshold and not sure:
            return Answer(question, NOT_COVERED, True, [], hits, evidence=evidence)
        cosines = (cosines - baseline) / (1 - baseline)
    terms = bm25.content_terms(question)
    off_place = _missing_names(question, top)
    # a word of a passage's document title ("North Highlands" of a guide to it) is what the
    # whole document is about: no sentence of it answers better for repeating that word
    # ("... illegal throughout California, including North Highlands" for "where can I get
    # clean needles in north highlands"); the rest of the question's words still count
    untitled = [terms - bm25.content_terms(h.title) if english else terms for h in top]
    overlap_terms = [own or terms for own in untitled]
    # semantic closeness, plus exact question words, plus a nudge for higher-ranked passages,
    # minus a penalty when the passage is about another place or body than the one named
    scores = [
        float(cosines[i])
        + 0.3 * term_overlap(overlap_terms[c[0] - 1], c[3])
        - 0.03 * (c[0] - 1)
        - NAME_PENALTY * off_place[c[0] - 1]
        - YES_NO_LEAD * (english and q.asks != "yesno" and bool(_YES_NO.match(c[3])))
        for i, c in enumerate(candidates)
    ]
    chosen = pick_sentences(scores, settings.answer_sentences)
    missing: list[str] = []
    lacks = ""
    if any(emergency):  # someone in danger reads "call 911" first
        first = max(range(len(scores)), key=lambda i: (emergency[i], scores[i]))
        chosen = [first, *(i for i in chosen if i != first)]
    elif defining:
        first = max(defining, key=lambda i: scores[i])
        chosen = [first, *(i for i in chosen if i != first)]
    elif names:
        after = [i > 0 and candidates[i - 1][0] == c[0] for i, c in enumerate(candidates)]
        texts = [c[3] for c in candidates]
        titles = [top[c[0] - 1].title for c in candidates]
        chosen, missing = for_named(wanted, names, texts, scores, chosen, after, titles)
    elif q.asks in CHECKED or q.asks == "phone":  # a cost, a time, a number: quote one
        chosen, lacks = for_type(q, candidates, top, scores, chosen, rarity, hits, lowercase)
    elif english:  # the sentences around the closest one often hold what it points to
        if baseline is None and q.asks in ("place", "who"):  # somewhere, someone named
            chosen = naming_first(q, top, candidates, scores, chosen, settings.answer_sentences)
        elif baseline is None:  # the entry asking the user's question answers first
            entry = asked_entry(top, embedder, qvec, float(cosines.max()))
            # an entry longer than one passage answers from any of its passages
            mine = [i for i, c in enumerate(candidates) if entry and same_entry(top, c[0], entry)]
            if mine:
                first = max(mine, key=lambda i: scores[i])
                chosen = [first, *(i for i in chosen if i != first)][: settings.answer_sentences]
        chosen = with_neighbours(chosen, candidates, scores, settings.answer_sentences)
        if wanted:  # one address (or number) to go by: other passages' stay in the passages
            chosen = one_reach(wanted, chosen, candidates)
    unsaid = (
        ()
        if any(emergency) or names or defining
        else unsaid_of(q, top, candidates, chosen, hits, lowercase)
    )
    if english and known and not (any(emergency) or names or defining or unsaid):
        quoted = [candidates[i][3] for i in chosen]
        context += unmet_words(q, quoted, embedder, qvec, known, said=context)
    if english and (unsaid or lacks or missing or context):
        chosen = unleading(chosen, candidates, top, q)
    citations = [_citation(hits, *candidates[i]) for i in chosen[: settings.answer_sentences]]
    return Answer(
        question,
        quoting(citations),
        not citations,
        citations,
        hits,
        evidence=evidence,
        missing=missing,
        wanted=wanted if missing else "",
        lacks=lacks,
        unsaid=unsaid if citations else (),
        absent=context if citations else [],
        signals=measured,
        confidence=confidence,
    )


def asked_entry(top: list[Hit], embedder, qvec: np.ndarray, best_sentence: float) -> int | None:
    """The number of the passage whose question heading is the user's question: the closest
    heading, at `ENTRY_COSINE` or more and closer than every candidate sentence (an FAQ entry's
    answer often shares few words with the question its heading asks); None when none is."""
    heads = [
        (n, question_heading(h, [t for *_, t in h.sentence_texts()])) for n, h in enumerate(top, 1)
    ]
    heads = [(n, head) for n, head in heads if head]
    if not heads:
        return None
    cosines = embedder.encode([head for _, head in heads]) @ qvec
    best = int(np.argmax(cosines))
    close = float(cosines[best])
    return heads[best][0] if close >= ENTRY_COSINE and close > best_sentence else None


def one_reach(wanted: str, chosen: list[int], candidates: list[tuple]) -> list[int]:
    """`chosen` without other passages' sentences giving the `wanted` number or address when
    the first gives one ("the address of the riverbend clinic": the clinic's row, not the
    harm reduction collective's row after it, in the same table)."""
    if not chosen or not gives(wanted, candidates[chosen[0]][3]):
        return chosen
    from .tables import is_row_line

    passage = candidates[chosen[0]][0]

    def own(i: int) -> bool:  # a table row is a record of its own, whatever its passage
        return i == chosen[0] or (candidates[i][0] == passage and not is_row_line(candidates[i][3]))

    return [i for i in chosen if own(i) or not gives(wanted, candidates[i][3])]


def unleading(chosen: list[int], candidates: list[tuple], top: list[Hit], q: Question) -> list[int]:
    """A partial answer's quote without the sentences answering another question yes or no:
    below "The documents mention Westlake but say nothing about a needle exchange", "No,
    prostitution is illegal ..." (under "Is prostitution legal in Westlake?") reads as the
    answer. A yes or no under a heading sharing the question's words beyond its document's
    title ("No, pets are not allowed." under "Can I bring my pet?") stays. When every chosen
    sentence is dropped, the first one's passage gives its next sentence instead (or the
    closest before it)."""

    def elsewhere(i: int) -> bool:
        hit = top[candidates[i][0] - 1]
        shared = bm25.content_terms(hit.section) & q.terms - bm25.content_terms(hit.title)
        return bool(_YES_NO.match(candidates[i][3])) and not shared

    kept = [i for i in chosen if not elsewhere(i)]
    if kept or not chosen:
        return kept or chosen
    first = chosen[0]
    same = [
        i for i, c in enumerate(candidates) if c[0] == candidates[first][0] and not elsewhere(i)
    ]
    return [min(same, key=lambda i: (i < first, abs(i - first)))] if same else chosen


def naming_first(
    q: Question, top: list[Hit], candidates: list[tuple], scores: list[float], chosen, limit: int
) -> list[int]:
    """`chosen`, led by the best sentence naming someone or somewhere the question does not
    (`names_other`) when one scores `NAMING_RELATIVE` of the best or more."""
    floor = scores[chosen[0]] * NAMING_RELATIVE
    naming = [
        i
        for i, c in enumerate(candidates)
        if scores[i] >= floor and names_other(q, top[c[0] - 1], c[3])
    ]
    if not naming or chosen[0] in naming:
        return chosen
    first = max(naming, key=lambda i: scores[i])
    return [first, *(i for i in chosen if i != first)][:limit]


def names_other(q: Question, hit: Hit, sentence: str) -> bool:
    """Whether the sentence names an organisation, person or street the question does not:
    a capitalised word that is not the question's, its document title's, or a state's or
    country's ("No, prostitution is illegal throughout California including Westlake" names
    nothing a "where in westlake" question wants)."""
    said = bm25.content_terms(f"{q.text} {hit.title}") | _NOT_NAMING
    found = [w for w in typed_names(sentence) if not named_places(w) and len(w) > 2]
    return any(t.isalpha() for t in bm25.content_terms(" ".join(found)) - said)


# capitalised words that name no one and nowhere: days, months, languages
_NOT_NAMING = bm25.content_terms(
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "june july august september october november december english spanish french chinese "
    "mandarin cantonese vietnamese korean tagalog arabic russian portuguese creole covid"
)


def same_entry(top: list[Hit], n: int, entry: int) -> bool:
    """Whether passage `n` is passage `entry` or another part of the same section."""
    a, b = top[n - 1], top[entry - 1]
    return n == entry or (a.doc_id, a.section) == (b.doc_id, b.section)


def quoted_first(answer: Answer) -> Answer:
    """The answer with the passage it quotes first listed first, its citations renumbered.

    The answer step knows more than the ranking (the kind of fact asked, the words the title
    does not already say, an FAQ entry's question), and a reader checks the answer against
    the first passage: domain-dev hit@1 0.802 -> 0.876, domain-test 0.786 -> 0.833, holdout
    0.811 -> 0.849, CovidFAQ 0.612 -> 0.602, shared-30 0.964 -> 0.929 (docs/benchmarks.md).
    A partial answer's quote is what the documents say beside the question, not its answer:
    the passages keep their order.
    """
    if answer.outcome != "answered" or not answer.citations or answer.citations[0].n == 1:
        return answer
    lead = answer.citations[0].n
    order = [lead, *(n for n in range(1, len(answer.hits) + 1) if n != lead)]
    renumber = {old: new for new, old in enumerate(order, start=1)}
    hits = [answer.hits[n - 1] for n in order]
    citations = [dataclasses.replace(c, n=renumber[c.n]) for c in answer.citations]
    return dataclasses.replace(answer, answer=quoting(citations), citations=citations, hits=hits)


def quoting(citations: list[Citation]) -> str:
    """The answer's text: each quoted sentence with its passage's number."""
    return " ".join(f"{c.sentence} [{c.n}]" for c in citations)


# "is there a shelter in arizona": asks for a service there, like "where"
_IS_THERE = re.compile(r"\W*(?:is|are) there\b|\W*(?:hay|existe)\b", re.I)


def _anything(term: str) -> bool:
    return True


# a sentence that gives the asked fact must be about as relevant as the best one; a phone
# line ("- Hotline: 1-888-373-7888") says little besides its number, so it needs less
FIT_RELATIVE = {"phone": 0.5}
FIT_RELATIVE_DEFAULT = 0.7
# a word this rare in the index marks what a question is about ("syringe" in a library where
# few passages say it); 1.0 is a word no passage holds
SUBJECT_RARITY = 0.5
# share of the rarity of whom a phone question asks for that a line must hold when it lacks
# the rarest of those words
DESCRIBED = 0.5


def for_type(
    q: Question,
    candidates: list[tuple],
    top: list[Hit],
    scores: list[float],
    chosen: list[int],
    rarity=None,
    context: list[Hit] | None = None,
    lowercase: frozenset[str] | None = None,
) -> tuple[list[int], str]:
    """Answer sentences for a question asking a checked kind of fact (`question.CHECKED`).

    A close sentence that gives it (a time for "what time", a count for "how many"), in a
    passage holding the question's own names, comes first. When none does, the related
    sentences stay and the kind of fact is returned as what the documents lack.

    A phone line must also hold whom the question asks to call (`Question.described`): the
    rarest of those words (by `rarity(term)`, the index's), or most of their rarity ("easton
    police non emergency number" is not answered by the Easton shelter's line, "number for st
    brigids warming site" not by another warming site's).

    Returns:
        (sentence indices, best first; the asked kind when no sentence gives it, else "").
    """
    best = max(scores[i] for i in chosen)
    keys = _key_terms(q, top)
    # names typed in lower case ("food pantry in riverbend hours"): the sentence giving the
    # fact, or its heading, must be about them (not the Easton pantry's row)
    # (words are matched as written: a Spanish question's words are not the English passages')
    english = q.language == "en"
    proper = typed_lower(q, top, context, lowercase) if english else set()
    kind = q.asks if q.asks in CHECKED else "number"
    # the sentence giving it is about what was asked: it shares one of the question's own
    # words beyond its names ("30 days" answers no question about the age of consent)
    names = bm25.content_terms(" ".join(q.names)) if q.names else set()
    # words that only name the kind of fact ("phone number") are no topic a line must share
    topic = set(q.terms) - names - (KIND_WORDS["phone"] if q.asks == "phone" else set())
    # and its passage is about what the question asks it of: "open 24/7" of a youth shelter is
    # no answer to "is the syringe exchange open on sundays" ("open" only names the kind)
    core = topic - KIND_WORDS.get(q.asks, set()) if english else set()
    phone = q.asks == "phone"
    fits = [
        i
        for i, c in enumerate(candidates)
        # a line in the asked organisation's own document is its line, however little else
        # of the question it says ("Call the intake line at 555-0142")
        if (
            scores[i] >= best * FIT_RELATIVE.get(q.asks, FIT_RELATIVE_DEFAULT)
            or (phone and _titled(set(q.described), top, c, rarity))
        )
        and (holds(kind, c[3]) if kind != "number" else gives("number", c[3]))
        and keys <= bm25.content_terms(top[c[0] - 1].text)
        and proper <= about(top[c[0] - 1], c[3])
        and (not topic or topic & bm25.content_terms(_line_of(top, c) if phone else c[3]))
        and (not core or core & about(top[c[0] - 1], c[3]))
        and (not phone or _describes(set(q.described), _line_of(top, c), rarity))
    ]
    if not fits:
        # related text, but no other organisation's number at all (in English, where the line
        # was held to the question's own words; a Spanish question's related lines keep theirs)
        if q.asks == "phone" and english:
            plain = [i for i in chosen if not gives("number", candidates[i][3])]
            others = sorted(
                (i for i in range(len(candidates)) if not gives("number", candidates[i][3])),
                key=lambda i: -scores[i],
            )
            return plain or others[:1], kind

        # the related text is about the question's subject, never another's fact of the asked
        # kind (a clinic's hours for "is the syringe exchange open"): when the passages hold a
        # rare word of the subject ("syringe"), a sentence giving a time, a cost... from a
        # passage without it is left out
        subject = {t for t in core if rarity is not None and SUBJECT_RARITY <= rarity(t) < 1}
        held = [about(top[c[0] - 1], c[3]) & (subject | names) for c in candidates]
        if not subject or not any(held):
            return chosen, kind

        def elsewhere(i: int) -> bool:
            return holds(kind, candidates[i][3]) and not held[i]

        kept = [i for i in chosen if not elsewhere(i)]
        related = sorted((i for i, h in enumerate(held) if h), key=lambda i: -scores[i])
        return kept or related[:1], kind
    # of the lines giving it, the one holding most of what the question describes ("24/7",
    # "shelter", "legal") comes first; closeness breaks ties
    first = max(fits, key=lambda i: (len(topic & bm25.content_terms(candidates[i][3])), scores[i]))
    rest = [i for i in chosen if i != first]
    if q.asks == "phone":  # one number to call: other lines' numbers stay in the passages
        rest = [i for i in rest if not gives("number", candidates[i][3])]
    elif kind in OWN_FACTS:  # nor another passage's (the drop-in center's hours after the
        # pantry's); a count or a date may be the next passage's part of the answer
        passage = candidates[first][0]
        rest = [
            i
            for i in rest
            if i in fits or candidates[i][0] == passage or not holds(kind, candidates[i][3])
        ]
    return [first, *rest], ""


# facts of one organisation or place: another passage's is someone else's
OWN_FACTS = ("time", "cost", "web")


def _describes(topic: set[str], line: str, rarity) -> bool:
    """Whether a line holds the rarest of a question's topic words, or most of their weight."""
    if not topic or rarity is None:
        return True
    held = topic & bm25.content_terms(line)
    rarest = max(topic, key=lambda t: (rarity(t), t))
    weight = sum(rarity(t) for t in topic)
    return rarest in held or sum(rarity(t) for t in held) >= DESCRIBED * weight


def _line_of(top: list[Hit], candidate: tuple) -> str:
    """Whose a sentence's number is, as text: the sentence, and its document's title when it
    names no organisation ("Call the intake line at 555-0142" in "Harbor House Shelter:
    Intake and Admission Policy" is Harbor House's line; "Call the Marlow County Crisis Line
    at 555-0100" in it is not)."""
    n, *_, sentence = candidate
    return sentence if best_name_in(sentence) else f"{top[n - 1].title} {sentence}"


def _titled(described: set[str], top: list[Hit], candidate: tuple, rarity) -> bool:
    """Whether a line naming no organisation is in a document whose title says whom the
    question asks to call (`Question.described`)."""
    n, *_, sentence = candidate
    if not described or rarity is None or best_name_in(sentence):
        return False
    return _describes(described, top[n - 1].title, rarity)


def _key_terms(q: Question, top: list[Hit]) -> set[str]:
    """The stemmed names of a question that are not the places titling its documents."""
    names = bm25.content_terms(" ".join(q.names)) if q.names else set()
    return names - bm25.content_terms(" ".join(h.title for h in top))


def _citation(hits: list[Hit], n: int, start: int, end: int, sentence: str) -> Citation:
    hit = hits[n - 1]
    return Citation(
        n, hit.doc_id, hit.title, hit.section, hit.page, sentence, start, end, hit.source
    )


def for_named(
    wanted: str,
    names: list[str],
    texts: list[str],
    scores: list[float],
    chosen: list[int],
    after: list[bool] | None = None,
    titles: list[str] | None = None,
) -> tuple[list[int], list[str]]:
    """Answer sentences for a question asking the number (or address) of named organisations.

    The sentences that give it beside the name come first; sentences giving some other
    organisation's number are dropped; the names no sentence gives it for are returned.

    Args:
        wanted: "number" or "address" (`coverage.asked_for`).
        names: the organisations the question names.
        texts: the candidate sentences; `scores` and `chosen` index into them.
        after: whether each sentence follows the one before it in the same passage; then a
            number in a sentence naming no organisation ("Call 213-555-0401.") is the one the
            sentence before names, as the resources directory reads it.
        titles: each sentence's document title; a number in a sentence naming no organisation
            is the one its title names ("Intake line: 555-0142" in "Harbor House Shelter:
            Intake and Admission Policy").

    Returns:
        (sentence indices, best first; names the documents give no number/address for).
    """
    after = after or [False] * len(texts)
    titles = titles or [""] * len(texts)

    def names_it(name: str, i: int) -> bool:
        unnamed = titles[i] and not best_name_in(texts[i])
        return mentions(name, texts[i]) or bool(unnamed and mentions(name, titles[i]))

    answering = [
        i for i, t in enumerate(texts) if gives(wanted, t) and any(names_it(n, i) for n in names)
    ]
    # (the sentence naming it, the next one giving its number): quoted together, in order
    pairs = [
        (i - 1, i)
        for i, t in enumerate(texts)
        if after[i]
        and i not in answering
        and gives(wanted, t)
        and not best_name_in(t)
        and any(mentions(n, texts[i - 1]) for n in names)
    ]
    named = answering + [first for first, _ in pairs]
    missing = [n for n in names if not any(names_it(n, i) for i in named)]
    ranked = sorted(
        [(scores[i], [i]) for i in answering] + [(scores[a], [a, b]) for a, b in pairs],
        key=lambda pair: -pair[0],
    )
    keep = list(dict.fromkeys(i for _, group in ranked for i in group))
    keep += [i for i in chosen if i not in keep and not gives(wanted, texts[i])]
    about = [i for i, t in enumerate(texts) if any(mentions(n, t) for n in missing)]
    if about and not set(about) & set(keep):  # what the documents do say about it
        keep.append(max(about, key=lambda i: scores[i]))
    return keep, missing


# the place a title is about: "Prostitutes in Westlake: …", "Services near Walnut Park"
_TITLE_PLACE = re.compile(
    r"\b(?:in|near|around|for)\s+((?:[A-Z][\w'’-]+)(?:\s+[A-Z][\w'’-]+){0,2})"
)


def _title_places_in(question: str, hits: list[Hit]) -> set[str]:
    """Stemmed words of the places the hits' titles are about that the question names in any
    case ("free hiv tests in north highlands")."""
    asked = bm25.content_terms(question)
    found: set[str] = set()
    for hit in hits:
        for match in _TITLE_PLACE.finditer(hit.title or ""):
            terms = bm25.content_terms(match.group(1))
            if terms and terms <= asked:
                found |= terms
    return found


def _missing_names(question: str, hits: list[Hit]) -> list[float]:
    """Per hit, the share of the question's place names its passage lacks.

    A place name is a name of the question that is in the titles of some of the hits' documents
    but not all ("near Westlake", guides titled "... in Westlake" and "... in Walnut Park"). All
    zeros when there is none, or when no hit holds every one (a question about two places):
    then no passage is preferred for it.
    """
    names = question_names(question) | _title_places_in(question, hits)
    titles = [bm25.content_terms(h.title) for h in hits]
    if names and titles:
        names &= set().union(*titles) - set.intersection(*titles)
    if not names:
        return [0.0] * len(hits)
    held = [bm25.content_terms(f"{h.title} {h.section} {h.text}") & names for h in hits]
    if not any(found == names for found in held):
        return [0.0] * len(hits)
    return [1 - len(found) / len(names) for found in held]
