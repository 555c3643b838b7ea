"""JSON Schemas of the file formats, generated from the models (never written by hand).

The committed copies under `schemas/` are checked against these by a test; regenerate them with
`guaranteekit schema -o schemas` (or `make schemas`).
"""

from __future__ import annotations

import json
from typing import Any

from guaranteekit.models import CriteriaSet, Profile, Report
from guaranteekit.storage import SCHEMA_BASE

FORMATS = {"criteria": CriteriaSet, "profile": Profile, "report": Report}


def schema(name: str) -> dict[str, Any]:
    """The JSON Schema of one format (`criteria`, `profile` or `report`)."""
    document = FORMATS[name].model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{SCHEMA_BASE}/{name}.schema.json",
        **document,
    }


def schema_text(name: str) -> str:
    """The schema as it is written to disk (stable key order, trailing newline)."""
    return json.dumps(schema(name), indent=2, ensure_ascii=False) + "\n"
