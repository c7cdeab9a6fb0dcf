#!/usr/bin/env bash
# Builds the GPU kit: a self-contained folder .gpu/ at the repository root (ignored by git) that runs
# `repro bench engine`'s code path on a machine with no Node.js and no node_modules, such as the device
# machine (x86-64). benchmarks/engine/gpu/run-on-device.sh runs it there; see benchmarks/engine/README.md,
# "On a GPU machine".
#
#   bash benchmarks/engine/gpu/prepare.sh            # runs `npm run build` first
#   SKIP_BUILD=1 bash benchmarks/engine/gpu/prepare.sh   # dist/ is already current
# At the end it checks the kit from a copy outside the repository (SKIP_VERIFY=1 skips that): Node starts,
# dawn.node loads, and one wasm training step runs from the bundle with no node_modules in reach.
#
# .gpu/
#   node.xz                       this machine's Node binary (x86-64, needs glibc >= 2.28 and libstdc++)
#   lib/                          this machine's libstdc++.so.6 and libgcc_s.so.1: used there only if the
#                                 system's libstdc++ lacks GLIBCXX_3.4.30 (dawn.node needs it)
#   app/bench/engine.mjs          the bundle of entry.mjs (rolldown; every pure-JS dependency inlined)
#   app/bench/*.wasm              tfjs-backend-wasm's binaries (entry.mjs points setWasmPaths here)
#   app/bench/node_modules/webgpu index.js, package.json, dist/linux-x64/dawn.node (kept external)
#   benchmarks/peers/engine_peer.py  the PyTorch peer (src/bench/engine.ts looks for it under its package root,
#                                 which for the bundle is .gpu/)
#   MANIFEST.txt                  versions, sizes and sha256 of what is inside
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
cd "$ROOT"
KIT=$ROOT/.gpu
LIMIT_MIB=60
[[ $(uname -m) == x86_64 ]] || { echo "prepare.sh: the device machine is x86-64; build the kit on an x86-64 machine" >&2; exit 1; }
NODE_BIN=$(readlink -f "$(command -v node)")

# tsc writes dist/ even when it reports type errors (in files being edited by others, say): go on, and let
# the check at the end say whether the engine's code path runs.
if [[ ${SKIP_BUILD:-0} != 1 ]]; then npm run build || echo "prepare.sh: warning: tsc reported errors; dist/ was written anyway" >&2; fi
[[ -f dist/bench/engine.js ]] || { echo "prepare.sh: dist/ is missing: run npm run build" >&2; exit 1; }

rm -rf "$KIT"
mkdir -p "$KIT/app/bench/node_modules/webgpu/dist/linux-x64" "$KIT/lib" "$KIT/benchmarks/peers"

echo "== bundle (rolldown)"
GPU_KIT_BUNDLE=$KIT/app/bench/engine.mjs node_modules/.bin/rolldown -c benchmarks/engine/gpu/rolldown.config.mjs

echo "== webgpu (Linux x64 only), wasm binaries, peer"
W=node_modules/webgpu
cp "$W/index.js" "$W/package.json" "$KIT/app/bench/node_modules/webgpu/"
cp "$W/dist/linux-x64/dawn.node" "$KIT/app/bench/node_modules/webgpu/dist/linux-x64/"
cp node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm "$KIT/app/bench/"
cp benchmarks/peers/engine_peer.py "$KIT/benchmarks/peers/"

echo "== libstdc++ fallback"
for lib in libstdc++.so.6 libgcc_s.so.1; do
  path=$(ldd "$NODE_BIN" | awk -v l="$lib" '$1 == l { print $3 }')
  [[ -n $path ]] && cp -L "$path" "$KIT/lib/$lib"
done

echo "== node $("$NODE_BIN" --version) ($NODE_BIN), xz -9 (about a minute)"
nice xz -9 -T1 -c "$NODE_BIN" >"$KIT/node.xz"

{
  echo "repro GPU kit, made $(date -u +%FT%TZ) from commit $(git rev-parse --short HEAD)$(git diff --quiet -- src || echo ' (src modified)')"
  echo "node $("$NODE_BIN" --version), glibc $(ldd --version | head -1 | awk '{print $NF}') here; webgpu $(node -p "require('./$W/package.json').version"); @tensorflow/tfjs-backend-wasm $(node -p "require('./node_modules/@tensorflow/tfjs-backend-wasm/package.json').version"); rolldown $(node_modules/.bin/rolldown --version | awk '{print $NF}')"
  echo "node sha256 $(sha256sum "$NODE_BIN" | cut -d' ' -f1) (uncompressed)"
  (cd "$KIT" && find . -type f ! -name MANIFEST.txt -printf '%P\n' | sort | while read -r f; do printf '%10d  %s  %s\n' "$(stat -c %s "$f")" "$(sha256sum "$f" | cut -c1-16)" "$f"; done)
} >"$KIT/MANIFEST.txt"

bytes=$(du -sb "$KIT" | cut -f1)
mib=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
cat "$KIT/MANIFEST.txt"
echo "== .gpu/: $bytes bytes = $mib MiB (limit $LIMIT_MIB MiB; the call also carries the tree and .gl)"
if (( bytes > LIMIT_MIB * 1048576 )); then echo "prepare.sh: the kit is over $LIMIT_MIB MiB" >&2; exit 1; fi
grep -qx '/.gpu/' .gitignore || echo "prepare.sh: note: /.gpu/ is not in .gitignore" >&2
ls .gl/*.deb >/dev/null 2>&1 || echo "prepare.sh: note: .gl/ holds no .debs yet: run the download in run-on-device.sh's header" >&2

if [[ ${SKIP_VERIFY:-0} != 1 ]]; then
  echo "== check: the kit from a copy outside the repository (wasm, small model, 1 step; webgpu adapters probed)"
  T=$(mktemp -d /tmp/gpu-kit-verify.XXXXXX)
  cp -r "$KIT" "$T/kit"
  KIT_LOCAL_TEST=1 KIT_DIR=$T/kit OUT=$T/out BENCH_MODELS=small SKIP_WEBGPU=1 CPU_PROCESSES=1 CPU_WARMUP=0 CPU_STEPS=1 \
    bash "$ROOT/benchmarks/engine/gpu/run-on-device.sh" >"$T/stdout" 2>&1 || true
  if grep -q '^small,tfjs-wasm,1,1,[0-9]' "$T/out/wasm.csv" 2>/dev/null && ! grep -qi 'cannot find\|ERR_' "$T/out/probe.txt"; then
    echo "kit OK: $(grep '^small,tfjs-wasm,1,1,' "$T/out/wasm.csv" | cut -d, -f5) img/s on wasm; adapters here: $(grep -c ': vendor=' "$T/out/probe.txt")"
    rm -rf "$T"
  else
    echo "prepare.sh: the kit failed its check; see $T/stdout" >&2
    tail -20 "$T/stdout" >&2
    exit 1
  fi
fi
