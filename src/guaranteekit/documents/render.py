"""Rendering a comparison `Document`: Markdown and HTML from Jinja2 templates, TOML and JSON as data.

Templates live in the top-level `templates/` folder (inside the package once installed) and are meant
to be copied and changed: `--template FILE` renders a user's file instead, which may still extend or
include the built-in ones. Users' templates run in Jinja's sandbox, so a template passed around
between staff cannot reach Python internals.

Text from reports is data. HTML is rendered with autoescaping on. Markdown has no autoescaping in
Jinja, so the Markdown environment escapes every printed value in a `finalize` hook (HTML characters,
table pipes, emphasis, code and link marks, a block marker at the start) unless it is `Markup`, which
marks text the template itself made (`| safe`) or a number from `num`. Values are folded to one line
first, since a newline would break a table row or a list item. Charts are inline SVG built here, with
every text escaped, and passed to the HTML templates as `Markup`; their numbers are also in tables, and
every bar carries its label and value as text, so no meaning rests on colour.

TOML and JSON dump the document model as it is (no None values: TOML has no null), so they carry
everything the Markdown and HTML show.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import re
import types
from collections.abc import Callable, Iterator, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any

import jinja2
import tomli_w
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape
from pydantic import BaseModel

from guaranteekit import __version__
from guaranteekit.batch import fork_map
from guaranteekit.documents.model import Document, Entry, Step, level_text
from guaranteekit.errors import GuaranteekitError, LoadError, NotFoundError
from guaranteekit.formats.catalog import resource_dir
from guaranteekit.formats.storage import read_bytes
from guaranteekit.textsafe import clean, one_line

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


MAX_CHART_PACKAGES = 12
"""The pillar chart shows at most this many packages (the best-ranked); the tables list all."""

MAX_TEMPLATE_BYTES = 1024 * 1024

# --------------------------------------------------------------------------------------------------
# Escaping and number filters
# --------------------------------------------------------------------------------------------------

_MD_INLINE = re.compile(r"([\\`*_\[\]~|])")
_MD_BLOCK_START = re.compile(r"^(\s*)(#{1,6}(?=\s|$)|[-+](?=\s)|\d{1,9}(?=[.)](?:\s|$)))")
_SPACES = re.compile(r"\s+")


def md_escape(text: object) -> Markup:
    """Text from a file, safe to print in Markdown: one line, terminal-clean, every mark escaped."""
    if isinstance(text, Markup):
        return text
    return Markup(_md_cached(str(text)))


# What `_md_text` may change in printable text: a mark, a run of spaces, a possible block start.
# Three tests rather than one alternation: a character class scans in one tight loop (3x faster
# on a 300-character rationale).
_MD_MARK = re.compile(r"[\\`*_\[\]~|&<>]")
_MD_MAYBE_BLOCK = re.compile(r" ?[-+#\d]")

_MD_CACHE: dict[str, str] = {}
_MD_CACHE_LIMIT = 1 << 16


def _md_cached(text: str) -> str:
    # Documents repeat the same values (labels, ids, level names) thousands of times: escape each once.
    # Kept as plain str: Jinja prints str(value), which is the value itself for a str and a copy
    # for a Markup.
    found = _MD_CACHE.get(text)
    if found is None:
        if len(_MD_CACHE) >= _MD_CACHE_LIMIT:
            _MD_CACHE.clear()
        found = _MD_CACHE[text] = _md_text(text)
    return found


def _md_text(text: str) -> str:
    if (
        text.isprintable()
        and "  " not in text
        and _MD_MARK.search(text) is None
        and _MD_MAYBE_BLOCK.match(text) is None
    ):
        # Nothing to fold, strip or escape (isprintable: no control character, and no whitespace
        # but the ASCII space); most rationales and labels take this path.
        return text
    # Fold to one line but keep a single leading or trailing space (" (provisional)").
    value = _SPACES.sub(" ", clean(text))
    value = _MD_INLINE.sub(r"\\\1", value)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # A value printed at the start of a line must not open a heading or a list.
    # (A digit cannot be backslash-escaped, so `2. x` becomes `2\. x`.)
    match = _MD_BLOCK_START.match(value)
    if match:
        cut = match.end()
        if match.group(2)[0].isdigit():
            value = value[:cut] + "\\" + value[cut:]
        else:
            value = value[: match.start(2)] + "\\" + value[match.start(2) :]
    return value


def num(value: float | None, places: int = 2) -> Markup:
    """`50.00`; `n/a` when absent."""
    return Markup("n/a" if value is None else f"{value:.{places}f}")


def signed(value: float | None, places: int = 2) -> Markup:
    """`+1.25`, `-0.50`, `0.00`; `n/a` when absent."""
    if value is None:
        return Markup("n/a")
    text = f"{value:+.{places}f}"
    return Markup("0." + "0" * places if text.lstrip("+-") == "0." + "0" * places else text)


def weight(value: float) -> Markup:
    """A weight without trailing zeros: `2`, `1.5`."""
    return Markup(f"{value:g}")


def short_digest(value: str | None) -> str:
    """`sha256:27c2158543b9` (enough to tell two digests apart)."""
    return "" if not value else value[:19]


def _md_finalize(value: object) -> object:
    # Called for every value a Markdown template prints (half a million on 1,000 reports): the
    # common classes are tested first, by identity.
    cls = value.__class__
    if cls is str:
        return _md_cached(value)  # type: ignore[arg-type]
    if cls is Markup:
        return value
    if cls is int or cls is float:
        return str(value)  # digits, a point, a sign or an exponent: never a Markdown mark
    if value is None:
        return ""
    return md_escape(value)


def _html_finalize(value: object) -> object:
    # Autoescaping handles markup; a document printed to a terminal must not carry escapes either.
    if value is None:
        return ""
    if isinstance(value, str) and not isinstance(value, Markup):
        return clean(value)
    return value


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


TEMPLATE_METHODS = frozenset({"ranked_entries", "entry"})
"""The methods of the document's models a template may call: they only read the document."""


@functools.cache
def _field_names(cls: type) -> frozenset[str]:
    if isinstance(cls, type) and issubclass(cls, BaseModel):
        return frozenset(cls.model_fields)
    return frozenset(f.name for f in dataclasses.fields(cls))


def _is_model(obj: object) -> bool:
    """A pydantic model or dataclass instance: what the document is made of."""
    return isinstance(obj, BaseModel) or (
        dataclasses.is_dataclass(obj) and not isinstance(obj, type)
    )


class TemplateSandbox(SandboxedEnvironment):
    """Jinja's sandbox, closed around the document: a template reads the fields of its models and
    calls `TEMPLATE_METHODS`, nothing else of them. Jinja allows every public method, and pydantic
    models have some that read any file (`parse_file`) or unpickle data (`parse_raw(...,
    proto="pickle")`); model classes, reached any way, are refused whole."""

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if _is_model(obj):
            return attr in _field_names(type(obj)) or attr in TEMPLATE_METHODS
        if isinstance(obj, type) and (issubclass(obj, BaseModel) or dataclasses.is_dataclass(obj)):
            return False
        return super().is_safe_attribute(obj, attr, value)

    def is_safe_callable(self, obj: Any) -> bool:
        if isinstance(obj, type) and (issubclass(obj, BaseModel) or dataclasses.is_dataclass(obj)):
            return False
        owner = getattr(obj, "__self__", None)
        if _is_model(owner) or (isinstance(owner, type) and issubclass(owner, BaseModel)):
            return not isinstance(owner, type) and getattr(obj, "__name__", "") in TEMPLATE_METHODS
        return super().is_safe_callable(obj)


_TEMPLATE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.+-]*(?:/[A-Za-z0-9_][A-Za-z0-9_.+-]*)*\.j2")


class TemplateLoader(jinja2.BaseLoader):
    """Templates by name from the template folders, and nothing else.

    A name (in `{% include %}`, `{% extends %}`, `{% import %}`) must be a relative path of visible
    parts ending in `.j2`: no hidden file, no `..`, no other kind of file. The file must lie inside
    the folder (a link out of it is refused) and is read as every file is (`storage.read_bytes`:
    a regular file, within the size limit). The user's own template, given by its path, is the one
    file read under a name that need not follow the rule.
    """

    def __init__(self, folders: Sequence[Path], own: tuple[str, str, Path] | None = None) -> None:
        self.folders = [Path(folder) for folder in folders]
        self.own = own

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        if self.own is not None and template == self.own[0]:
            return self.own[1], str(self.own[2]), lambda: True
        if not _TEMPLATE_NAME.fullmatch(template):
            raise SecurityError(
                f"template {template!r} refused: a template may include, extend or import only"
                " .j2 templates from its own folder or the built-in ones, never a hidden file"
                " or any other file"
            )
        for folder in self.folders:
            candidate = folder / template
            if not os.path.lexists(candidate):
                continue
            real = os.path.realpath(candidate)
            if os.path.commonpath([real, os.path.realpath(folder)]) != os.path.realpath(folder):
                raise SecurityError(
                    f"template {template!r} refused: {candidate} leads out of its folder"
                )
            data = read_bytes(Path(real), max_bytes=MAX_TEMPLATE_BYTES)
            return data.decode("utf-8"), str(candidate), lambda: True
        raise jinja2.TemplateNotFound(template)


def environment(
    fmt: Format, user_dir: Path | None = None, own: tuple[str, str, Path] | None = None
) -> jinja2.Environment:
    """The Jinja2 environment for Markdown or HTML; with `user_dir`, sandboxed, searching it first
    (`own`: the user's template, as name, text and path)."""
    search = [resource_dir("templates")]
    if user_dir is not None:
        search.insert(0, user_dir)
    options: dict[str, Any] = {
        "loader": TemplateLoader(search, own),
        "undefined": jinja2.StrictUndefined,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "keep_trailing_newline": True,
        "auto_reload": False,
    }
    if fmt is Format.HTML:
        options.update(autoescape=True, finalize=_html_finalize)
    else:
        options.update(autoescape=False, finalize=_md_finalize)
    if user_dir is None:
        options["bytecode_cache"] = _bytecode_cache()
    env_class = TemplateSandbox if user_dir is not None else jinja2.Environment
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
        try:
            source = read_bytes(template, max_bytes=MAX_TEMPLATE_BYTES).decode("utf-8")
        except NotFoundError:
            raise NotFoundError(f"{template}: no such template file") from None
        except UnicodeDecodeError:
            raise LoadError(f"{template}: template is not UTF-8 text") from None
        name = template.name
        own = (name, source, template)
        env = environment(fmt, Path(os.path.realpath(template)).parent, own)
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
    except GuaranteekitError as exc:
        # An included file the reader refused (a FIFO, a device, too large): its own words.
        where = _template_location(exc, [name]) or shown
        raise LoadError([f"{where}: template error: {line}" for line in exc.problems]) from None
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

PALETTE = [
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#332288",
    "#117733",
    "#882255",
    "#44AA99",
    "#7F7F7F",
    "#8C564B",
]
"""Colour-blind-safe (Okabe-Ito, then Tol); colour only repeats what the labels say."""

_WIDTH = 760


def _t(text: object, limit: int = 0) -> str:
    """Text for an SVG text node or attribute: terminal-clean, one line, shortened, escaped."""
    value = one_line(clean(str(text)))
    if limit and len(value) > limit:
        value = value[: limit - 1].rstrip() + "…"
    return str(escape(value))


def _svg(chart_id: str, width: int, height: int, title: str, desc: str, body: list[str]) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{chart_id}" role="img"'
        f' viewBox="0 0 {width} {height}" width="{width}" height="{height}"'
        f' aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{_t(title)}</title>'
        f'<desc id="{chart_id}-desc">{_t(desc)}</desc>'
    )
    return Markup(head + "".join(body) + "</svg>")


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


Bar = tuple[str, float | None, float | None, float | None, str]
"""label, value, low, high, colour."""


def bar_chart(
    chart_id: str,
    title: str,
    desc: str,
    groups: list[tuple[str, list[Bar]]],
    bands: Sequence[tuple[float, str]] = (),
) -> Markup:
    """Horizontal bars on a 0-100 scale in labelled groups, each bar with its value and range."""
    label_w, value_w, top = 210, 64, 42
    x0, x1 = label_w + 8, _WIDTH - value_w
    span = x1 - x0
    bar_h, row_h, head_h, gap = 12, 17, 18, 8
    height = top + sum((head_h if g else 0) + row_h * len(bars) + gap for g, bars in groups) + 22

    def x(score: float) -> float:
        return x0 + span * max(0.0, min(100.0, score)) / 100

    body = [
        f'<rect x="{x0}" y="{top - 4}" width="{span}" height="{height - top - 18}"'
        ' fill="#f7f8fa" stroke="none"/>'
    ]
    for tick in (0, 25, 50, 75, 100):
        body.append(
            f'<line x1="{x(tick):.1f}" y1="{top - 4}" x2="{x(tick):.1f}" y2="{height - 22}"'
            ' stroke="#dde1e6" stroke-width="1"/>'
            f'<text x="{x(tick):.1f}" y="{height - 8}" text-anchor="middle" font-size="10"'
            f' fill="#555">{tick}</text>'
        )
    # Band labels alternate between two lines, so that close boundaries don't overprint.
    shown = [(m, label) for m, label in bands if m > 0]
    for number, (min_score, label) in enumerate(shown):
        line_y = top - 8 - 12 * ((len(shown) - 1 - number) % 2)
        body.append(
            f'<line x1="{x(min_score):.1f}" y1="{line_y}" x2="{x(min_score):.1f}"'
            f' y2="{height - 22}" stroke="#444" stroke-width="1" stroke-dasharray="4 3"/>'
            f'<text x="{x(min_score) + 3:.1f}" y="{line_y - 3}" font-size="10" fill="#333">'
            f"{_t(label, 18)} ≥ {min_score:g}</text>"
        )
    y = top
    for group, bars in groups:
        if group:
            body.append(
                f'<text x="0" y="{y + 12}" font-size="12" font-weight="bold" fill="#111">'
                f"{_t(group, 60)}</text>"
            )
            y += head_h
        for label, value, low, high, colour in bars:
            mid = y + row_h / 2
            body.append(
                f'<text x="{label_w}" y="{mid + 4:.1f}" text-anchor="end" font-size="11"'
                f' fill="#222">{_t(label, 30)}</text>'
            )
            if value is not None:
                body.append(
                    f'<rect x="{x0}" y="{mid - bar_h / 2:.1f}" width="{x(value) - x0:.1f}"'
                    f' height="{bar_h}" fill="{colour}"/>'
                )
            if low is not None and high is not None and high > low:
                body.append(
                    f'<path d="M{x(low):.1f} {mid - 4:.1f}v8M{x(low):.1f} {mid:.1f}H{x(high):.1f}'
                    f'M{x(high):.1f} {mid - 4:.1f}v8" stroke="#111" stroke-width="1.2"'
                    ' fill="none"/>'
                )
            body.append(
                f'<text x="{x1 + 6}" y="{mid + 4:.1f}" font-size="11" fill="#111">'
                f"{_fmt(value)}</text>"
            )
            y += row_h
        y += gap
    return _svg(chart_id, _WIDTH, int(height), title, desc, body)


def _chart_entries(document: Document) -> list[Entry]:
    return document.ranked_entries()[:MAX_CHART_PACKAGES]


def _bands(document: Document) -> list[tuple[float, str]]:
    return [] if document.mixed else [(b.min_score, b.label) for b in document.bands]


def pillar_chart(document: Document, chart_id: str = "chart-pillars") -> Markup:
    """Overall and pillar scores per package: one group per pillar, one bar per package."""
    entries = _chart_entries(document)
    colour = {e.key: PALETTE[i % len(PALETTE)] for i, e in enumerate(entries)}
    desc = (
        "Horizontal bars from 0 to 100: the overall score, then each pillar's score, for each"
        " package; the black line across a bar is the range the score could move over (unknown"
        " answers and confidence). Dashed lines mark where verdict bands start. The same numbers are"
        " in the tables."
    )
    if len(entries) == 1:
        entry = entries[0]
        bars: list[Bar] = [("Overall", entry.score, entry.low, entry.high, PALETTE[0])]
        bars += [
            (p.title, p.score, p.low, p.high, PALETTE[(i + 1) % len(PALETTE)])
            for i, p in enumerate(entry.pillars)
            if p.in_set
        ]
        return bar_chart(chart_id, f"Scores of {entry.name}", desc, [("", bars)], _bands(document))
    groups: list[tuple[str, list[Bar]]] = [
        ("Overall", [(e.label, e.score, e.low, e.high, colour[e.key]) for e in entries])
    ]
    for index, pillar in enumerate(document.pillars):
        groups.append(
            (
                pillar.title,
                [
                    (
                        e.label,
                        e.pillars[index].score,
                        e.pillars[index].low,
                        e.pillars[index].high,
                        colour[e.key],
                    )
                    for e in entries
                ],
            )
        )
    title = "Overall and pillar scores per package"
    if len(document.entries) > len(entries):
        title += f" (the {len(entries)} best-ranked of {len(document.entries)})"
    return bar_chart(chart_id, title, desc, groups, _bands(document))


def trajectory_chart(document: Document, chart_id: str = "chart-trajectory") -> Markup:
    """The score across rounds: a line through the scores, whiskers for the ranges, band lines."""
    entries = document.entries
    width, height = _WIDTH, 320
    left, right, top, bottom = 48, 150, 18, 70
    plot_w, plot_h = width - left - right, height - top - bottom
    count = len(entries)

    inset = 36  # keep the first and last points (and their labels) off the plot's edges

    def x(i: int) -> float:
        if count == 1:
            return left + plot_w / 2
        return left + inset + (plot_w - 2 * inset) * i / (count - 1)

    def y(score: float) -> float:
        return top + plot_h * (100 - max(0.0, min(100.0, score))) / 100

    body = [f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#f7f8fa"/>']
    for tick in range(0, 101, 20):
        body.append(
            f'<line x1="{left}" y1="{y(tick):.1f}" x2="{left + plot_w}" y2="{y(tick):.1f}"'
            ' stroke="#dde1e6"/>'
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="10"'
            f' fill="#555">{tick}</text>'
        )
    for min_score, label in _bands(document):
        if min_score <= 0:
            continue
        body.append(
            f'<line x1="{left}" y1="{y(min_score):.1f}" x2="{left + plot_w}" y2="{y(min_score):.1f}"'
            ' stroke="#444" stroke-dasharray="4 3"/>'
            f'<text x="{left + plot_w + 6}" y="{y(min_score) + 4:.1f}" font-size="10" fill="#333">'
            f"{_t(label, 20)} ≥ {min_score:g}</text>"
        )
    segments: list[list[str]] = [[]]
    for i, entry in enumerate(entries):
        if entry.score is None:
            segments.append([])
        else:
            segments[-1].append(f"{x(i):.1f},{y(entry.score):.1f}")
    for points in segments:
        if len(points) > 1:
            body.append(
                f'<polyline points="{" ".join(points)}" fill="none" stroke="{PALETTE[0]}"'
                ' stroke-width="2.5"/>'
            )
    rotate = count > 6
    for i, entry in enumerate(entries):
        if entry.high > entry.low:
            body.append(
                f'<path d="M{x(i) - 4:.1f} {y(entry.high):.1f}h8M{x(i):.1f} {y(entry.high):.1f}'
                f'V{y(entry.low):.1f}M{x(i) - 4:.1f} {y(entry.low):.1f}h8" stroke="#111"'
                ' stroke-width="1.2" fill="none"/>'
            )
        if entry.score is not None:
            body.append(
                f'<circle cx="{x(i):.1f}" cy="{y(entry.score):.1f}" r="4.5" fill="{PALETTE[0]}"'
                ' stroke="#fff" stroke-width="1.5"/>'
                f'<text x="{x(i) + 7:.1f}" y="{y(entry.score) - 7:.1f}" font-size="11"'
                f' font-weight="bold" fill="#111">{_fmt(entry.score)}</text>'
            )
        label_y = top + plot_h + 16
        anchor = "end" if rotate else "middle"
        transform = f' transform="rotate(-30 {x(i):.1f} {label_y})"' if rotate else ""
        body.append(
            f'<text x="{x(i):.1f}" y="{label_y}" text-anchor="{anchor}" font-size="11"'
            f' fill="#222"{transform}>{_t(entry.label, 22)}</text>'
        )
    desc = (
        "The overall score (0 to 100) of each round, in order, joined by a line; the vertical black"
        " line at each round is the range the score could move over. Dashed lines mark where verdict"
        " bands start. The same numbers are in the trajectory table."
    )
    return _svg(chart_id, width, height, "Score across rounds", desc, body)


def step_chart(step: Step, chart_id: str) -> Markup:
    """The score change of one step split by criterion: bars right (up) or left (down) of zero."""
    moved = [c for c in step.changes if c.delta != 0]
    label_w, value_w, top, row_h = 230, 70, 24, 18
    x0, x1 = label_w + 10, _WIDTH - value_w
    centre = (x0 + x1) / 2
    scale = max([abs(c.delta) for c in moved] + [abs(step.delta), 1.0])
    half = (x1 - x0) / 2
    rows = [*((c.title, c.delta) for c in moved), ("Total change", step.delta)]
    height = top + row_h * len(rows) + 16
    body = [
        f'<line x1="{centre:.1f}" y1="{top - 6}" x2="{centre:.1f}" y2="{height - 10}"'
        ' stroke="#333"/>'
        f'<text x="{centre:.1f}" y="{top - 10}" text-anchor="middle" font-size="10"'
        ' fill="#555">0</text>'
    ]
    for index, (label, delta) in enumerate(rows):
        mid = top + row_h * index + row_h / 2
        total = index == len(rows) - 1
        weight_attr = ' font-weight="bold"' if total else ""
        body.append(
            f'<text x="{label_w}" y="{mid + 4:.1f}" text-anchor="end" font-size="11"'
            f' fill="#222"{weight_attr}>{_t(label, 38)}</text>'
        )
        length = half * abs(delta) / scale
        start = centre if delta >= 0 else centre - length
        colour = "#0072B2" if delta >= 0 else "#D55E00"
        if total:
            colour = "#333"
        body.append(
            f'<rect x="{start:.1f}" y="{mid - 6:.1f}" width="{length:.1f}" height="12"'
            f' fill="{colour}"/>'
        )
        body.append(
            f'<text x="{x1 + 6}" y="{mid + 4:.1f}" font-size="11" fill="#111"{weight_attr}>'
            f"{signed(delta)}</text>"
        )
    desc = (
        "Points each criterion added to (bar to the right) or took from (bar to the left) the score"
        " between the two rounds; the last bar is the total change, which the others add up to. The"
        " same numbers are in the table."
    )
    title = f"Score change by criterion: {step.old_label} to {step.new_label}"
    return _svg(chart_id, _WIDTH, int(height), title, desc, body)


def charts(document: Document) -> dict[str, Any]:
    """Every chart a document's HTML shows: `pillars`, `trajectory`, `steps` (list), `overall`."""
    made: dict[str, Any] = {"pillars": pillar_chart(document), "trajectory": None, "steps": []}
    if document.kind == "rounds":
        made["trajectory"] = trajectory_chart(document)
    if document.kind in ("rounds", "diff"):
        made["steps"] = [
            step_chart(step, f"chart-step-{index + 1}") for index, step in enumerate(document.steps)
        ]
    made["overall"] = step_chart(document.overall, "chart-overall") if document.overall else None
    return made
