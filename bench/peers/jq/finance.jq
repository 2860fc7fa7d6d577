# A peer for bench/run: what jq can say of one return on its own, as far as it can express the
# lsc-saf rules. FIN-004 (year-to-date actual worse than plan by more than 1) and GOV-001 (an
# open action past its due date, ISO dates only, as of a fixed day) need nothing but the return;
# FIN-001 can only use the control_total a return states, since jq reads one file at a time.
# Exact decimals, other date forms, lookups by kind and year and every other rule are beyond it.
if .kind == "finance" then
  [ (select(.ytd.plan - .ytd.actual > 1) | {rule: "FIN-004", org}),
    (select(.control_total != null and (.control_total - .forecast.outturn) > 0) | {rule: "FIN-001", org}) ]
elif .kind == "action_log" then
  [ .actions[] | select((.status | ascii_downcase) != "complete" and (.due // "") < "2024-04-01") | {rule: "GOV-001", code} ]
else [] end
