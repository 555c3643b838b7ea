"""JSON Schemas of the file formats, generated from the models (never written by hand).

The committed copies under `schemas/` are checked against these by a test; regenerate them with
`guaranteekit schema -o schemas` (or `make schemas`).
"""

from __future__ import annotations

import ast
import inspect
import json
from functools import cache
from typing import Any

from guaranteekit.formats import models
from guaranteekit.formats import positions as positions_format
from guaranteekit.formats.models import CriteriaSet, Profile, Report
from guaranteekit.formats.storage import SCHEMA_BASE

FORMATS = {
    "criteria": CriteriaSet,
    "profile": Profile,
    "report": Report,
    "positions": positions_format.PositionsFile,
}


@cache
def field_docs() -> dict[str, dict[str, str]]:
    """Each model's field docstrings (the string under each field in models.py), by class name.

    Read once, only when a schema is asked for; see `models.Strict` for why not at import.
    """
    docs: dict[str, dict[str, str]] = {}
    nodes = [
        *ast.parse(inspect.getsource(models)).body,
        *ast.parse(inspect.getsource(positions_format)).body,
    ]
    for node in nodes:
        if not isinstance(node, ast.ClassDef):
            continue
        fields = docs.setdefault(node.name, {})
        for field, doc in zip(node.body, node.body[1:], strict=False):
            if (
                isinstance(field, ast.AnnAssign)
                and isinstance(field.target, ast.Name)
                and isinstance(doc, ast.Expr)
                and isinstance(doc.value, ast.Constant)
                and isinstance(doc.value.value, str)
            ):
                fields[field.target.id] = inspect.cleandoc(doc.value.value)
    return docs


def _describe(definition: dict[str, Any], fields: dict[str, str]) -> None:
    for name, prop in definition.get("properties", {}).items():
        if name in fields and "description" not in prop:
            prop["description"] = fields[name]


def schema(name: str) -> dict[str, Any]:
    """The JSON Schema of one format (`criteria`, `profile` or `report`)."""
    model = FORMATS[name]
    document = model.model_json_schema(mode="validation")  # type: ignore[attr-defined]
    docs = field_docs()
    _describe(document, docs.get(model.__name__, {}))
    for class_name, definition in document.get("$defs", {}).items():
        _describe(definition, docs.get(class_name, {}))
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{SCHEMA_BASE}/{name}.schema.json",
        **document,
    }


def schema_text(name: str) -> str:
    """The schema as it is written to disk (stable key order, trailing newline)."""
    return json.dumps(schema(name), indent=2, ensure_ascii=False) + "\n"
