"""Finding criteria sets and profiles: the built-in ones shipped with the package, and users' files.

Built-in sets live in the repository's top-level `criteria/` folder; the wheel carries them inside the
package as `guaranteekit/criteria` (see `pyproject.toml`). `resource_dir` looks in the package first
and falls back to the source checkout, so an editable install and a plain `pip install .` both work.
Users add folders of their own sets with the `GUARANTEEKIT_CRITERIA_PATH` variable (os.pathsep
separated) or pass a file path wherever a criteria id is accepted.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from stat import S_ISDIR

from guaranteekit.errors import LoadError, NotFoundError
from guaranteekit.formats.digest import model_digest
from guaranteekit.formats.models import CriteriaSet, Profile, gate_changes_problems
from guaranteekit.formats.storage import read_model

DEFAULT_CRITERIA = "guarantee-credibility"
"""The built-in set new assessments use unless told otherwise."""

_PACKAGE_DIR = Path(__file__).resolve().parent.parent
_CHECKOUT_DIR = _PACKAGE_DIR.parent.parent


@lru_cache(maxsize=8)
def resource_dir(name: str) -> Path:
    """`criteria`, `templates`, `schemas` or `examples`, inside the package or the checkout.

    Looked up once: where the package is installed does not change while it runs.
    """
    for candidate in (_PACKAGE_DIR / name, _CHECKOUT_DIR / name):
        if candidate.is_dir():
            return candidate
    return _PACKAGE_DIR / name


def search_dirs() -> list[Path]:
    """Folders searched for criteria sets by id: the user's (from the environment) first."""
    extra = [
        Path(p) for p in os.environ.get("GUARANTEEKIT_CRITERIA_PATH", "").split(os.pathsep) if p
    ]
    return [*extra, resource_dir("criteria")]


@lru_cache(maxsize=64)
def _load_cached(path: str, mtime_ns: int, size: int) -> CriteriaSet:
    return read_model(Path(path), CriteriaSet)


def load_criteria(path: Path) -> CriteriaSet:
    """Read and validate a criteria set file (cached by path, size and modification time)."""
    return _load_resolved(Path(path).resolve(), shown=path)


def _load_resolved(path: Path, *, shown: Path | None = None) -> CriteriaSet:
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise NotFoundError(f"{shown or path}: no such file") from None
    return _load_cached(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _toml_files(directory: str, mtime_ns: int) -> tuple[Path, ...]:
    # A folder's modification time changes when a file is added, removed or renamed in it, so the
    # listing is made once per state of the folder (edits to a file are caught by its own stat).
    return tuple(p.resolve() for p in sorted(Path(directory).glob("*.toml")))


def available(*, strict: bool = False) -> list[tuple[Path, CriteriaSet]]:
    """Every criteria set found in the search folders. Broken files are skipped unless `strict`.

    Cheap to call again (a lookup by id calls it once per report read): each folder's listing is
    kept while the folder is unchanged, and each set while its file is.
    """
    found: list[tuple[Path, CriteriaSet]] = []
    for directory in search_dirs():
        try:
            stat = directory.stat()
        except OSError:
            continue
        if not S_ISDIR(stat.st_mode):
            continue
        for path in _toml_files(str(directory), stat.st_mtime_ns):
            try:
                found.append((path, _load_resolved(path)))
            except LoadError:
                if strict:
                    raise
    return found


def find_criteria(ref: str | Path, version: str | None = None) -> CriteriaSet:
    """A criteria set by file path, or by id (and version) from the search folders."""
    as_path = Path(ref)
    if as_path.suffix == ".toml" or as_path.exists():
        return load_criteria(as_path)
    matches = [s for _, s in available() if s.id == str(ref)]
    if not matches:
        known = ", ".join(sorted({s.id for _, s in available()})) or "none"
        raise NotFoundError(f"criteria set {str(ref)!r} not found (available: {known})")
    if version is not None:
        exact = [s for s in matches if s.version == version]
        if not exact:
            have = ", ".join(s.version for s in matches)
            raise NotFoundError(
                f"criteria set {str(ref)!r} version {version!r} not found (installed: {have})"
            )
        return exact[0]
    # A new assessment takes the newest version; among equal versions the first folder searched
    # (the user's) wins, as `max` keeps the first of equal keys.
    return max(matches, key=lambda s: version_key(s.version))


def version_key(version: str) -> tuple[tuple[tuple[int, int | str], ...], int, str]:
    """Sort key of a set's version: `1.10.0` after `1.9.0`, and a pre-release (`2.0.0-rc1`)
    before its release (`2.0.0`), as in semantic versioning."""
    release, dash, pre = version.partition("-")
    parts = tuple((1, int(p)) if p.isdigit() else (0, p) for p in release.split("."))
    return parts, 0 if dash else 1, pre


def criteria_digest(criteria: CriteriaSet) -> str:
    """Content digest of a criteria set, recorded in every report scored against it."""
    return _digest_cached(id(criteria), criteria)


_DIGESTS: dict[int, tuple[CriteriaSet, str]] = {}


def _digest_cached(key: int, criteria: CriteriaSet) -> str:
    # Criteria sets are loaded once and never mutated, so the digest is cached per object; keeping a
    # reference to the object in the cache stops its id from being reused by another object.
    hit = _DIGESTS.get(key)
    if hit is not None and hit[0] is criteria:
        return hit[1]
    value = model_digest(criteria)
    _DIGESTS[key] = (criteria, value)
    return value


def profile_digest(profile: Profile) -> str:
    """Content digest of a profile, recorded in reports scored with it."""
    return model_digest(profile)


def check_profile(profile: Profile, criteria: CriteriaSet, name: str) -> list[str]:
    """Problems with a profile against the set it tailors (unknown ids, a set that does not match)."""
    problems: list[str] = []
    if profile.criteria != criteria.id:
        problems.append(
            f"{name}: criteria: profile tailors {profile.criteria!r}, not {criteria.id!r}"
        )
        return problems
    ids = {c.id for c in criteria.criteria}
    for cid in profile.weights:
        if cid not in ids:
            problems.append(f"{name}: weights.{cid}: unknown criterion {cid!r} in {criteria.id}")
    for index, disabled in enumerate(profile.disabled):
        if disabled.criterion not in ids:
            problems.append(
                f"{name}: disabled[{index}].criterion: unknown criterion {disabled.criterion!r}"
                f" in {criteria.id}"
            )
    if len({d.criterion for d in profile.disabled}) >= len(ids):
        problems.append(f"{name}: disabled: every criterion is switched off")
    if profile.gates is not None or profile.drop_gates is not None:
        if not criteria.is_format2:
            problems.append(
                f"{name}: gates: a profile's gates need a format-2 criteria set;"
                f" {criteria.id} {criteria.version} is format {criteria.format_version}"
            )
        else:
            problems += [
                f"{name}: {problem}"
                for problem in gate_changes_problems(
                    criteria, {}, profile.drop_gates or [], profile.gates or []
                )
            ]
    return problems


def load_profile(path: Path, criteria: CriteriaSet | None = None) -> tuple[Profile, CriteriaSet]:
    """Read a profile and check it against its criteria set (found by id unless given)."""
    profile = read_model(Path(path), Profile)
    if criteria is None:
        criteria = find_criteria(profile.criteria)
    problems = check_profile(profile, criteria, str(path))
    if problems:
        raise LoadError(problems)
    return profile, criteria
