"""The committed JSON Schemas match the models."""

from __future__ import annotations

from pathlib import Path

import pytest

from guaranteekit.formats.schemas import FORMATS, schema_text

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_committed_schema_is_current(name: str) -> None:
    committed = (SCHEMAS / f"{name}.schema.json").read_text()
    assert committed == schema_text(name), (
        f"schemas/{name}.schema.json is stale: run `make schemas`"
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


def test_schema_command_writes_then_refuses_to_replace_a_changed_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from guaranteekit.cli.parser import main

    folder = tmp_path / "out"
    assert main(["schema", "-o", str(folder)]) == 0
    written = {p.name: p.read_text() for p in folder.iterdir()}
    assert written == {f"{name}.schema.json": schema_text(name) for name in FORMATS}

    edited = folder / "report.schema.json"
    edited.write_text("{}")
    capsys.readouterr()
    assert main(["schema", "-o", str(folder)]) == 1
    assert capsys.readouterr().err.strip() == (
        f"guaranteekit: {edited}: exists and differs; not overwritten (use --force to replace it)"
    )
    assert edited.read_text() == "{}"
    assert main(["schema", "-o", str(folder), "--force"]) == 0
    assert edited.read_text() == schema_text("report")


def test_schema_output_that_is_a_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from guaranteekit.cli.parser import main

    target = tmp_path / "report.toml"
    target.write_text("x = 1\n")
    assert main(["schema", "-o", str(target)]) == 1
    assert "not a folder" in capsys.readouterr().err
    assert target.read_text() == "x = 1\n"
