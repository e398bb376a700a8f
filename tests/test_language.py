"""Language detection of questions, and the Spanish framing strings."""

import pytest

from fieldguide.language import detect_language, languages_note, parse_languages
from fieldguide.safety import is_urgent
from fieldguide.strings import STRINGS, text


def test_languages_setting_always_starts_with_english():
    assert parse_languages("es") == ("en", "es")
    assert parse_languages(" en , ES,es ") == ("en", "es")
    assert parse_languages("") == ("en",)


@pytest.mark.parametrize(
    "question",
    [
        "¿Dónde puedo hacerme una prueba de VIH gratis cerca de Walnut Park?",
        "telefono de CAST",
        "donde hay refugio en Westlake",
        "me tienen encerrada y no puedo salir",
    ],
)
def test_spanish_questions_are_spanish(question):
    assert detect_language(question, ("en", "es")) == "es"


@pytest.mark.parametrize(
    "question",
    [
        "pc 647b",
        "647(b)",
        "211",
        "CAST hotline",
        "Covenant House phone",
        "Alvarado Street clinic",
        "Where can someone near Westlake get free STI testing?",
        "is sex work legal",
    ],
)
def test_english_lookups_and_questions_stay_english(question):
    assert detect_language(question, ("en", "es")) == "en"


def test_an_unknown_language_code_is_a_one_line_error(settings, corpus, fake_embedder):
    import dataclasses

    from fieldguide.build import build_index
    from fieldguide.config import Settings
    from fieldguide.errors import FieldGuideError

    with pytest.raises(FieldGuideError, match="FIELDGUIDE_LANGUAGES must be ISO 639-1.*'spanish'"):
        Settings.from_env({"FIELDGUIDE_LANGUAGES": "en,spanish"})
    assert Settings.from_env({"FIELDGUIDE_LANGUAGES": "en,ES"}).multilingual
    unknown = dataclasses.replace(settings, languages="en,qq")
    with pytest.raises(FieldGuideError, match="knows no language 'qq'"):
        build_index([corpus], unknown, fake_embedder)


def test_with_english_only_nothing_is_spanish():
    assert detect_language("¿Dónde puedo hacerme una prueba de VIH?", ("en",)) == "en"


@pytest.mark.parametrize(
    "question",
    [
        "me esta pegando mi pareja ahorita que hago",
        "Un cliente tiene una pistola y no me deja salir del carro",
        "mi amiga no respira creo que es sobredosis",
        "me tienen encerrada en un cuarto y no puedo salir",
        "Mi padrote me amenazó con matarme esta noche",
        "tengo una emergencia",
    ],
)
def test_spanish_danger_is_urgent(question):
    assert is_urgent(question)


@pytest.mark.parametrize(
    "question",
    [
        "numero de la policia de LA que no es de emergencia",
        "Hay albergue de emergencia para mujeres cerca de Walnut Park?",
        "What is the LAPD non-emergency number?",
        "no estoy segura de donde queda la clinica",
    ],
)
def test_non_emergency_lines_and_shelters_are_not_urgent(question):
    assert not is_urgent(question)


def test_every_string_has_english_and_spanish_falls_back_to_it():
    assert all("en" in versions for versions in STRINGS.values())
    assert text("danger_now", "es") == "**¿En peligro inmediato? Llame al 911.**"
    assert text("answer_framing", "es") == "Respuesta en inglés, citada de los documentos:"
    assert text("passages", "fr") == text("passages", "en")


def test_library_note_says_what_the_setting_and_index_serve():
    assert "English only" in languages_note("en", "")
    assert "re-index to add them" in languages_note("en,es", "")
    note = languages_note("en,es", "multilingual-e5-small")
    assert "English and Spanish" in note and "multilingual-e5-small" in note
