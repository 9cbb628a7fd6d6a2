"""axe-core, vendored from npm (`vendor/axe-core/`, MPL-2.0), run inside the page under test.

The script is evaluated through the browser's DevTools protocol, which the page's
Content-Security-Policy (`script-src 'self'`) does not govern: the pages are tested with the CSP
they are served with.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

VENDOR = Path(__file__).parent / "vendor" / "axe-core"
#: The success criteria of WCAG 2.0 and 2.1 at levels A and AA, as axe-core tags its rules.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_RUN = """async tags => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    resultTypes: ['violations'],
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary,
                              html: n.html.slice(0, 300)})),
  }));
}"""


@cache
def axe_source() -> str:
    return (VENDOR / "axe.min.js").read_text(encoding="utf-8") + "\n;true"


def axe_version() -> str:
    package = json.loads((VENDOR / "package.json").read_text(encoding="utf-8"))
    return str(package["version"])


def violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A and AA violations on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    found: list[dict[str, Any]] = page.evaluate(_RUN, WCAG_21_AA)
    return found


def describe(found: list[dict[str, Any]]) -> str:
    lines = []
    for violation in found:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['summary']}")
            lines.append(f"        {node['html']}")
    return "\n".join(lines)
