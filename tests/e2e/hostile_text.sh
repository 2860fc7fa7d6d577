#!/usr/bin/env bash
# End-to-end: nothing a submitter writes can forge a line or reach the terminal as a control
# sequence in the human-readable formats. A file named with a newline and a forged finding, a
# return whose text holds a clear-screen escape and a bell, and a commit subject with a window-title
# escape: check, audit (text, markdown) and history show them escaped, one finding per line, and
# no byte below 0x20 but the newlines that end lines.
source "$(dirname "$0")/lib.sh"
cd "$TEST_TMP"
make_repo repo
mkdir -p repo/returns/board
evil=$'evil\nfake.json:1:1: error: [FIN-001] forged finding.json'
cat >"repo/returns/board/$evil" <<'JSON'
{"kind": "action_log", "schema": 1, "meeting": "ICS Board", "as_at": "2020-12-02",
 "actions": [{"code": "A1", "title": "t", "lead": "L", "status": "Open", "due": "2020-12-01"}]}
JSON
printf '{"kind": "action_log", "schema": 1, "meeting": "ICS Board", "as_at": "2020-12-02",\n "actions": [{"code": "A2\\u001b[2J\\u0007", "title": "t", "lead": "L", "status": "Open", "due": "2020-12-01"}]}\n' >repo/returns/board/log.json
commit_all repo "2021-01-10 10:00:00" $'title \033]0;pwned\007 and \r a return'
pack="$ASSURE_SOURCE_DIR/rules/lsc-saf"

no_controls() { # FILE WHAT: no control byte but newline
	if LC_ALL=C grep -q -P '[\x00-\x09\x0b-\x1f\x7f]' "$1"; then
		fail "$2 lets a control character through: $(cat -v "$1" | head -5)"
	fi
	pass
}
run_assure check.txt check --repo repo --as-of 2021-01-13
expect_rc 1 "check"
no_controls check.txt "check"
# one finding per line: every line but the summary is path:line:col: severity: [RULE] ...
grep -v -E '^[0-9]+ errors?, ' check.txt | grep -v -E '^.+:[0-9]+:[0-9]+: (error|warning|info): \[[A-Z]+-[0-9]{3}\] ' &&
	fail "check printed a line that is not a finding: $(cat -v check.txt)"
pass
grep -q '^fake.json:1:1' check.txt && fail "the file name forged a finding line"
pass
expect_grep 'evil\\nfake.json:1:1: error: \[FIN-001\] forged finding.json:2:14: error: \[GOV-001\]' check.txt
expect_grep 'action A2\\x1b\[2J\\x07 (L)' check.txt
for fmt in text markdown; do
	run_assure "audit.$fmt" audit --repo repo --as-of 2021-01-13 --format "$fmt" --quiet
	no_controls "audit.$fmt" "audit --format $fmt"
done
expect_grep 'title \\x1b\]0;pwned\\x07 and \\r a return' audit.text
# Markdown escapes the backslash and the bracket once more, so that it renders as the text shows
expect_grep 'title \\\\x1b\\\]0;pwned\\\\x07 and \\\\r a return' audit.markdown
run_assure history.txt history --repo repo --as-of 2021-01-13 --quiet
no_controls history.txt "history"
expect_grep 'title \\x1b\]0;pwned\\x07 and \\r a return' history.txt
finish
