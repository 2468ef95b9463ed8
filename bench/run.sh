#!/usr/bin/env bash
# Runs mcalc's benchmarks and the peers' (PyTorch autograd, SymPy) in one go and
# prints the ratios. Usage: bench/run.sh [N n hessian_n]   (default 1000 100 200)
# Needs: python3-torch python3-sympy python3-numpy libopenblas0-pthread (installed if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}; n=${2:-100}; hn=${3:-200}
need=()
for p in python3-torch python3-sympy python3-numpy libopenblas0-pthread; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if ((${#need[@]})); then apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; fi
scripts/setup.sh >/dev/null
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DMCALC_BUILD_TESTS=OFF -DMCALC_BUILD_BENCH=ON >/dev/null
cmake --build build-bench -j"$(nproc)" --target mcalc_bench >/dev/null
build-bench/mcalc_bench "$N" "$n" "$hn" > build-bench/mcalc.json
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE slow current numpy/torch down where set; unset them for the peers only.
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/peers.py "$N" "$n" "$hn" > build-bench/peers.json
/usr/bin/python3 - build-bench/mcalc.json build-bench/peers.json <<'PY'
import json, sys
m = json.load(open(sys.argv[1])); p = json.load(open(sys.argv[2]))
def us(s): return "%.1f us" % (s * 1e6)
print("sizes: N = %d, n = %d, hessian n = %d; torch %s with %d threads; sympy %s"
      % (m["N"], m["n"], m["hessian_n"], p["torch_version"], p["torch_threads"], p["sympy_version"]))
print("| problem | mcalc | peer | ratio (peer / mcalc) |")
print("|---|---|---|---|")
print("| MSE gradient wrt w, numeric | %s | torch autograd %s | %.2fx |" % (us(m["mse_grad_w"]), us(p["mse_grad_w"]), p["mse_grad_w"] / m["mse_grad_w"]))
print("| Hessian of x'Ax, numeric (closed form derived once) | %s | torch.autograd.functional.hessian %s | %.1fx |" % (us(m["hessian_xAx"]), us(p["hessian_xAx"]), p["hessian_xAx"] / m["hessian_xAx"]))
print("| Hessian of x'Ax, derivation + numeric | %s | torch.autograd.functional.hessian %s | %.1fx |" % (us(m["hessian_xAx_with_derivation"]), us(p["hessian_xAx"]), p["hessian_xAx"] / m["hessian_xAx_with_derivation"]))
print("| gradient of x'Ax, symbolic (text in, simplified text out) | %s -> %s | sympy %s -> %s | %.0fx |" % (us(m["symbolic_grad_xAx"]), m["symbolic_grad_xAx_result"], us(p["grad_xAx"]["seconds"]), p["grad_xAx"]["result"], p["grad_xAx"]["seconds"] / m["symbolic_grad_xAx"]))
print("| Hessian of x'Ax, symbolic | %s -> %s | sympy: no Hessian of matrix expressions | |" % (us(m["symbolic_hessian_xAx"]), m["symbolic_hessian_xAx_result"]))
print("| MSE gradient of the ReLU neuron, symbolic | %s -> %s | sympy (least squares, no ReLU) -> %s (silently wrong) | |" % (us(m["symbolic_mse_grad"]), m["symbolic_mse_grad_result"], p["mse"]["result"]))
print("| ReLU neuron max(0, w'x + b) d/dw, symbolic | step(w'*x + b)*x' | sympy -> %s (silently wrong) | |" % p["neuron_relu"]["result"])
print("| d log det A / dA, symbolic | inv(A)' | sympy -> %s (silently wrong) | |" % p["logdet"]["result"])
PY
