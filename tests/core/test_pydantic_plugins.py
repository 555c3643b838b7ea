"""Validation does not depend on what else is installed: pydantic's plugins are off for our models."""

from __future__ import annotations

import subprocess
import sys


def test_no_pydantic_plugin_is_looked_for_or_run() -> None:
    code = (
        "import guaranteekit.formats.models\n"
        "from pydantic.plugin import _loader\n"
        "print(_loader._plugins, list(_loader.get_plugins()))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={}
    )
    assert done.stdout.strip() == "None []"
