"""Rendering a comparison `Document`: Markdown and HTML from Jinja2 templates, TOML and JSON as data.

Templates live in the top-level `templates/` folder (inside the package once installed) and are meant
to be copied and changed: `--template FILE` renders a user's file instead, which may still extend or
include the built-in ones. Users' templates run in Jinja's sandbox, so a template passed around
between staff cannot reach Python internals.

Text from reports is data. HTML is rendered with autoescaping on; Markdown has no autoescaping in
Jinja, so the Markdown environment escapes every printed value in a `finalize` hook
(`documents.escape`). Charts are inline SVG (`documents.charts`), passed to the HTML templates as
`Markup`.

TOML and JSON dump the document model as it is (no None values: TOML has no null), so they carry
everything the Markdown and HTML show.
"""

from __future__ import annotations

import contextlib
import functools
import types
from collections.abc import Callable, Iterator, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any

import jinja2
import tomli_w
from jinja2.sandbox import SandboxedEnvironment

from guaranteekit import __version__
from guaranteekit.batch import fork_map
from guaranteekit.documents.charts import charts
from guaranteekit.documents.escape import (
    html_finalize,
    md_finalize,
    num,
    short_digest,
    signed,
    weight,
)
from guaranteekit.documents.model import Document, level_text
from guaranteekit.errors import LoadError, NotFoundError
from guaranteekit.formats.catalog import resource_dir

try:  # Rust's toml writer, installed with rtoml (see storage.py); tomli_w otherwise
    import rtoml
except ImportError:  # pragma: no cover
    rtoml = None  # type: ignore[assignment]


class Format(StrEnum):
    """Output formats: documents for people (md, html) and data for machines (toml, json)."""

    MD = "md"
    HTML = "html"
    TOML = "toml"
    JSON = "json"


MAX_TEMPLATE_BYTES = 1024 * 1024

# --------------------------------------------------------------------------------------------------
# Escaping and number filters
# --------------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------------
# Environments
# --------------------------------------------------------------------------------------------------


def _configure(env: jinja2.Environment) -> jinja2.Environment:
    # level_text is a filter (`c | level_text`), which Jinja calls directly, and still a function
    # (`level_text(c)`) for templates written that way; zip pairs the entries with a row's cells.
    env.filters.update(
        num=num, signed=signed, weight=weight, short_digest=short_digest, level_text=level_text
    )
    env.globals.update(level_text=level_text, zip=zip)
    return env


def environment(fmt: Format, user_dir: Path | None = None) -> jinja2.Environment:
    """The Jinja2 environment for Markdown or HTML; with `user_dir`, sandboxed, searching it first."""
    search = [resource_dir("templates")]
    if user_dir is not None:
        search.insert(0, user_dir)
    options: dict[str, Any] = {
        "loader": jinja2.FileSystemLoader([str(p) for p in search]),
        "undefined": jinja2.StrictUndefined,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "keep_trailing_newline": True,
        "auto_reload": False,
    }
    if fmt is Format.HTML:
        options.update(autoescape=True, finalize=html_finalize)
    else:
        options.update(autoescape=False, finalize=md_finalize)
    if user_dir is None:
        options["bytecode_cache"] = _bytecode_cache()
    env_class = SandboxedEnvironment if user_dir is not None else jinja2.Environment
    return _configure(env_class(**options))


class _QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's cache of compiled templates in a private folder of the temp directory (0700, owner
    checked by Jinja). Jinja compiles again from a damaged or unreadable cache file; a file that
    cannot be written is skipped here too, never an error."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):  # a full disk or a read-only folder: no cache this time
            super().dump_bytecode(bucket)


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    # Compiling the built-in templates took 0.05-0.07 s of every `compare` or `report`; the cache
    # is keyed by file and checked against the template's text, so an edited template recompiles.
    try:
        return _QuietBytecodeCache(pattern=f"guaranteekit-{__version__}-%s.cache")
    except (OSError, RuntimeError):  # no safe temp directory
        return None


_ENVIRONMENTS: dict[Format, jinja2.Environment] = {}


def _builtin_environment(fmt: Format) -> jinja2.Environment:
    # Built-in templates are compiled once per process (the benchmark renders many documents).
    if fmt not in _ENVIRONMENTS:
        _ENVIRONMENTS[fmt] = environment(fmt)
    return _ENVIRONMENTS[fmt]


def prepare(kind: str, fmt: Format | str) -> None:
    """Load the built-in template for a `kind` of document in `fmt` ahead of the document (compare
    does it while other processes read the reports); `render` then finds it loaded."""
    fmt = Format(fmt)
    if fmt in (Format.MD, Format.HTML):
        _builtin_environment(fmt).get_template(f"{kind}.{fmt.value}.j2")


def template_name(document: Document, fmt: Format) -> str:
    """The built-in template for a document: `compare.md.j2`, `rounds.html.j2`, ..."""
    return f"{document.kind}.{fmt.value}.j2"


def _template_location(exc: BaseException, names: Sequence[str]) -> str:
    """`file:line` of the innermost template frame of a rendering error, if any."""
    found = ""
    tb: types.TracebackType | None = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2") or any(filename.endswith(n) for n in names):
            found = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found


def render_template(
    document: Document, fmt: Format, template: Path | None = None, *, jobs: int = 0
) -> str:
    """Markdown or HTML text of a document, from the built-in template or the user's file.

    A big document from a built-in template is rendered in two processes unless `jobs` is 1.
    """
    if template is not None:
        template = Path(template)
        if not template.is_file():
            raise NotFoundError(f"{template}: no such template file")
        if template.stat().st_size > MAX_TEMPLATE_BYTES:
            raise LoadError(f"{template}: template too large (limit {MAX_TEMPLATE_BYTES:,} bytes)")
        env = environment(fmt, template.resolve().parent)
        name = template.name
        shown = str(template)
    else:
        env = _builtin_environment(fmt)
        name = template_name(document, fmt)
        shown = name
    context = {"doc": document, "charts": charts(document) if fmt is Format.HTML else {}}
    try:
        if template is None and jobs != 1 and _big(document):
            # Big documents from built-in templates: half the rendering in a second process.
            return _render_split(env.get_template(name), context, jobs)
        return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or shown
        raise LoadError(f"{where}:{exc.lineno}: template syntax error: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise NotFoundError(f"{shown}: template {exc.name!r} not found") from None
    except UnicodeDecodeError:
        raise LoadError(f"{shown}: template is not UTF-8 text") from None
    except jinja2.TemplateError as exc:
        where = _template_location(exc, [name]) or shown
        raise LoadError(f"{where}: template error: {exc.message or exc}") from None
    except Exception as exc:
        # A user's template can apply a filter to the wrong kind of value (TypeError, ValueError...):
        # still a problem with the template, reported with its place, never a traceback.
        where = _template_location(exc, [name]) or shown
        raise LoadError(f"{where}: template error: {type(exc).__name__}: {exc}") from None


SPLIT_BLOCKS = {
    "compare.md.j2": ("answers", "criteria", "shortfalls"),
    "compare.html.j2": ("criteria", "answers", "shortfalls"),
}
"""The blocks of a built-in template rendered apart from the rest for big documents, largest first
(the processes take the parts in this order, then the rest): 1,000 reports in one process, md
answers 0.17-0.24 s, criteria table 0.15-0.19 s, shortfalls 0.07 s, the rest 0.1 s; html criteria
table 0.47 s, answers 0.21 s, shortfalls 0.12 s, the rest 0.15 s."""

SPLIT_MIN_CELLS = 5000
"""Criteria x packages from which the split pays for its fork (31 criteria, about 160 packages)."""


def _split_mark(block: str) -> str:
    return f"\x00guaranteekit:{block}\x00"  # never in a document: clean() drops NUL


def _render_split(template: jinja2.Template, context: dict[str, Any], jobs: int) -> str:
    """A built-in template rendered in two processes: each split block, then the rest of it (with
    a mark where each block goes), are parts that whichever process is free takes next. Falls back
    to one process when the template lacks a block or a mark is not in the rest exactly once."""
    blocks = SPLIT_BLOCKS.get(template.name or "", ())
    if not blocks or any(block not in template.blocks for block in blocks):
        return template.render(context)
    parts = functools.partial(_render_parts, template, context, blocks)
    *texts, rest = fork_map(parts, [*blocks, "rest"], jobs, min_chunk=1)
    for block, text in zip(blocks, texts, strict=True):
        mark = _split_mark(block)
        if rest.count(mark) != 1:
            return template.render(context)
        rest = rest.replace(mark, text)
    return rest


def _render_parts(
    template: jinja2.Template, context: dict[str, Any], blocks: tuple[str, ...], parts: list[str]
) -> list[str]:
    return [_render_part(template, context, blocks, part) for part in parts]


def _renders(text: str) -> Callable[[jinja2.runtime.Context], Iterator[str]]:
    """A block function that renders `text`."""
    return lambda _: iter((text,))


def _render_part(
    template: jinja2.Template, context: dict[str, Any], blocks: tuple[str, ...], part: str
) -> str:
    ctx = template.new_context(context)
    if part == "rest":
        for block in blocks:
            ctx.blocks[block] = [_renders(_split_mark(block))]
        return "".join(template.root_render_func(ctx))
    # A block sees what the template sets at the top level (`ranked`, imported macros): run the
    # top level with every block left out, then the block alone in that context.
    for name in list(ctx.blocks):
        ctx.blocks[name] = [lambda _: iter(())]
    for _ in template.root_render_func(ctx):
        pass
    return "".join(template.blocks[part](ctx))


def render_data(document: Document, fmt: Format, *, jobs: int = 0) -> str:
    """TOML or JSON text of a document: everything the documents show, for machines.

    A big document's TOML is written in two processes unless `jobs` is 1."""
    if fmt is Format.JSON:
        # pydantic's serializer (Rust) writes the same data as json.dumps of model_dump, 5x faster.
        return document.model_dump_json(indent=2, exclude_none=True) + "\n"
    header = (
        f"# guaranteekit {document.kind} document, format {document.format_version};"
        " read it with tomllib (see guaranteekit.documents.model.Document)\n"
    )
    if rtoml is not None:
        # 13x faster than tomli_w on a 1,000-report comparison. The data holds no None (dropped by
        # exclude_none and clean_data); none_value=None keeps rtoml from writing one as "null".
        if jobs != 1 and _big(document):
            return header + _toml_split(document, jobs)
        return header + rtoml.dumps(
            document.model_dump(mode="json", exclude_none=True), none_value=None
        )
    data = document.model_dump(mode="json", exclude_none=True)
    return header + tomli_w.dumps(data)


def _toml_split(document: Document, jobs: int) -> str:
    """The TOML of a big document, its rows (and every table after them) written in one process
    and the rest in another. rtoml writes a table's plain values first, then its tables in the
    order of their keys, a blank line before each; so the two texts, joined by a blank line, are
    the TOML of the whole (a test holds the two ways of writing every kind of document equal)."""
    fields = list(type(document).model_fields)
    after = set(fields[fields.index("rows") + 1 :])
    rest = document.model_dump(mode="json", exclude_none=True, include=after)
    tables = {"rows"} | {key for key, value in rest.items() if _is_table(value)}
    rows, others = fork_map(
        functools.partial(_toml_parts, document, tables), ["rows", "others"], jobs, min_chunk=1
    )
    return others + "\n" + rows


def _is_table(value: object) -> bool:
    """Whether TOML writes `value` as a table or an array of tables (rather than a plain value)."""
    if isinstance(value, dict):
        return True
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _toml_parts(document: Document, tables: set[str], parts: list[str]) -> list[str]:
    return [
        rtoml.dumps(  # type: ignore[union-attr]
            document.model_dump(
                mode="json",
                exclude_none=True,
                **({"include": tables} if part == "rows" else {"exclude": tables}),
            ),
            none_value=None,
        )
        for part in parts
    ]


def _big(document: Document) -> bool:
    """Big enough that rendering it in two processes pays for the fork."""
    return len(document.rows) * len(document.entries) >= SPLIT_MIN_CELLS


def render(
    document: Document, fmt: Format | str, template: Path | None = None, *, jobs: int = 0
) -> str:
    """The document in `fmt`; `template` (md and html only) replaces the built-in template.
    `jobs`: 1 keeps the rendering in this process."""
    fmt = Format(fmt)
    if fmt in (Format.TOML, Format.JSON):
        if template is not None:
            raise LoadError(
                f"{template}: --template applies to md and html output, not {fmt.value}"
            )
        return render_data(document, fmt, jobs=jobs)
    return render_template(document, fmt, template, jobs=jobs)


# --------------------------------------------------------------------------------------------------
# Charts: inline SVG
# --------------------------------------------------------------------------------------------------
