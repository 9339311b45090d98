#!/bin/sh
# make demo: start the simulated cluster on loopback with a realistic demo workload, open timon
# on it, and stop the cluster when timon exits.
set -eu
TIMON=${1:-build/timon}
DIR=$(mktemp -d "${TMPDIR:-/tmp}/timon-demo.XXXXXX")
cleanup() {
    [ -f "$DIR/pid" ] && kill "$(cat "$DIR/pid")" 2>/dev/null || true
    rm -rf "$DIR"
}
trap cleanup EXIT INT TERM

/usr/bin/python3 "$(dirname "$0")/kubesim.py" --demo --port 0 \
    --ready-file "$DIR/ready" --kubeconfig-out "$DIR/kubeconfig" \
    >"$DIR/kubesim.log" 2>&1 &
echo $! >"$DIR/pid"
i=0
while [ ! -s "$DIR/ready" ]; do
    i=$((i + 1))
    if [ $i -gt 300 ] || ! kill -0 "$(cat "$DIR/pid")" 2>/dev/null; then
        echo "the simulated cluster did not start:" >&2
        cat "$DIR/kubesim.log" >&2
        exit 1
    fi
    sleep 0.1
done
echo "simulated cluster at $(cat "$DIR/ready"); kubeconfig: $DIR/kubeconfig"
"$TIMON" --kubeconfig "$DIR/kubeconfig" -A
