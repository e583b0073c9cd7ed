#!/bin/sh
# gen.sh N P F [shootdown|local]: write tlbbench.m with those sizes to a temp file, print its path.
#   rumur --output tlb.c "$(./gen.sh 6 2 3)"
set -eu
[ $# -ge 3 ] || { echo "usage: $0 N P F [shootdown|local]" >&2; exit 2; }
dir=$(cd "$(dirname "$0")" && pwd)
case "${4:-shootdown}" in shootdown) sd=true ;; local) sd=false ;; *) echo "MODE: shootdown|local" >&2; exit 2 ;; esac
out=$(mktemp "${TMPDIR:-/tmp}/tlbbench-$1-$2-$3-XXXXXX.m")
sed -e "s/^  N: [0-9]*;/  N: $1;/" -e "s/^  P: [0-9]*;/  P: $2;/" -e "s/^  F: [0-9]*;/  F: $3;/" \
    -e "s/^  SHOOTDOWN: [a-z]*;/  SHOOTDOWN: $sd;/" "$dir/tlbbench.m" > "$out"
echo "$out"
