"""Content digests: sha256 over a canonical JSON form of a model.

The digest is computed from the validated model, not from the file's bytes, so comments, key order and
whitespace do not change it while every value does. Canonical form: `model_dump(mode="json",
exclude_none=True)`, keys sorted, no whitespace, UTF-8.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import BaseModel


def canonical_json(data: Any) -> bytes:
    """Deterministic JSON bytes of plain data."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def digest_data(data: Any) -> str:
    """`sha256:<hex>` of the canonical JSON of plain data."""
    return "sha256:" + hashlib.sha256(canonical_json(data)).hexdigest()


def model_digest(model: BaseModel, *, exclude: set[str] | None = None) -> str:
    """`sha256:<hex>` of a model's canonical form, leaving out the top-level fields in `exclude`."""
    return digest_data(model.model_dump(mode="json", exclude_none=True, exclude=exclude))
