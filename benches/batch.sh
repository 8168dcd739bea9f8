#!/usr/bin/env bash
# Times `vakt --batch` over N generated queries (default 1 000 000): a mix of add, between
# and classify over all five agreements and many report times. Prints the wall time and the
# peak resident memory. Usage: benches/batch.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
cargo build --release --quiet
queries=$(mktemp)
trap 'rm -f "$queries"' EXIT
awk -v n="$n" 'BEGIN {
  split("ssbtek support|altinn service_desk|borger-dk primary|inera kontorstid|difi user_support", s, "|");
  for (i = 0; i < n; i++) {
    day = 1 + i % 28; hour = i % 24; month = 1 + int(i / 28) % 12;
    at = sprintf("2026-%02d-%02dT%02d:%02d:00+01:00", month, day, hour, i % 60);
    k = i % 5; split(s[k + 1], p, " ");
    if (i % 3 == 0) printf "{\"op\":\"add\",\"agreement\":\"%s\",\"schedule\":\"%s\",\"at\":\"%s\",\"duration\":\"%s\"}\n", p[1], p[2], at, (i % 2 ? "8h" : "3wd");
    else if (i % 3 == 1) printf "{\"op\":\"between\",\"agreement\":\"%s\",\"schedule\":\"%s\",\"from\":\"%s\",\"to\":\"2027-01-15T12:00:00+01:00\"}\n", p[1], p[2], at;
    else printf "{\"op\":\"classify\",\"agreement\":\"ssbtek\",\"at\":\"%s\",\"impact\":\"%d\"}\n", at, 1 + i % 4;
  }
}' > "$queries"
echo "queries: $n"
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f "wall %e s, peak RSS %M KiB" ./target/release/vakt --batch < "$queries" > /dev/null
else
  time ./target/release/vakt --batch < "$queries" > /dev/null
fi
