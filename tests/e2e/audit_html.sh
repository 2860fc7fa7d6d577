#!/usr/bin/env bash
# End-to-end: the HTML audit report of the demo repository opened in headless Chromium
# (Debian's chromium, which ci/test installs). The screenshots must not be blank and must
# show the charts' colours; the pages must reference nothing outside the report (no
# scripts, style sheets, fonts, images or links to the web).
source "$(dirname "$0")/lib.sh"
cd "$TEST_TMP"
command -v chromium >/dev/null || fail "chromium is not installed (ci/test installs it: ci/deps chromium)"
"$ASSURE_SOURCE_DIR/ci/make-demo-repo" demo-repo >/dev/null
run_assure html.txt audit --repo demo-repo --rules "$ASSURE_SOURCE_DIR/rules/lsc-saf" --format html --out report
expect_rc 1 "the demo ends with errors open"

# Self-contained: no scheme-qualified or protocol-relative reference, no script, no external style sheet or font.
for page in report/index.html report/commits/*.html; do
	if grep -Eiq '(src|href|action|xlink:href)[[:space:]]*=[[:space:]]*"?[[:space:]]*(https?:|//|data:|file:)|<script|<link|<iframe|<img|<object|<embed|@import|url\(' "$page"; then
		fail "$page references something outside itself: $(grep -Eio '(src|href)=[^ >]*|<script|<link|@import|url\(' "$page" | head -3)"
	fi
	# Every link stays inside the report and points at a page that exists.
	for target in $(grep -o 'href="[^"]*"' "$page" | sed 's/^href="//; s/"$//'); do
		[ -f "$(dirname "$page")/$target" ] || fail "$page links to missing $target"
	done
done
pass
expect_grep '<svg ' report/index.html
expect_grep 'the system&#39;s forecast outturn against its control total' report/index.html
expect_grep 'Open findings by domain after each commit' report/index.html

shot() { # shot URL PNG
	timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$(mktemp -d "$TEST_TMP/chrome.XXXXXX")" --screenshot="$2" --window-size=1200,900 \
		"$1" >/dev/null 2>&1 || true
	[ -s "$2" ] || fail "chromium wrote no screenshot of $1"
}
shot "file://$TEST_TMP/report/index.html" index.png
first=$(ls report/commits | head -1)
shot "file://$TEST_TMP/report/commits/$first" commit.png

# Decode the PNGs (zlib and the five scanline filters, no imaging library) and look at the colours.
python3 - index.png commit.png <<'PY' || fail "a screenshot is blank or lacks the charts"
import struct, sys, zlib

def pixels(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    assert depth == 8 and ctype in (2, 6), (depth, ctype)
    bpp = 3 if ctype == 2 else 4
    raw, stride = zlib.decompress(idat), w * bpp
    prev, out, i = bytearray(stride), [], 0
    for _ in range(h):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1: line[x] = (line[x] + a) & 255
            elif f == 2: line[x] = (line[x] + b) & 255
            elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        out.append(bytes(line))
        prev = line
    return w, h, bpp, out

for path in sys.argv[1:]:
    w, h, bpp, rows = pixels(path)
    colours = {}
    for row in rows[::2]:
        for x in range(0, len(row), bpp * 2):
            px = tuple(row[x:x + 3])
            colours[px] = colours.get(px, 0) + 1
    total = sum(colours.values())
    top = max(colours.values())
    print(f"{path}: {w}x{h}, {len(colours)} colours, the commonest covers {100 * top // total}%")
    assert len(colours) >= 16, f"{path} looks blank: {len(colours)} colours"
    assert top < total * 0.98, f"{path} is almost one colour"
    if path == "index.png":
        # The charts' blue and vermilion (ah_svg_color 0 and 1) are on the first screen.
        def near(c, t): return all(abs(c[k] - t[k]) <= 24 for k in range(3))
        for name, t in (("blue", (0x00, 0x72, 0xB2)), ("vermilion", (0xD5, 0x5E, 0x00))):
            n = sum(v for c, v in colours.items() if near(c, t))
            assert n >= 20, f"no {name} of the charts in {path} ({n} pixels)"
PY
pass

finish
