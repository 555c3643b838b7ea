"""Open the HTML comparison document in a real headless browser and save a screenshot.

The document is rendered by `guaranteekit compare --format html` (and `--rounds`), written to a
temporary folder, and opened from disk by Chromium with the network off, so the picture shows what a
reader sees: that the file is self-contained, and that the table and the inline SVG charts render.

    .venv/bin/python scripts/screenshot_html.py [REPORT...] [-o DIR]

With no reports it uses the worked examples in `examples/`. Needs Chromium (Debian:
`apt-get install chromium`); not part of `make test`, since CI machines need not have a browser.
Prints the PNG paths and exits non-zero when the browser is missing or fails.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from guaranteekit.cli.parser import main as guaranteekit

ROOT = Path(__file__).resolve().parents[1]
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")


def browser() -> str | None:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def render(argv: list[str], out: Path) -> Path:
    code = guaranteekit([*argv, "--format", "html", "-o", str(out), "--force"])
    if code != 0:
        raise SystemExit(f"guaranteekit {' '.join(argv)} failed with exit code {code}")
    return out


def screenshot(chrome: str, page: Path, png: Path, size: str) -> None:
    with tempfile.TemporaryDirectory() as profile:
        command = [
            chrome,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            f"--window-size={size}",
            f"--screenshot={png}",
            page.as_uri(),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0 or not png.exists():
        raise SystemExit(f"{chrome} failed ({done.returncode}): {done.stderr.strip()[-500:]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reports", nargs="*", type=Path, metavar="REPORT")
    parser.add_argument("-o", "--output", type=Path, default=Path("screenshots"), metavar="DIR")
    parser.add_argument("--size", default="1280,2400", help="window size, WIDTH,HEIGHT")
    args = parser.parse_args(argv)

    chrome = browser()
    if chrome is None:
        print("no Chromium found; install it (Debian: apt-get install chromium)", file=sys.stderr)
        return 2
    reports = [str(p) for p in args.reports] or sorted(
        str(p) for p in (ROOT / "examples").glob("*.toml")
    )
    if len(reports) < 2:
        print("give at least two reports (examples/ has fewer)", file=sys.stderr)
        return 2
    args.output.mkdir(parents=True, exist_ok=True)
    pages = {
        "compare": render(["compare", *reports], args.output / "compare.html"),
        "rounds": render(["compare", "--rounds", *reports[:3]], args.output / "rounds.html"),
    }
    for name, page in pages.items():
        png = args.output / f"{name}.png"
        screenshot(chrome, page, png, args.size)
        print(png)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
