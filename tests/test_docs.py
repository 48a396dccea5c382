"""The README's screenshots exist, at both widths (scripts/screenshots.py makes them)."""

import re
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)


def test_every_screenshot_the_readme_shows_exists_at_both_widths():
    shown = re.findall(r"\(docs/screenshots/([\w-]+)\.png\)", (BASE / "README.md").read_text())
    assert len(shown) >= 10
    folder = BASE / "docs" / "screenshots"
    names = {name.removeprefix("phone-") for name in shown}
    missing = [
        f"{prefix}{name}.png"
        for name in names
        for prefix in ("", "phone-")
        if not (folder / f"{prefix}{name}.png").exists()
    ]
    assert missing == []
