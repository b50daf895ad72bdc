#!/bin/sh
# Fills fuzz/corpus/TARGET (git-ignored) with the shared samples and our own fixtures, so
# that the fuzzer starts from real exports. Sample files are never committed (licences).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
samples="$here/../../shared/samples"
fixtures="$here/../tests/fixtures"
config="$here/../config"
seed() { # target, then source folders or files
    t=$1; shift
    mkdir -p "$here/corpus/$t"
    for src in "$@"; do
        [ -e "$src" ] || { echo "seed.sh: $src not found, skipped" >&2; continue; }
        find "$src" -type f -size -300k | while read -r f; do
            cp "$f" "$here/corpus/$t/$(echo "$f" | sed 's#.*/\(.*/.*\)$#\1#; s#/#_#g')"
        done
    done
}
seed bank_xml "$samples/camt053" "$samples/camt054" "$samples/ofx" "$fixtures"
seed bank_text "$samples/mt940" "$samples/cfonb120" "$samples/cfonb240" "$fixtures"
seed csv "$samples/bank_csv" "$fixtures"
seed invoice_xml "$samples/ubl" "$samples/cii" "$samples/facturx" "$fixtures"
seed fec "$samples/fec" "$fixtures"
seed detect "$samples" "$fixtures"
seed config "$config"
for d in "$here"/corpus/*; do echo "$(basename "$d"): $(ls "$d" | wc -l) seed(s)"; done
