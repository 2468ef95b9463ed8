#!/usr/bin/env bash
# Runs mcalc's benchmarks and the peers' (PyTorch, NumPy) in one go, checks that
# the numbers agree to 1e-9 relative, and prints one table with the ratios.
# Usage: bench/run.sh        (not part of CI; needs about 2 GB of memory)
# Needs: python3-torch python3-numpy libopenblas0-pthread (installed if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
for p in python3-torch python3-numpy libopenblas0-pthread; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if ((${#need[@]})); then apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; fi
scripts/setup.sh >/dev/null
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DMCALC_BUILD_TESTS=OFF -DMCALC_BUILD_BENCH=ON >/dev/null
cmake --build build-bench -j"$(nproc)" --target mcalc_bench >/dev/null
build-bench/mcalc_bench > build-bench/mcalc.json
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE slow current numpy/torch down where set; unset them for the peers only.
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/peers.py > build-bench/peers.json
/usr/bin/python3 - build-bench/mcalc.json build-bench/peers.json <<'PY'
import json, sys
import numpy as np
m = json.load(open(sys.argv[1])); p = json.load(open(sys.argv[2]))

def agree(a, b):
    """Largest difference relative to the largest entry; must be <= 1e-9."""
    a, b = np.atleast_1d(np.array(a, dtype=float)), np.atleast_1d(np.array(b, dtype=float))
    return float(np.abs(a - b).max() / max(np.abs(b).max(), 1e-300))

def ms(s): return "%.2f ms" % (s * 1e3)
rows, failed = [], []
def check(name, rel):
    if not rel <= 1e-9: failed.append("%s: relative difference %.2e" % (name, rel))
    return "%.1e" % rel

for N in (500000, 1000000):
    k = "mse_%d" % N; a, b = m[k], p[k]
    rel = max(agree(a["value"], b["value"]), agree(a["grad_w"], b["grad_w"]), agree(a["grad_b"], b["grad_b"]))
    agreement = check(k, rel)
    rows.append(("MSE-ReLU value + grads by w, b; X %d x 64" % N, ms(a["seconds"]),
                 "torch forward + backward %s" % ms(b["seconds"]), "%.2fx faster" % (b["seconds"] / a["seconds"]),
                 "target >= 2x", agreement))
    rows.append(("  the same vs one read of X", ms(a["seconds"]), "torch X@w %s" % ms(b["xw_seconds"]),
                 "%.2fx the time of X@w" % (a["seconds"] / b["xw_seconds"]), "target <= 1.5x", agreement))
for d in (300, 100):
    k = "hessian_%d" % d; a, b = m[k], p[k]
    agreement = check(k, agree(a["hessian"], b["hessian"]))
    if not b["closed_form_agrees"] <= 1e-9: failed.append("%s: NumPy closed form vs torch %.2e" % (k, b["closed_form_agrees"]))
    name = "logistic Hessian, N 10000, d %d" % d
    rows.append((name, ms(a["seconds"]), "torch hessian %s" % ms(b["torch_seconds"]),
                 "%.1fx faster" % (b["torch_seconds"] / a["seconds"]), "target >= 10x" if d == 300 else "", agreement))
    rows.append(("  the same", ms(a["seconds"]), "torch hessian vectorize=True %s" % ms(b["torch_vectorize_seconds"]),
                 "%.1fx faster" % (b["torch_vectorize_seconds"] / a["seconds"]), "target >= 4x" if d == 300 else "",
                 agreement))
    rows.append(("  the same", ms(a["seconds"]), "NumPy (X*r[:,None]).T @ X %s" % ms(b["numpy_seconds"]),
                 "%.2fx the time of NumPy" % (a["seconds"] / b["numpy_seconds"]), "target <= 1.2x" if d == 300 else "",
                 agreement))
Ls = [1, 2, 4, 8, 16, 32, 64]
t = {L: m["tanh_%d" % L]["seconds"] for L in Ls}
for L in Ls:
    rows.append(("symbolic gradient by W1, L-layer tanh network, L = %d" % L, ms(t[L]), "", 
                 "%.2f ms per layer" % (t[L] * 1e3 / L), "L = 64 under 5 ms" if L == 64 else "",
                 "%d chars" % m["tanh_%d" % L]["chars"]))
print("threads: mcalc %s; torch %s with %d threads; numpy %s %s" % (
    m["threads"], p["torch_version"], p["torch_threads"], p["numpy_version"], p.get("numpy_blas", "")))
print("| problem | mcalc | peer | ratio | target | agreement |")
print("|---|---|---|---|---|---|")
for r in rows: print("| " + " | ".join(r) + " |")
print("time(L = 64) / time(L = 32) = %.2f (2 for time linear in L)" % (t[64] / t[32]))
if failed:
    print("DISAGREEMENT (the ratios above count for nothing):\n  " + "\n  ".join(failed))
    sys.exit(1)
PY
