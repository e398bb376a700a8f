"""CLI: `fieldguide index | search | ask | eval | serve | settings`."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import click

from . import embed
from .config import Settings, settings_table
from .errors import FieldGuideError
from .strings import differ_note, text


def _settings(ctx: click.Context) -> Settings:
    return ctx.obj["settings"]


def _engine(ctx: click.Context):
    from .engine import Engine
    from .store import current_build

    current_build(_settings(ctx).index)  # fail fast, before the model loads
    settings = _settings(ctx)
    return Engine.open(settings, embed.default_embedder(settings))


def _emit(data) -> None:
    click.echo(
        json.dumps(
            dataclasses.asdict(data) if dataclasses.is_dataclass(data) else data,
            indent=2,
            ensure_ascii=False,
        )
    )


class _Group(click.Group):
    """Turns library errors into one line on stderr and exit code 1 — never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except FieldGuideError as exc:
            raise click.ClickException(str(exc)) from None
        except KeyboardInterrupt:
            raise click.Abort() from None


@click.group(cls=_Group)
@click.option(
    "--index",
    "index_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Index folder (default: $FIELDGUIDE_INDEX or ./index).",
)
@click.pass_context
def main(ctx: click.Context, index_dir: Path | None) -> None:
    """Field Guide: search your organisation's documents and get cited answers, offline.

    \b
    Example:
      fieldguide index corpus/
      fieldguide ask "What number do I call if I think someone is being trafficked?"
    """
    ctx.ensure_object(dict)
    ctx.obj.setdefault("settings", Settings.from_env(index=index_dir))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the build report as JSON.")
@click.pass_context
def index(ctx: click.Context, paths: tuple[Path, ...], as_json: bool) -> None:
    """Build or update the index from files and folders (default: the corpus folder).

    Only new or changed documents are embedded again; removed ones are dropped.

    \b
    Example:
      fieldguide index                 # the default corpus/
      fieldguide index ~/handbooks notes.docx --json
    """
    from tqdm import tqdm

    from .build import build_index

    settings = _settings(ctx)
    bars: dict[str, tqdm] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if as_json:
            return
        bar = bars.get(stage) or bars.setdefault(
            stage,
            tqdm(
                total=total,
                desc=stage.capitalize(),
                unit={"reading": "file", "recognising": "page"}.get(stage, "chunk"),
                file=sys.stderr,
                leave=True,
                disable=None,  # bars on a terminal only
            ),
        )
        bar.total = total
        bar.update(done - bar.n)  # tqdm's rate and time left follow the updates

    report = build_index(
        list(paths) or [settings.corpus], settings, embed.default_embedder(settings), progress
    )
    for bar in bars.values():
        bar.close()
    if as_json:
        _emit(report)
        return
    click.echo(
        f"Indexed {report.documents} documents ({report.chunks} passages) in "
        f"{report.seconds:.1f} s: {len(report.added)} new, {len(report.updated)} "
        f"changed, {len(report.unchanged)} unchanged, {len(report.removed)} removed."
    )
    if report.problems:
        click.echo(f"\n{len(report.problems)} file(s) skipped:", err=True)
        for problem in report.problems:
            click.echo(f"  - {problem.message}", err=True)


def _plain(markdown: str) -> str:
    return markdown.replace("**", "")


def _format_hit(n: int, hit) -> str:
    where = " · ".join(
        str(x) for x in (hit.title, hit.section, hit.page and f"page {hit.page}") if x
    )
    return f"[{n}] {where}\n    {hit.text.strip()}"


@main.command()
@click.argument("question")
@click.option("--k", default=None, type=click.IntRange(1, 100), help="Passages to return.")
@click.option("--doc", "docs", multiple=True, help="Only search this document id (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print hits as JSON.")
@click.pass_context
def search(ctx, question: str, k: int | None, docs: tuple[str, ...], as_json: bool) -> None:
    """Return the passages most relevant to QUESTION, with citations.

    \b
    Example:
      fieldguide search "pc 647b" --k 3 --json
    """
    hits = _engine(ctx).search(question, k, set(docs) or None)
    if as_json:
        _emit({"hits": [_hit_json(h) for h in hits]})
        return
    if not hits:
        click.echo("No passages found.")
    for n, hit in enumerate(hits, start=1):
        click.echo(_format_hit(n, hit) + "\n")


def _hit_json(hit) -> dict:
    data = dataclasses.asdict(hit)
    data.pop("sentences", None)
    return data


@main.command()
@click.argument("question", required=False)
@click.option("--k", default=None, type=click.IntRange(1, 100), help="Passages to consider.")
@click.option("--doc", "docs", multiple=True, help="Only search this document id (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON.")
@click.option(
    "--from",
    "from_file",
    type=click.File("r", encoding="utf-8"),
    help='Answer every line\'s "q" of a JSONL file (- for standard input), one JSON answer '
    "per line.",
)
@click.pass_context
def ask(
    ctx, question: str | None, k: int | None, docs: tuple[str, ...], as_json: bool, from_file
) -> None:
    """Answer QUESTION with sentences quoted from the documents, each cited.

    \b
    Examples:
      fieldguide ask "What's the number for the national trafficking hotline?"
      fieldguide ask --from questions.jsonl --json > answers.jsonl
    """
    if (question is None) == (from_file is None):
        raise click.UsageError("Give a QUESTION or --from FILE.jsonl (not both).")
    engine = _engine(ctx)
    if from_file is not None:  # the model loads once for the whole list
        for line_no, item in _questions_of(from_file):
            answer = engine.ask(item["q"], k, set(docs) or None)
            click.echo(json.dumps({"line": line_no, **_answer_json(answer), **_ids(item)}))
        return
    answer = engine.ask(question, k, set(docs) or None)
    if as_json:
        _emit(_answer_json(answer))
        return
    if answer.urgent:
        click.echo(_plain(text("danger_now", answer.language)) + "\n")
    # the same words as the app: a named gap replaces the general "not covered" sentence
    title = {"answered": "answer_title", "partial": "partial_title"}.get(
        answer.outcome, "not_covered_title"
    )
    # what the documents do not say comes before what they do ("don't mention Texas", then
    # California's penalties), as in the app
    said = [answer.note] if answer.abstained and answer.note else [answer.note, answer.answer]
    click.echo(f"{text(title, answer.language)}:")
    if answer.citations and text("answer_framing", answer.language):
        click.echo(text("answer_framing", answer.language))
    click.echo("\n".join(part for part in said if part) + "\n")
    for difference in answer.differences:  # the reader checks which is right
        click.echo(differ_note(difference, answer.language) + "\n")
    if answer.citations:
        click.echo("Sources:")
        for n in dict.fromkeys(c.n for c in answer.citations):
            click.echo(_format_hit(n, answer.hits[n - 1]) + "\n")
    elif answer.hits:
        click.echo("Closest passages (they may not answer the question):")
        for n, hit in enumerate(answer.hits[:3], start=1):
            click.echo(_format_hit(n, hit) + "\n")


def _answer_json(answer) -> dict:
    data = dataclasses.asdict(answer)
    data["hits"] = [_hit_json(h) for h in answer.hits]
    data["outcome"] = answer.outcome  # answered, partial or abstained
    data["note"] = answer.note  # what the documents lack
    data["differences"] = [
        {**dataclasses.asdict(d), "note": differ_note(d, answer.language)}
        for d in answer.differences
    ]
    return data


def _ids(item: dict) -> dict:
    return {"id": item["id"]} if "id" in item else {}


def _questions_of(stream):
    """(line number, item) of each non-blank JSONL line; a bad line stops with its number."""
    for line_no, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError as exc:
            raise click.ClickException(f"line {line_no} is not JSON: {exc}") from None
        if not isinstance(item, dict) or not isinstance(item.get("q"), str):
            raise click.ClickException(f'line {line_no} has no "q" string')
        yield line_no, item


@main.command(name="eval")
@click.argument(
    "questions", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--beir",
    "beir_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Score nDCG@10 and Recall@100 on a BEIR folder (its corpus is indexed and cached).",
)
@click.option(
    "--cache",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Cache for BEIR passage vectors and run files (default ~/.cache/fieldguide/beir).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def eval_command(
    ctx, questions: Path | None, beir_dir: Path | None, cache: Path | None, as_json: bool
) -> None:
    """Score retrieval and abstention on a JSONL question set, or retrieval on a BEIR folder.

    \b
    Example:
      fieldguide eval ../shared/eval/questions.jsonl --json
      fieldguide eval --beir ../shared/bench/scifact --json
    """
    from .evaluate import evaluate, load_questions

    if beir_dir is not None:
        _eval_beir(_settings(ctx), beir_dir, cache, as_json)
        return
    if questions is None:
        raise click.UsageError("Give a questions file, or --beir DIR.")
    engine = _engine(ctx)
    report = evaluate(load_questions(questions), engine.ask)
    if as_json:
        _emit(report)
        return
    click.echo(
        f"answerable: {report.answerable}  hit@1 {report.hit_at_1:.1%}  "
        f"hit@3 {report.hit_at_3:.1%}  MRR {report.mrr:.3f}  "
        f"false abstentions {report.false_abstentions}  partial {report.partial}"
    )
    click.echo(f"answers holding an expected string: {report.answer_hit:.1%}")
    click.echo(
        f"should decline: {report.unanswerable}  declined {report.abstain_accuracy:.1%}"
        " (not covered, or partial saying what is missing)"
    )
    for kind, (right, total) in report.checks.items():
        click.echo(f"{kind} check: {right}/{total}")
    for miss in report.misses:
        click.echo(f"  miss {miss.id} ({miss.kind}): {miss.question} - {miss.problem}")


def _eval_beir(settings: Settings, beir_dir: Path, cache: Path | None, as_json: bool) -> None:
    from tqdm import tqdm

    from .beir import evaluate_beir

    bar = tqdm(desc="Embedding", unit="passage", file=sys.stderr, disable=True if as_json else None)

    def progress(done: int, total: int) -> None:
        bar.total, bar.n = total, done
        bar.refresh()

    report = evaluate_beir(beir_dir, settings, embed.default_embedder(settings), cache, progress)
    bar.close()
    if as_json:
        _emit(report.as_json())
        return
    click.echo(
        f"{report.queries} queries  nDCG@10 {report.ndcg_at_10:.4f}  "
        f"Recall@100 {report.recall_at_100:.4f}  query p50 {report.query_ms_p50:.0f} ms  "
        f"p95 {report.query_ms_p95:.0f} ms"
    )
    click.echo(f"run file: {report.run_file}")


@main.command()
@click.option("--port", default=8501, show_default=True, help="Port on 127.0.0.1.")
@click.pass_context
def serve(ctx: click.Context, port: int) -> None:
    """Open the Field Guide app in your browser (http://127.0.0.1:PORT).

    \b
    Example:
      fieldguide serve --port 8502
      fieldguide --index ~/handbooks-index serve
    """
    from .app import ENTRY  # package data: the app runs from a wheel as from a checkout

    settings = _settings(ctx)
    command = [
        sys.executable,
        "-m",
        "fieldguide.server",  # streamlit, minus its IP look-ups
        "run",
        str(ENTRY),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.maxUploadSize",  # the app's upload limit follows FIELDGUIDE_MAX_UPLOAD_MB
        str(settings.max_upload_mb),
    ]
    # the app gets exactly these settings (--index included), its paths already absolute
    env = {**os.environ, **settings.to_env()}
    raise SystemExit(subprocess.call(command, env=env))


@main.command(name="settings")
@click.pass_context
def settings_command(ctx: click.Context) -> None:
    """List the settings and the environment variables that change them.

    \b
    Example:
      FIELDGUIDE_K=8 fieldguide settings
    """
    current = _settings(ctx).to_env()
    for variable, default, help_text in settings_table():
        click.echo(f"{variable:28} {current[variable]:10} (default {default}) {help_text}")


@main.command(name="resources")
@click.argument("query", required=False, default="")
@click.option("--csv", "as_csv", is_flag=True, help="Print the directory as CSV.")
@click.option("--json", "as_json", is_flag=True, help="Print the directory as JSON.")
@click.pass_context
def resources_command(ctx, query: str, as_csv: bool, as_json: bool) -> None:
    """List phone numbers, text lines and hotlines in the documents, with who runs them.

    QUERY keeps entries whose organisation, number, document or passage contains every word.

    \b
    Example:
      fieldguide resources trafficking
      fieldguide resources --csv > resources.csv
    """
    from .resources import build_directory, directory_csv, filter_resources

    entries = filter_resources(build_directory(_engine(ctx).index.chunks), query)
    if as_json:
        _emit({"resources": [dataclasses.asdict(e) for e in entries]})
        return
    if as_csv:
        click.echo(directory_csv(entries), nl=False)
        return
    if not entries:
        click.echo("No phone numbers found.")
    for entry in entries:
        click.echo(f"{entry.number:16} {entry.organisation or '(not named)'}")
        click.echo(f"{'':16} in: {'; '.join(entry.documents)}")
        for warning in entry.warnings:
            click.echo(f"{'':16} check: {warning}")
