#!/usr/bin/env bash
# The engine benchmark on the device machine (NVIDIA H200, x86-64, no network, no Node.js) in ONE call:
# webgpu (Dawn: Vulkan first, then OpenGL ES through EGL) and, for comparison, wasm on N processes and the
# PyTorch peer on the CPU (python3 there holds torch). Writes under $OUT (at most 8 files come back):
#   env.txt      nvidia-smi, OS, glibc, libraries found, the loader variables used
#   probe.txt    every Dawn adapter found: Vulkan and OpenGL ES, each on its own
#   webgpu-small.csv, webgpu-large.csv
#                `repro bench engine` rows for tfjs-webgpu (1 process; adapter in the note) + PyTorch 1 thread
#   wasm.csv     rows for tfjs-wasm (1 process, N processes, data-parallel) + PyTorch 1 and N threads
#   adapter.json the adapter the webgpu rows ran on
#   log.txt      everything printed
#
# Before the call, ONCE, on the machine that holds the repository (the session's own, with network):
#   1. the Vulkan/EGL loaders (the device image may have none; as the device tool's README describes):
#        echo /.gl/ >>.git/info/exclude; mkdir -p .gl /tmp/amd64/partial
#        o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
#        apt-get $o update; (cd .gl && apt-get $o download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
#   2. the kit (.gpu/, about 54 MiB: Node, the bundle, dawn.node, the wasm binaries):
#        bash benchmarks/engine/gpu/prepare.sh
# Then the device tool's run, with carry ['.gpu', '.gl'] and timeout_s 480:
#        bash benchmarks/engine/gpu/run-on-device.sh
# Expected: 2 to 3 minutes. Each stage has its own time limit (45 + 2 x 120 + 150 s), so the command ends
# within about 7.5 minutes whatever happens, and its files come back.
#
# Knobs (environment): BENCH_MODELS (small,large), GPU_WARMUP (3), GPU_STEPS (10), CPU_WARMUP (1), CPU_STEPS (3),
# CPU_PROCESSES (all cores), SKIP_WEBGPU=1, SKIP_WASM=1. For a test on a machine that is not the device:
# KIT_LOCAL_TEST=1 (never unpacks .gl into /), KIT_DIR=<a copy of .gpu>, OUT=<folder>.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
KIT=${KIT_DIR:-$ROOT/.gpu}
OUT=${OUT:-/tmp/gpu-kit-out}
mkdir -p "$OUT"
MODELS=${BENCH_MODELS:-small,large}
T0=$SECONDS
stage() { echo; echo "== [$((SECONDS - T0)) s] $*"; }

main() {
[[ -f $KIT/node.xz && -f $KIT/app/bench/engine.mjs ]] || { echo "no kit at $KIT: run benchmarks/engine/gpu/prepare.sh first, and carry .gpu"; return 1; }

stage "loaders"
if [[ ${KIT_LOCAL_TEST:-0} == 1 ]]; then
  echo "KIT_LOCAL_TEST=1: .gl not unpacked, system libraries used"
elif ls "$ROOT"/.gl/*.deb >/dev/null 2>&1; then
  for f in "$ROOT"/.gl/*.deb; do dpkg -x "$f" /; done
  ldconfig
  echo "unpacked: $(cd "$ROOT/.gl" && ls *.deb | tr '\n' ' ')"
else
  echo "no .gl/*.deb carried: using whatever loaders the image has"
fi
# The NVIDIA driver's own ICD and EGL vendor files (a read-only mount on the device image).
NV=/usr/local/nvidia/share
[[ -f $NV/vulkan/icd.d/nvidia_icd.json ]] && export VK_DRIVER_FILES=$NV/vulkan/icd.d/nvidia_icd.json
[[ -f $NV/glvnd/egl_vendor.d/10_nvidia.json ]] && export __EGL_VENDOR_LIBRARY_FILENAMES=$NV/glvnd/egl_vendor.d/10_nvidia.json
export EGL_PLATFORM=${EGL_PLATFORM:-surfaceless}
# dawn.node dlopens the unversioned "libEGL.so", which only the -dev package links: link it privately.
PRIV=/tmp/gpu-kit-lib
mkdir -p "$PRIV"
egl=$(ldconfig -p | awk '/libEGL\.so\.1 .*x86-64/ { print $NF; exit }')
[[ -n $egl ]] && ln -sf "$egl" "$PRIV/libEGL.so"
# Node and dawn.node need libstdc++ with GLIBCXX_3.4.30 (GCC 12+); the kit carries one for older images.
stdcxx=$(ldconfig -p | awk '/libstdc\+\+\.so\.6 .*x86-64/ { print $NF; exit }')
if [[ -n $stdcxx ]] && grep -aq GLIBCXX_3.4.30 "$stdcxx"; then
  export LD_LIBRARY_PATH=$PRIV${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
else
  echo "system libstdc++ (${stdcxx:-none}) lacks GLIBCXX_3.4.30: using the kit's"
  export LD_LIBRARY_PATH=$PRIV:$KIT/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
fi

stage "node"
NODE=/tmp/gpu-kit-node
if command -v xz >/dev/null; then xz -dc "$KIT/node.xz" >"$NODE"
else python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$KIT/node.xz" "$NODE"; fi
chmod +x "$NODE"
"$NODE" --version || { echo "the kit's node does not start here (ldd follows)"; ldd "$NODE"; return 1; }

stage "machine"
{
  date -u +%FT%TZ
  uname -a
  grep PRETTY_NAME /etc/os-release
  ldd --version | head -1
  echo "cores: $(nproc)"
  command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv
  nvidia-smi 2>&1 | head -20
  echo "VK_DRIVER_FILES=${VK_DRIVER_FILES:-} __EGL_VENDOR_LIBRARY_FILENAMES=${__EGL_VENDOR_LIBRARY_FILENAMES:-} EGL_PLATFORM=$EGL_PLATFORM"
  echo "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
  ldconfig -p | grep -E 'libvulkan|libEGL|libGLESv2|libnvidia-glcore|libEGL_nvidia|libGLX_nvidia' || echo "(no vulkan/EGL libraries in ldconfig)"
  ls /usr/share/vulkan/icd.d /etc/vulkan/icd.d /usr/share/glvnd/egl_vendor.d 2>/dev/null
  python3 -c 'import torch; print("python3 torch", torch.__version__, "cuda", torch.cuda.is_available())' 2>&1 | tail -1
} 2>&1 | tee "$OUT/env.txt"

stage "adapters (Dawn)"
# Each backend on its own, in the kit's webgpu package; process.exit keeps Dawn's instance from hanging.
cat >/tmp/gpu-kit-probe.mjs <<'EOF'
const { create } = await import(process.argv[2]);
for (const [flags, options] of [[['backend=vulkan'], {}], [['backend=opengles'], { featureLevel: 'compatibility' }]]) {
  try {
    const gpu = create(flags);
    const adapter = await gpu.requestAdapter(options);
    if (!adapter) { console.log(`${flags}: no adapter`); continue; }
    const { vendor, architecture, device, description } = adapter.info;
    console.log(`${flags}: vendor=${vendor} architecture=${architecture} device=${device} description=${description}`);
    console.log(`  features: ${[...adapter.features].sort().join(' ')}`);
    console.log(`  maxComputeWorkgroupStorageSize=${adapter.limits.maxComputeWorkgroupStorageSize} maxStorageBufferBindingSize=${adapter.limits.maxStorageBufferBindingSize} maxBufferSize=${adapter.limits.maxBufferSize}`);
  } catch (error) {
    console.log(`${flags}: ${error.message}`);
  }
}
process.exit(0);
EOF
(cd /tmp && timeout 45 "$NODE" /tmp/gpu-kit-probe.mjs "$KIT/app/bench/node_modules/webgpu/index.js") 2>&1 | tee "$OUT/probe.txt"

# The bench runs from /tmp: nothing but the kit is in reach. One run per model, so that a slow large model
# cannot cost the small model's figures.
for model in ${MODELS//,/ }; do
  [[ ${SKIP_WEBGPU:-0} == 1 ]] && break
  stage "webgpu: $model, 1 process, ${GPU_WARMUP:-3} warm-up + ${GPU_STEPS:-10} timed steps (and PyTorch, 1 CPU thread)"
  (cd /tmp && NODE_PATH= timeout 120 "$NODE" "$KIT/app/bench/engine.mjs" --models "$model" --backends webgpu --processes 1 \
    --warmup "${GPU_WARMUP:-3}" --steps "${GPU_STEPS:-10}" --out "$OUT" --name "webgpu-$model")
  echo "webgpu $model: exit $?"
done

if [[ ${SKIP_WASM:-0} != 1 ]]; then
  P=${CPU_PROCESSES:-$(nproc)}
  stage "wasm: $MODELS, 1 and $P processes, ${CPU_WARMUP:-1} warm-up + ${CPU_STEPS:-3} timed steps (PyTorch peer on the CPU too)"
  (cd /tmp && NODE_PATH= timeout 150 "$NODE" "$KIT/app/bench/engine.mjs" --models "$MODELS" --backends wasm --processes "$P" \
    --warmup "${CPU_WARMUP:-1}" --steps "${CPU_STEPS:-3}" --out "$OUT" --name wasm)
  echo "wasm run: exit $?"
fi

stage "done"
ls -la "$OUT"
}

main 2>&1 | tee "$OUT/log.txt"
