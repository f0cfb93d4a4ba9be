#!/bin/sh
# Regenerate the JSON Schemas that speaker/peerwise/model/ checks in, from yang/.
# Usage: tools/pyang_plugins/regenerate.sh [OUTDIR]   (default: speaker/peerwise/model)
# PYANG overrides the pyang to run (default: .venv/bin/pyang, else pyang on PATH).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$root/speaker/peerwise/model}
pyang=${PYANG:-$root/.venv/bin/pyang}
[ -x "$pyang" ] || pyang=pyang
run() {
    "$pyang" -p "$root/yang" --plugindir "$root/tools/pyang_plugins" \
        -f peerwise-jsonschema "$@" "$root/yang/peerwise-bgp.yang"
}
run -o "$out/peerwise-bgp.schema.json"
run --peerwise-jsonschema-state -o "$out/peerwise-bgp-state.schema.json"
