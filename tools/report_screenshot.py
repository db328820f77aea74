#!/usr/bin/env python3
"""Open an HTML report in headless Chromium, save a screenshot, and count the timeline's pixels.

    tools/report_screenshot.py REPORT.html SHOT.png

Prints JSON: the screenshot's path and size, and per phase of the report's timeline the number
of pixels drawn in its colour. A phase that did not render counts 0.
"""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from PIL import Image


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    raise SystemExit("report_screenshot: no Chromium found (apt-get install chromium)")


def screenshot(html, png, size=(1100, 900)):
    cmd = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           f"--window-size={size[0]},{size[1]}", f"--screenshot={png}", Path(html).resolve().as_uri()]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    if proc.returncode != 0 or not Path(png).is_file():
        raise SystemExit(f"report_screenshot: chromium failed ({proc.returncode}): {proc.stderr[-2000:]}")


def phase_pixels(html, png):
    """{phase name: pixels in its fill colour} for every bar of the page's timeline."""
    bars = re.findall(r'<rect class="phase"[^>]* fill="#([0-9a-f]{6})"><title>([^<:]+):', Path(html).read_text())
    image = Image.open(png).convert("RGB")
    counts = {}
    for colour, _ in bars:
        counts[colour] = 0
    for pixel in image.getdata():
        key = "%02x%02x%02x" % pixel
        if key in counts:
            counts[key] += 1
    return image.size, {name: counts[colour] for colour, name in bars}


def main():
    html, png = sys.argv[1:3]
    screenshot(html, png)
    size, phases = phase_pixels(html, png)
    print(json.dumps({"screenshot": str(Path(png).resolve()), "size": list(size), "phase_pixels": phases}))


if __name__ == "__main__":
    main()
