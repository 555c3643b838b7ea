"""One reader and one writer for every TOML file guaranteekit handles.

The reader opens a file once, checks on the open file that it is a regular file (a FIFO would block
for ever and a device never ends, and both report a size of 0), and reads at most the cap plus one
byte, so the cap holds whatever size the file claims. It refuses binary and empty files, parses with
one parser, `tomli` (below 2.4: TOML 1.0, the standard library's `tomllib` released ahead and
compiled), so that whether a file is valid never depends on what else is installed, refuses data
nested deeper than any format needs, and validates with the format's pydantic model. Every failure
becomes a `LoadError` whose lines read `file:line:col: message` (TOML syntax) or `file: key.path:
message` (validation), or `file: message` for a file that cannot be read at all.

The writer dumps a model with `exclude_none=True` in field order (so a re-save of an unchanged model is
byte-identical), puts a `#:schema` comment first so editors validate while people type, and replaces
the target atomically. It writes regular files only: a device, FIFO, socket or directory in the way is
refused, and a symbolic link is written through to the file it points at (`write_target` says where).
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import re
import secrets
import stat
import tempfile
from pathlib import Path
from typing import Any, TypeVar

# One parser, one meaning: tomli 2.2-2.3 reads TOML 1.0 exactly as the standard library's tomllib
# does (tomli 2.4 moved on to TOML 1.1, which tomllib and most editors refuse), and its wheels are
# compiled, so it reads faster than tomllib (bench/bench_read.py). pyproject.toml pins that range.
import tomli as toml_reader
import tomli_w
from pydantic import BaseModel, ValidationError

from guaranteekit.errors import Code, LoadError, NotFoundError, Problem, ReadError, WriteError

MAX_FILE_BYTES = 4 * 1024 * 1024
"""Files larger than this are refused before parsing (a report is a few tens of kilobytes)."""

MAX_DEPTH = 32
"""Tables and arrays nested deeper than this are refused (the formats nest five levels at most)."""

SCHEMA_BASE = "https://guaranteekit.github.io/schemas"
"""The prefix of each schema's `$id` (a name, not a place to fetch: files point at a local copy)."""

M = TypeVar("M", bound=BaseModel)

_TOML_POSITION = re.compile(r"^(?P<msg>.*?)\s*\(at line (?P<line>\d+), column (?P<col>\d+)\)$")
_TOML_END = re.compile(r"^(?P<msg>.*?)\s*\(at end of document\)$")

_KINDS = (
    (stat.S_ISDIR, "is a directory, not a file"),
    (stat.S_ISFIFO, "is a FIFO (named pipe), not a regular file"),
    (stat.S_ISCHR, "is a character device, not a regular file"),
    (stat.S_ISBLK, "is a block device, not a regular file"),
    (stat.S_ISSOCK, "is a socket, not a regular file"),
)


def shown(path: Path | str, limit: int = 200) -> str:
    """A path as error messages show it: shortened in the middle past `limit` characters."""
    text = str(path)
    if len(text) <= limit:
        return text
    return f"{text[: limit // 2]}...({len(text):,} characters)...{text[-limit // 4 :]}"


def os_problem(path: Path | str, exc: OSError, doing: str = "cannot read") -> Problem:
    """An error of the operating system about `path`, in words a person can act on."""
    where = shown(path)
    code = Code.UNREADABLE if doing == "cannot read" else Code.WRITE
    if exc.errno == errno.ENAMETOOLONG:
        return Problem(
            where,
            "",
            f"path too long ({len(str(path)):,} characters; the file system allows 255 a name and"
            " about 4,000 in all)",
            code,
        )
    if exc.errno == errno.ELOOP:
        return Problem(
            where, "", "too many levels of symbolic links (a link that leads back to itself?)", code
        )
    return Problem(where, "", f"{doing}: {exc.strerror or exc}", code)


def kind_problem(mode: int) -> str | None:
    """What is wrong with a file of this `st_mode` for reading or writing, or None for a regular
    file."""
    for test, words in _KINDS:
        if test(mode):
            return words
    return None if stat.S_ISREG(mode) else "is not a regular file"


def read_bytes(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """A regular file's bytes, read through one open file; missing, oversize and special files are
    refused with one clear line. `-` is standard input, as other tools read it."""
    if str(path) == "-":
        from guaranteekit.formats.stdin import stdin_bytes

        return stdin_bytes(max_bytes)
    # O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused once open); it changes
    # nothing for a regular file. O_NOCTTY: a terminal device never becomes ours.
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise NotFoundError(Problem(shown(path), "", "no such file", Code.NO_SUCH_FILE)) from None
    except IsADirectoryError:
        raise ReadError(_unreadable(path, "is a directory, not a file")) from None
    except OSError as exc:
        raise ReadError(os_problem(path, exc)) from None
    try:
        info = os.fstat(fd)
        problem = kind_problem(info.st_mode)
        if problem is not None:
            raise ReadError(_unreadable(path, problem))
        if info.st_size > max_bytes:
            raise ReadError(_too_large(path, info.st_size, max_bytes))
        data = _read_at_most(fd, max_bytes + 1)
    except OSError as exc:
        raise ReadError(os_problem(path, exc)) from None
    finally:
        os.close(fd)
    if len(data) > max_bytes:  # the file grew since, or was larger than it said
        raise ReadError(_too_large(path, len(data), max_bytes, at_least=True))
    return data


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    left = limit
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _unreadable(path: Path, message: str) -> Problem:
    return Problem(shown(path), "", message, Code.UNREADABLE)


def _too_large(path: Path, size: int, limit: int, *, at_least: bool = False) -> Problem:
    size_text = f"more than {limit:,}" if at_least else f"{size:,}"
    return _unreadable(
        path, f"file too large ({size_text} bytes; the limit is {limit:,}), refused before parsing"
    )


def parse_toml(data: bytes, name: str) -> dict[str, Any]:
    """Parse TOML bytes into a dict; errors name the file, line and column."""
    if not data.strip():
        raise LoadError(Problem(name, "", "file is empty", Code.SCHEMA))
    if b"\x00" in data:
        offset = data.index(b"\x00")
        raise LoadError(
            Problem(name, "", f"binary file (NUL byte at offset {offset}), not TOML", Code.SCHEMA)
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LoadError(
            Problem(
                name,
                "",
                f"binary file or not UTF-8 (bad byte at offset {exc.start}), not TOML",
                Code.SCHEMA,
            )
        ) from None
    # A byte-order mark (left by some Windows editors) is not part of the document.
    text = text.removeprefix("\ufeff")
    try:
        parsed = toml_reader.loads(text)
    except RecursionError:
        raise LoadError(_too_deep(name)) from None
    except toml_reader.TOMLDecodeError as exc:
        # tomli carries the position only in the message: "Expected ... (at line 3, column 7)".
        message = str(exc)
        if match := _TOML_POSITION.match(message):
            line, column = int(match["line"]), int(match["col"])
            raise LoadError(
                Problem.at(name, line, column, f"not valid TOML: {match['msg']}")
            ) from None
        if match := _TOML_END.match(message):
            line = text.count("\n") + 1
            raise LoadError(
                Problem.at(name, line, 1, f"not valid TOML: {match['msg']} at end of file")
            ) from None
        raise LoadError(Problem(name, "", f"not valid TOML: {message}", Code.SCHEMA)) from None
    if _deeper_than(parsed, MAX_DEPTH):
        raise LoadError(_too_deep(name))
    return parsed


def _too_deep(name: str) -> Problem:
    return Problem(
        name,
        "",
        f"tables and arrays nested deeper than {MAX_DEPTH} levels; no guaranteekit format nests"
        " that deep",
        Code.SCHEMA,
    )


def _deeper_than(data: dict[str, Any], limit: int) -> bool:
    """Whether tables and arrays in `data` (itself the first level) nest more than `limit` levels."""
    return not _within(data, limit)


def _within(node: dict[str, Any] | list[Any], left: int) -> bool:
    # Recursion stops at the limit, so it is never deeper than MAX_DEPTH; `type() is` rather than
    # isinstance: parsed TOML holds plain dicts and lists only, and this runs on every value.
    for value in node.values() if type(node) is dict else node:
        kind = type(value)
        if (kind is dict or kind is list) and (left <= 1 or not _within(value, left - 1)):  # type: ignore[arg-type]
            return False
    return True


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
            parts.append(("." if parts else "") + _key_text(str(item)))
    return "".join(parts) or "(top level)"


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _key_text(key: str) -> str:
    """A key as TOML writes it: bare when it can be, else quoted with escapes (`"\\u001b]0;x"`),
    so that a key made of control characters is shown, and can be found in the file."""
    if _BARE_KEY.fullmatch(key):
        return key
    quoted = "".join(
        ch if ch.isprintable() and ch not in '"\\' else (f"\\{ch}" if ch in '"\\' else _escape(ch))
        for ch in key
    )
    return f'"{quoted}"'


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _format_validation_error(name: str, exc: ValidationError, data: Any) -> list[Problem]:
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
        lines.append(Problem(name, _loc_path(loc, data), message, Code.SCHEMA))
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


def dump_model(model: BaseModel, schema: str | None = None, target: Path | None = None) -> str:
    """The TOML text the writer puts on disk: `#:schema` comment, then the fields in order.

    The comment names the schema by its path from `target` (`formats.directive`), so editors
    validate with no network; without a schema found near `target` there is none.
    """
    data = model.model_dump(mode="python", exclude_none=True)
    # Multi-line strings read best, but tomli-w writes a CRLF inside one as a bare newline, which
    # reads back as LF: a document holding a CR LF is written with escaped one-line strings instead.
    multiline = not _has_crlf(data)
    long_strings: dict[str, str] = {}
    body = tomli_w.dumps(_set_aside(data, long_strings), multiline_strings=multiline)
    for token, text in long_strings.items():
        body = body.replace(f'"{token}"', _toml_string(text, multiline), 1)
    from guaranteekit.formats.directive import schema_line  # writing alone needs it

    header = schema_line(schema, target) if schema and target is not None else ""
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


def terminal_toml(text: str) -> str:
    """TOML text safe to show on a terminal, with the same data.

    TOML writers escape C0 controls and DEL, but may leave C1 controls and format characters (bidi
    controls, zero-width characters) raw, in literal strings too, where no escape exists. A text
    holding any is read back and written again with tomli-w, which writes basic strings only, so
    that each such character can become a `\\uXXXX` escape; the comment lines at the top are kept.
    """
    from guaranteekit.textsafe import toml_escapes

    if toml_escapes(text) == text:
        return text
    lines = text.splitlines(keepends=True)
    comments = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    data = toml_reader.loads(text)
    return "".join(lines[:comments]) + toml_escapes(tomli_w.dumps(data, multiline_strings=False))


def write_target(path: Path, *, overwrite: bool = True) -> Path:
    """The file a write to `path` replaces: `path` itself, or the file a symbolic link at `path`
    points to (so the link stays a link, and what it points at is brought up to date).

    WriteError for anything that is not a regular file (a device, FIFO, socket or directory: a
    rename would put a plain file in its place), for a link that leads nowhere or back to itself,
    and for an existing file when `overwrite` is false.
    """
    path = Path(path)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return path
    except OSError as exc:
        raise WriteError(os_problem(path, exc, "cannot write")) from None
    target = path
    if stat.S_ISLNK(info.st_mode):
        try:
            target = Path(os.path.realpath(path, strict=True))
            info = os.stat(target)
        except FileNotFoundError:
            raise WriteError(
                f"{shown(path)}: a symbolic link to {os.readlink(path)}, which does not exist;"
                " not written"
            ) from None
        except OSError as exc:
            raise WriteError(os_problem(path, exc, "cannot write")) from None
    problem = kind_problem(info.st_mode)
    if problem is not None:
        via = f" (the symbolic link points to {target})" if target != path else ""
        raise WriteError(f"{shown(path)}: {problem}{via}; not written")
    if not overwrite:
        raise WriteError(f"{path}: already exists; not overwritten (use --force to replace it)")
    return target


def atomic_write(path: Path, data: bytes, *, overwrite: bool = True) -> Path:
    """Replace `path` with `data` so that a crash leaves either the old file or the new one; returns
    the file written (the target of a symbolic link at `path`, see `write_target`).

    The temporary file sits in the target's directory, so `os.replace` is a rename within one file
    system (atomic on POSIX). We fsync the file before the rename, so the new name never points at
    unwritten blocks, and the directory after it, so the rename itself survives a power cut.
    """
    path = Path(path)
    target = write_target(path, overwrite=overwrite)
    directory = target.parent if str(target.parent) else Path(".")
    try:
        if not stat.S_ISDIR(os.stat(directory).st_mode):
            raise WriteError(f"{shown(path)}: {shown(directory)} is not a directory")
    except FileNotFoundError:
        raise WriteError(f"{shown(path)}: directory {shown(directory)} does not exist") from None
    except OSError as exc:
        raise WriteError(os_problem(path, exc, "cannot write")) from None
    try:
        mode: int | None = os.stat(target).st_mode & 0o777
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise WriteError(os_problem(path, exc, "cannot write")) from None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise WriteError(os_problem(path, exc, "cannot write")) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file 0600; a new file gets the mode any other program would give it
        # (0666 less the umask), so that colleagues on a shared drive can read it.
        os.chmod(tmp_name, mode if mode is not None else 0o666 & ~_umask())
        if overwrite:
            os.replace(tmp_name, target)
        else:
            _link_new(tmp_name, target)
    except BaseException as exc:
        # Never leave a half-written temporary file behind, whatever went wrong.
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        if isinstance(exc, FileExistsError):
            raise WriteError(
                f"{path}: already exists; not overwritten (use --force to replace it)"
            ) from None
        if isinstance(exc, OSError):
            raise WriteError(os_problem(path, exc, "cannot write")) from None
        raise
    try:
        dir_fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return target
    try:
        os.fsync(dir_fd)
    except OSError:
        pass  # Some file systems refuse fsync on directories; the rename has still happened.
    finally:
        os.close(dir_fd)
    return target


def _link_new(tmp_name: str, target: Path) -> None:
    """Put the temporary file at `target` only if nothing is there (FileExistsError otherwise):
    a hard link fails on an existing name where a rename would replace it, so a file created
    since `write_target` looked is never overwritten."""
    try:
        os.link(tmp_name, target)
    except FileExistsError:
        raise
    except OSError:
        # A file system without hard links: the check in write_target stands alone.
        if os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, "exists", str(target)) from None
        os.replace(tmp_name, target)
        return
    os.unlink(tmp_name)


def write_model(
    path: Path, model: BaseModel, *, schema: str | None = None, overwrite: bool = True
) -> str:
    """Write a model as TOML atomically; returns the text written."""
    text = dump_model(model, schema, Path(path))
    atomic_write(Path(path), text.encode("utf-8"), overwrite=overwrite)
    return text


@functools.cache
def _umask() -> int:
    """The process's umask, read once: from /proc where Linux shows it, since setting it to read it
    (the only portable way) briefly changes it for every thread."""
    with (
        contextlib.suppress(OSError, ValueError),
        open("/proc/self/status", encoding="ascii") as status,
    ):
        for line in status:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
