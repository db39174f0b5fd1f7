#!/bin/sh
# fanin_smoke.sh ECHO LOAD - the C programs of `gentcp fanin` against each other (ctest
# fanin_smoke): fanin_echo serves, fanin_load keeps 50 connections busy for a second, checking
# every echo, and must print its line with errors=0. The server is killed however it ends.
set -eu
echo_bin=$1
load_bin=$2
out=$(mktemp)
"$echo_bin" --backlog 50 >"$out" &
server=$!
trap 'kill "$server" 2>/dev/null; rm -f "$out"' EXIT
tries=0
while ! grep -q '^listening on ' "$out"; do
    tries=$((tries + 1))
    if [ "$tries" -gt 100 ]; then
        echo "fanin_smoke: fanin_echo did not print its port within 10 s" >&2
        exit 1
    fi
    sleep 0.1
done
port=$(sed -n 's/^listening on //p' "$out")
line=$("$load_bin" --port "$port" --connections 50 --seconds 1 --warmup-seconds 0 --server-pid "$server")
echo "$line"
case "$line" in
msgs=0\ *) echo "fanin_smoke: no round trips" >&2; exit 1 ;;
msgs=*connections=50\ errors=0) ;;
*) echo "fanin_smoke: unexpected line" >&2; exit 1 ;;
esac
