"""One reader and one writer for every TOML file guaranteekit handles.

The reader refuses oversize files before parsing, refuses binary and empty files, parses with
`rtoml` when installed (fast) and otherwise, or to word an error with its line and column, with `tomli`
(the standard library's `tomllib`, compiled), and validates with the format's pydantic model. The two
parsers give the same data for every valid file; the one difference known (tests/core/test_fast_parser.py
pins it) is that rtoml also accepts a line break next to `=` inside an inline table, where the data
is still unambiguous. Every failure becomes a `LoadError` whose
lines read `file:line:col: message` (TOML syntax) or `file: key.path: message` (validation).

The writer dumps a model with `exclude_none=True` in field order (so a re-save of an unchanged model is
byte-identical), puts a `#:schema` comment first so editors validate while people type, and replaces
the target atomically.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import tempfile
from pathlib import Path
from typing import Any, TypeVar

import tomli_w
from pydantic import BaseModel, ValidationError

from guaranteekit.errors import LoadError, NotFoundError, WriteError

try:  # tomli is the standard library's tomllib, released ahead; its compiled wheels parse ~3.5x faster
    import tomli as toml_reader
except ImportError:  # pragma: no cover - a platform without tomli: the same parser, in pure Python
    import tomllib as toml_reader

try:  # rtoml (Rust's `toml` crate) parses ~4x faster than compiled tomli: the fast path for valid files
    import rtoml as _fast_reader
except ImportError:  # pragma: no cover - no wheel for this platform: tomli does all the parsing
    _fast_reader = None

MAX_FILE_BYTES = 4 * 1024 * 1024
"""Files larger than this are refused before parsing (a report is a few tens of kilobytes)."""

SCHEMA_BASE = "https://guaranteekit.github.io/schemas"
"""Where the `#:schema` comment points; the same files are committed under `schemas/`."""

M = TypeVar("M", bound=BaseModel)

_TOML_POSITION = re.compile(r"^(?P<msg>.*?)\s*\(at line (?P<line>\d+), column (?P<col>\d+)\)$")
_TOML_END = re.compile(r"^(?P<msg>.*?)\s*\(at end of document\)$")


def read_bytes(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """Read a file's bytes, refusing missing, oversize and non-regular files with a clear error."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise NotFoundError(f"{path}: no such file") from None
    except OSError as exc:
        raise LoadError(f"{path}: cannot read: {exc.strerror}") from None
    if path.is_dir():
        raise LoadError(f"{path}: is a directory, not a file")
    if size > max_bytes:
        raise LoadError(
            f"{path}: file too large ({size:,} bytes; the limit is {max_bytes:,}), refused before"
            " parsing"
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise LoadError(f"{path}: cannot read: {exc.strerror}") from None


def parse_toml(data: bytes, name: str) -> dict[str, Any]:
    """Parse TOML bytes into a dict; errors name the file, line and column."""
    if not data.strip():
        raise LoadError(f"{name}: file is empty")
    if b"\x00" in data:
        offset = data.index(b"\x00")
        raise LoadError(f"{name}: binary file (NUL byte at offset {offset}), not TOML")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LoadError(
            f"{name}: binary file or not UTF-8 (bad byte at offset {exc.start}), not TOML"
        ) from None
    # A byte-order mark (left by some Windows editors) is not part of the document.
    text = text.removeprefix("\ufeff")
    if _fast_reader is not None and not text.startswith("\ufeff"):  # rtoml would skip a second
        try:
            return _fast_reader.loads(text)
        except Exception:  # any refusal: tomli parses again and words the error
            pass
    try:
        return toml_reader.loads(text)
    except toml_reader.TOMLDecodeError as exc:
        # Python 3.11 carries the position only in the message: "Expected ... (at line 3, column 7)".
        message = str(exc)
        if match := _TOML_POSITION.match(message):
            raise LoadError(
                f"{name}:{match['line']}:{match['col']}: not valid TOML: {match['msg']}"
            ) from None
        if match := _TOML_END.match(message):
            line = text.count("\n") + 1
            raise LoadError(
                f"{name}:{line}:1: not valid TOML: {match['msg']} at end of file"
            ) from None
        raise LoadError(f"{name}: not valid TOML: {message}") from None


def _loc_path(loc: tuple[int | str, ...], data: Any) -> str:
    """`answers[3] (criterion 'x').level` from a pydantic error location."""
    parts: list[str] = []
    node = data
    for item in loc:
        if isinstance(item, int):
            label = f"[{item}]"
            if isinstance(node, list) and item < len(node):
                node = node[item]
                if isinstance(node, dict):
                    key = node.get("criterion", node.get("id"))
                    if isinstance(key, str):
                        label += f" ({key})"
            else:
                node = None
            parts.append(label)
        else:
            node = node.get(item) if isinstance(node, dict) else None
            parts.append(("." if parts else "") + str(item))
    return "".join(parts) or "(top level)"


def _format_validation_error(name: str, exc: ValidationError, data: Any) -> list[str]:
    lines = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        message = error["msg"]
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        if error["type"] == "extra_forbidden":
            message = "unknown key (not part of the format; check the spelling)"
        elif error["type"] == "missing":
            message = "required key is missing"
        elif error["type"] == "literal_error" and loc and loc[-1] == "format_version":
            message = f"unsupported format version {error.get('input')!r}: {message}"
        elif "input" in error and error["type"].endswith("_type"):
            message = f"{message} (got {type(error['input']).__name__} {error['input']!r:.60})"
        lines.append(f"{name}: {_loc_path(loc, data)}: {message}")
    return lines


def validate(model: type[M], data: dict[str, Any], name: str) -> M:
    """Validate parsed data against a format model; errors become `file: key.path: message`."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise LoadError(_format_validation_error(name, exc, data)) from None


def read_model(path: Path, model: type[M], *, max_bytes: int = MAX_FILE_BYTES) -> M:
    """Read, parse and validate one TOML file as `model`."""
    data = parse_toml(read_bytes(path, max_bytes=max_bytes), str(path))
    return validate(model, data, str(path))


def dump_model(model: BaseModel, schema: str | None = None) -> str:
    """The TOML text the writer puts on disk: `#:schema` comment, then the fields in order."""
    data = model.model_dump(mode="python", exclude_none=True)
    # Multi-line strings read best, but tomli-w writes a CRLF inside one as a bare newline, which
    # reads back as LF: a document holding a CR LF is written with escaped one-line strings instead.
    multiline = not _has_crlf(data)
    long_strings: dict[str, str] = {}
    body = tomli_w.dumps(_set_aside(data, long_strings), multiline_strings=multiline)
    for token, text in long_strings.items():
        body = body.replace(f'"{token}"', _toml_string(text, multiline), 1)
    header = f"#:schema {SCHEMA_BASE}/{schema}.schema.json\n" if schema else ""
    return header + body


LONG_STRING = 4096
"""Strings this long are escaped by `_toml_string` instead of tomli-w, which goes through them a
character at a time in Python: a rationale of megabytes would stall every draft write."""

_COMPACT_ESCAPES = {"\b": "\\b", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
_TO_ESCAPE = re.compile(r'[\x00-\x08\x0a-\x1f\x7f"\\]')
_TO_ESCAPE_MULTILINE = re.compile(r'[\x00-\x08\x0b-\x1f\x7f"\\]')


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    return _COMPACT_ESCAPES.get(char) or "\\u" + f"{ord(char):04x}"


def _toml_string(text: str, multiline: bool) -> str:
    """`text` as tomli-w writes a basic string, byte for byte, in one pass of a regex."""
    if multiline and "\n" in text:
        return '"""\n' + _TO_ESCAPE_MULTILINE.sub(_escaped, text.replace("\r\n", "\n")) + '"""'
    return '"' + _TO_ESCAPE.sub(_escaped, text) + '"'


def _set_aside(value: Any, found: dict[str, str]) -> Any:
    """`value` with every long string replaced by a token of over 100 characters (so tomli-w lays
    the document out as it would with the string: inline tables stay under 100), kept in `found`."""
    if isinstance(value, str):
        if len(value) < LONG_STRING:
            return value
        token = f"\ue000{secrets.token_hex(8)}{len(found)}" + "\ue000" * 100
        found[token] = value
        return token
    if isinstance(value, dict):
        return {key: _set_aside(item, found) for key, item in value.items()}
    if isinstance(value, list):
        return [_set_aside(item, found) for item in value]
    return value


def _has_crlf(value: object) -> bool:
    if isinstance(value, str):
        return "\r\n" in value
    if isinstance(value, dict):
        return any(_has_crlf(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_crlf(v) for v in value)
    return False


def atomic_write(path: Path, data: bytes, *, overwrite: bool = True) -> None:
    """Replace `path` with `data` so that a crash leaves either the old file or the new one.

    The temporary file sits in the same directory, so `os.replace` is a rename within one file
    system (atomic on POSIX). We fsync the file before the rename, so the new name never points at
    unwritten blocks, and the directory after it, so the rename itself survives a power cut.
    """
    path = Path(path)
    if not overwrite and path.exists():
        raise WriteError(f"{path}: already exists; not overwritten (use --force to replace it)")
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise WriteError(f"{path}: directory {directory} does not exist")
    try:
        mode = path.stat().st_mode & 0o777 if path.exists() else None
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise WriteError(f"{path}: cannot write: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except BaseException as exc:
        # Never leave a half-written temporary file behind, whatever went wrong.
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        if isinstance(exc, OSError):
            raise WriteError(f"{path}: cannot write: {exc.strerror}") from None
        raise
    try:
        dir_fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass  # Some file systems refuse fsync on directories; the rename has still happened.
    finally:
        os.close(dir_fd)


def write_model(
    path: Path, model: BaseModel, *, schema: str | None = None, overwrite: bool = True
) -> str:
    """Write a model as TOML atomically; returns the text written."""
    text = dump_model(model, schema)
    atomic_write(Path(path), text.encode("utf-8"), overwrite=overwrite)
    return text
