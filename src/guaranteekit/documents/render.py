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

import dataclasses
import functools
import os
import re
import types
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any

import jinja2
import rtoml
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from pydantic import BaseModel

from guaranteekit.documents.charts import charts
from guaranteekit.documents.escape import (
    column_groups,
    css_string,
    html_finalize,
    md_finalize,
    num,
    short_digest,
    signed,
    weight,
)
from guaranteekit.documents.model import Document, level_text
from guaranteekit.errors import GuaranteekitError, LoadError, NotFoundError
from guaranteekit.formats.catalog import resource_dir
from guaranteekit.formats.storage import read_bytes


class Format(StrEnum):
    """Output formats: documents for people (md, html) and data for machines (toml, json)."""

    MD = "md"
    HTML = "html"
    TOML = "toml"
    JSON = "json"


MAX_TEMPLATE_BYTES = 1024 * 1024

# --------------------------------------------------------------------------------------------------
# Environments
# --------------------------------------------------------------------------------------------------


def _configure(env: jinja2.Environment) -> jinja2.Environment:
    # level_text is a filter (`c | level_text`), which Jinja calls directly, and still a function
    # (`level_text(c)`) for templates written that way; zip pairs the entries with a row's cells.
    env.filters.update(
        num=num,
        signed=signed,
        weight=weight,
        short_digest=short_digest,
        level_text=level_text,
        css_string=css_string,
    )
    env.globals.update(level_text=level_text, zip=zip, column_groups=column_groups)
    return env


TEMPLATE_METHODS = frozenset({"ranked_entries", "entry"})
"""The methods of the document's models a template may call: they only read the document."""


@functools.cache
def _field_names(cls: type[Any]) -> frozenset[str]:
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
            return attr in _field_names(type(obj)) or attr in TEMPLATE_METHODS  # type: ignore[arg-type]
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
        options.update(autoescape=True, finalize=html_finalize)
    else:
        options.update(autoescape=False, finalize=md_finalize)
    env_class = TemplateSandbox if user_dir is not None else jinja2.Environment
    return _configure(env_class(**options))


_ENVIRONMENTS: dict[Format, jinja2.Environment] = {}


def _builtin_environment(fmt: Format) -> jinja2.Environment:
    # Built-in templates are compiled once per process (the benchmark renders many documents).
    if fmt not in _ENVIRONMENTS:
        _ENVIRONMENTS[fmt] = environment(fmt)
    return _ENVIRONMENTS[fmt]


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


def render_template(document: Document, fmt: Format, template: Path | None = None) -> str:
    """Markdown or HTML text of a document, from the built-in template or the user's file."""
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
    context: dict[str, object] = {
        "doc": document,
        "charts": charts(document) if fmt is Format.HTML else {},
    }
    try:
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


def render_data(document: Document, fmt: Format) -> str:
    """TOML or JSON text of a document: everything the documents show, for machines."""
    if fmt is Format.JSON:
        # pydantic's serializer (Rust) writes the same data as json.dumps of model_dump, 5x faster.
        return document.model_dump_json(indent=2, exclude_none=True) + "\n"
    header = (
        f"# guaranteekit {document.kind} document, format {document.format_version};"
        " read it with tomllib (see guaranteekit.documents.model.Document)\n"
    )
    # rtoml writes a comparison of 1,000 reports ten times faster than tomli_w (bench_compare's
    # toml line). The data holds no None (dropped by exclude_none); none_value=None
    # keeps rtoml from ever writing one as "null". Reading is one parser everywhere (storage.py).
    return header + rtoml.dumps(
        document.model_dump(mode="json", exclude_none=True), none_value=None
    )


def render(document: Document, fmt: Format | str, template: Path | None = None) -> str:
    """The document in `fmt`; `template` (md and html only) replaces the built-in template."""
    fmt = Format(fmt)
    if fmt in (Format.TOML, Format.JSON):
        if template is not None:
            raise LoadError(
                f"{template}: --template applies to md and html output, not {fmt.value}"
            )
        return render_data(document, fmt)
    return render_template(document, fmt, template)
