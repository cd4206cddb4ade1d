#!/usr/bin/env bash
# The root file system of Gatehouse's container image, built from this machine's JDK with no registry
# and no Docker daemon (`mvn -Pimage package` runs it before Jib): a jlink'd Java runtime with only the
# modules Gatehouse uses, the shared libraries it and the bundled Cedar native library link against,
# a non-root user (10001, group 0) and the data directory. Linux x86_64 only: the libraries come from
# this machine. With registry access, a standard JRE base image replaces all this (see docs/deploy.md).
#   usage: root.sh OUTPUT_DIR GATEHOUSE_JAR [BASE_IMAGE]
# With a BASE_IMAGE other than scratch (a JRE image from a registry), only the data directory is made.
set -euo pipefail
out="$1"
jar="$2"
base="${3:-scratch}"
if [ "$base" != scratch ]; then
  rm -rf "$out"
  mkdir -p "$out/data"
  echo "image root: the data directory only (base image $base brings the Java runtime)"
  exit 0
fi
[ "$(uname -m)" = x86_64 ] || { echo "root.sh: builds an x86_64 image only (this machine is $(uname -m))" >&2; exit 1; }
java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
# What `jdeps --print-module-deps` finds in the jar, plus the EC provider (ES256 tokens), zip file systems
# and XML (logback configuration).
modules=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,java.scripting,java.security.jgss,java.sql,java.xml,jdk.crypto.ec,jdk.management,jdk.net,jdk.unsupported,jdk.zipfs

rm -rf "$out"
mkdir -p "$out/opt" "$out/etc" "$out/tmp" "$out/data"
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=2 \
  --output "$out/opt/java"
# Distribution JDKs link some security files to /etc; the image needs the files themselves.
for f in "$out"/opt/java/lib/security/* "$out"/opt/java/conf/security/*; do
  [ -L "$f" ] && cp --remove-destination -L "$(readlink -f "$f")" "$f"
done
find "$out/opt/java" -xtype l -delete

# A headless server: the desktop's native libraries (X11, sound, fonts, images) are never loaded, so
# neither they nor what they link against go into the image.
( cd "$out/opt/java/lib" && rm -f libawt_xawt.so libjawt.so libsplashscreen.so libjsound.so libfontmanager.so liblcms.so \
    libmlib_image.so libjavajpeg.so libawt.so libawt_headless.so )

natives="$(mktemp -d)"
trap 'rm -rf "$natives"' EXIT
unzip -q -o "$jar" 'jne/linux/x86_64/*' -d "$natives"
{
  find "$out/opt/java" "$natives" -type f \( -name '*.so' -o -perm -u+x \)
} | while read -r elf; do
  ldd "$elf" 2>/dev/null | awk '/=> \// {print $3} /^\t\/[^ ]+ \(/ {print $1}'
done | sort -u | grep -v "^$out/" | while read -r lib; do
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
done

printf 'root:x:0:0:root:/root:/sbin/nologin\ngatehouse:x:10001:0:Gatehouse:/data:/sbin/nologin\n' > "$out/etc/passwd"
printf 'root:x:0:\n' > "$out/etc/group"
printf 'hosts: files dns\n' > "$out/etc/nsswitch.conf"
echo "image root: $(du -sh "$out" | cut -f1) in $out"
