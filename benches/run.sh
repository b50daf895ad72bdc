#!/usr/bin/env bash
# Whole-process figures for BENCHMARKS.md: `encours import` of a bank CSV against hledger
# reading the same file, and the cockpit binary under tmux (time to first frame, peak RSS).
# Usage: benches/run.sh [cockpit-db]   (default: the cached middle database of the harness)
# Peers: apt-get install -y hledger hyperfine tmux (installed here when missing and root).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=target/bench-data/process
mkdir -p "$OUT"
if [ "$(id -u)" = 0 ]; then
    for p in hledger hyperfine tmux; do
        command -v "$p" >/dev/null || apt-get install -y "$p" >/dev/null
    done
fi
[ -n "${SKIP_BUILD:-}" ] || cargo build --release --bin encours >/dev/null 2>&1
BIN=$PWD/target/release/encours

# The same layout as the in-process harness: account in a preamble, day-first dates,
# decimal commas.
bank_csv() {
    awk -v n="$1" 'BEGIN {
        print "IBAN : FR76 3000 6000 0112 3456 7890 189;;;"
        print "Date opération;Libellé;Montant;Devise"
        for (i = 0; i < n; i++) {
            t = 1686787200 + int(i * 730 / n) * 86400
            cents = 1000 + (i * 7919) % 900000
            sign = (i % 5 == 4) ? "-" : ""
            printf "%s;VIR SEPA CLIENT %05d FACT FA-%06d;%s%d,%02d;EUR\n",
                strftime("%d/%m/%Y", t, 1), i % 20000, i + 1, sign, int(cents / 100), cents % 100
        }
    }'
}

cat >"$OUT/bank.rules" <<'RULES'
skip 2
separator ;
fields date, description, amount, currency
date-format %d/%m/%Y
decimal-mark ,
account1 assets:bank
account2 income:unknown
RULES

peak() { awk -F': ' '/Maximum resident/ {printf "%.0f MB", $2/1024}' "$1"; }
wall() { awk -F': ' '/Elapsed \(wall/ {print $2}' "$1"; }

for n in 10000 100000 1000000; do
    f="$OUT/bank-$n.csv"
    [ -f "$f" ] || bank_csv "$n" >"$f"
    rm -f "$OUT/imp.db"*
    /usr/bin/time -v -o "$OUT/imp-$n.time" "$BIN" --db "$OUT/imp.db" --today 2026-06-15 import "$f" >/dev/null
    echo "encours import $n lines: wall $(wall "$OUT/imp-$n.time"), peak RSS $(peak "$OUT/imp-$n.time")"
    if [ "$n" -le 100000 ] && command -v hyperfine >/dev/null; then
        hyperfine -N --style basic --runs 5 --prepare "rm -f $OUT/imp.db $OUT/imp.db-wal $OUT/imp.db-shm" \
            "$BIN --db $OUT/imp.db --today 2026-06-15 import $f" --export-markdown "$OUT/imp-$n.md" 2>&1 | grep -E "Time|Range" || true
    fi
    if [ "$n" -le 100000 ] && command -v hledger >/dev/null; then
        /usr/bin/time -v -o "$OUT/hl-$n.time" hledger -f "$f" --rules-file "$OUT/bank.rules" print >/dev/null
        echo "hledger print $n lines: wall $(wall "$OUT/hl-$n.time"), peak RSS $(peak "$OUT/hl-$n.time")"
        if [ "$n" -le 10000 ] && command -v hyperfine >/dev/null; then
            hyperfine -N --style basic --runs 3 "hledger -f $f --rules-file $OUT/bank.rules print" 2>&1 | grep -E "Time|Range" || true
        fi
    fi
done

# The cockpit under tmux: wall time until the overview shows, then peak RSS after walking
# every screen.
DB=${1:-$(ls -S target/bench-data/middle-*[0-9].db 2>/dev/null | head -1)}
if [ -n "$DB" ] && command -v tmux >/dev/null; then
    S=encours-bench-$$
    for run in 1 2 3; do
        rm -f "$OUT/cockpit.time"
        start=$(date +%s%N)
        tmux -L "$S" new-session -d -x 200 -y 50 -s c \
            "env TERM=xterm-256color LANG=en_GB.UTF-8 /usr/bin/time -v -o $OUT/cockpit.time $BIN --db $DB --today 2026-06-15"
        until tmux -L "$S" capture-pane -p -t c | grep -q "Aged receivables"; do sleep 0.01; done
        first=$((($(date +%s%N) - start) / 1000000))
        for k in 2 j j enter Escape 3 4 5 6 7 1; do tmux -L "$S" send-keys -t c "$k"; sleep 0.2; done
        tmux -L "$S" send-keys -t c q
        while [ ! -s "$OUT/cockpit.time" ]; do sleep 0.1; done
        sleep 0.2
        echo "cockpit ($(basename "$DB")) run $run: first frame seen after ${first} ms (tmux polling included), peak RSS $(peak "$OUT/cockpit.time")"
        tmux -L "$S" kill-server 2>/dev/null || true
    done
fi
