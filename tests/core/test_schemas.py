"""The committed JSON Schemas match the models."""

from __future__ import annotations

from pathlib import Path

import pytest

from guaranteekit.schemas import FORMATS, schema_text

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_committed_schema_is_current(name: str) -> None:
    committed = (SCHEMAS / f"{name}.schema.json").read_text()
    assert committed == schema_text(name), (
        f"schemas/{name}.schema.json is stale: run `guaranteekit schema -o schemas` (make schemas)"
    )


def test_every_field_is_documented() -> None:
    import json

    def walk(node: object, path: str, defs: dict) -> None:
        if isinstance(node, dict):
            for key, prop in node.get("properties", {}).items():
                # A field that only refers to a model is described by that model's docstring.
                ref = prop.get("$ref", "").rsplit("/", 1)[-1]
                described = "description" in prop or "description" in defs.get(ref, {})
                assert described, f"{path}.{key} has no docstring"
            for key, value in node.items():
                walk(value, f"{path}.{key}", defs)
        elif isinstance(node, list):
            for item in node:
                walk(item, path, defs)

    for name in FORMATS:
        document = json.loads(schema_text(name))
        walk(document, name, document.get("$defs", {}))
