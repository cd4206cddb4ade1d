#!/usr/bin/env bash
# Runs the image tarball of `mvn -Pimage package` without a container runtime: unpacks its layers into a
# directory and starts the image's own entrypoint there with chroot, as the image's user, then checks
# /healthz and /readyz. Needs root (chroot, mounting /proc) and python3; Linux x86_64.
#   usage: deploy/image/smoke-test.sh [gatehouse-server/target/gatehouse-image.tar] [port]
set -euo pipefail
tarball="${1:-gatehouse-server/target/gatehouse-image.tar}"
port="${2:-18080}"
work="$(mktemp -d)"
root="$work/root"
cleanup() {
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true
  umount "$root/proc" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/image" "$root"
tar -xf "$tarball" -C "$work/image"
python3 - "$work/image" "$root" "$work/run.sh" "$port" <<'PY'
import json, os, shlex, shutil, sys, tarfile
image, root, script, port = sys.argv[1:]
manifest = json.load(open(os.path.join(image, "manifest.json")))[0]
for layer in manifest["Layers"]:
    with tarfile.open(os.path.join(image, layer)) as t:
        t.extractall(root)
config = json.load(open(os.path.join(image, manifest["Config"])))["config"]
env = " ".join(shlex.quote(e) for e in config.get("Env", []))
argv = config.get("Entrypoint", []) + (config.get("Cmd") or [])
argv = [a if a != "0.0.0.0" else "127.0.0.1" for a in argv] + ["--port", port]
user = config.get("User", "0")
print("user", user, "volumes", list(config.get("Volumes", {})), "ports", list(config.get("ExposedPorts", {})))
print("entrypoint", " ".join(argv))
# The image has no shell: chroot runs the entrypoint itself, with exactly the image's environment.
with open(script, "w") as f:
    f.write(f"exec env -i {env} {shutil.which('chroot')} --userspec={user} {shlex.quote(root)} {' '.join(shlex.quote(a) for a in argv)}\n")
PY
mkdir -p "$root/proc" && mount -t proc proc "$root/proc"
bash "$work/run.sh" > "$work/out.log" 2>&1 &
pid=$!
for _ in $(seq 1 90); do
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  sleep 1
done
if ! curl -fsS "http://127.0.0.1:$port/healthz" || ! curl -fsS "http://127.0.0.1:$port/readyz"; then
  cat "$work/out.log" >&2
  echo "smoke test failed" >&2
  exit 1
fi
echo
grep -m1 "listening on" "$work/out.log"
echo "smoke test passed: the image's entrypoint serves as its non-root user"
