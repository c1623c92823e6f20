#!/usr/bin/env bash
# Assembles the relay's container image without a Docker engine or a registry: a Debian runtime
# (glibc, libstdc++, zlib and OpenJDK 17's headless JRE, fetched by the host's apt, so Debian's
# signatures vouch for them) plus the relay's Spring Boot layers, written as a docker-archive tar
# that `docker load`, `podman load`, `skopeo copy docker-archive:...` and `crane push` all accept.
#
#   assemble.sh <relay boot jar> <work dir> <image name:tag> <output tar>
#
# Layers are reproducible for the same inputs: sorted entries, numeric root ownership, fixed times.
set -euo pipefail

jar=$(realpath "$1")
work=$2
image=$3
out=$4
# dash: initdb of the embedded PostgreSQL fallback runs /bin/sh; the relay itself never does.
packages=(libc6 libc-bin libgcc-s1 libstdc++6 zlib1g openjdk-17-jre-headless dash)
java_home=/usr/lib/jvm/java-17-openjdk-amd64
uid=10001
epoch=${SOURCE_DATE_EPOCH:-0}

command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || {
  echo "the image's runtime comes from Debian packages: build it on Debian or Ubuntu (apt-get, dpkg-deb)" >&2
  exit 1
}
arch=$(dpkg --print-architecture)
[ "$arch" = amd64 ] || java_home=/usr/lib/jvm/java-17-openjdk-$arch

rm -rf "$work" && mkdir -p "$work/debs" "$work/rootfs" "$work/blobs"
work=$(realpath "$work")

# apt verifies each package against the archive's signed index; a stale index gets a clear hint.
(cd "$work/debs" && apt-get download -q "${packages[@]}" 2>&1 | grep -v '^W: Download is performed unsandboxed') || {
  echo "apt-get download failed: refresh the package index (apt-get update) and build again" >&2
  exit 1
}
for deb in "$work"/debs/*.deb; do
  case $(basename "$deb") in
    # Only the C.UTF-8 locale from libc-bin: the JVM and initdb need a UTF-8 locale, not the tools.
    libc-bin_*) dpkg-deb -x "$deb" "$work/libc-bin" && mkdir -p "$work/rootfs/usr/lib/locale" &&
                cp -a "$work/libc-bin/usr/lib/locale/C.utf8" "$work/rootfs/usr/lib/locale/" ;;
    *) dpkg-deb -x "$deb" "$work/rootfs" ;;
  esac
done
package_list=$(for deb in "$work"/debs/*.deb; do dpkg-deb --show --showformat='${Package}=${Version}\n' "$deb"; done)

runtime=$work/rootfs
rm -rf "$runtime"/usr/share/{doc,man,lintian,gdb,bug} "$runtime"/usr/lib/debug
mkdir -p "$runtime"/{etc,tmp,app,home} "$runtime/usr/share/tunl"
chmod 1777 "$runtime/tmp"
printf 'root:x:0:0:root:/root:/sbin/nologin\ntunl:x:%s:%s:tunl relay:/home/tunl:/sbin/nologin\n' $uid $uid > "$runtime/etc/passwd"
printf 'root:x:0:\ntunl:x:%s:\n' $uid > "$runtime/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$runtime/etc/nsswitch.conf"
# Container runtimes mount their own /etc/hosts; this one makes "localhost" resolve without one.
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' > "$runtime/etc/hosts"
printf '%s\n' "$package_list" > "$runtime/usr/share/tunl/debian-packages.txt"

# Spring Boot's own layering: what changes least goes first, so upgrades pull only the top layers.
(cd "$work" && java -Djarmode=tools -jar "$jar" extract --layers --launcher --destination app)
# The embedded PostgreSQL fallback needs only this platform's binaries; the others are 100 MB.
find "$work/app" -name 'embedded-postgres-binaries-*.jar' ! -name "embedded-postgres-binaries-linux-$arch-[0-9]*" -delete

layer() { # layer <name> <dir> <path inside the image> <owner uid> [entries, default all]
  local tarfile=$work/blobs/$1.tar
  tar --create --file "$tarfile" --sort=name --mtime="@$epoch" --owner="$4" --group="$4" --numeric-owner \
      --format=posix --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
      --transform "s|^\.|$3|" -C "$2" "${@:5}"
  diff_ids+=("sha256:$(sha256sum "$tarfile" | cut -d' ' -f1)")
  gzip -n -f "$tarfile"
  layers+=("$1.tar.gz")
}
diff_ids=() layers=()
layer runtime "$runtime" . 0 .
for part in dependencies spring-boot-loader snapshot-dependencies application; do
  layer "$part" "$work/app/$part" ./app 0 .
done
# /data and /home/tunl belong to the relay's user; everything else is root's and read-only to it.
mkdir -p "$work/owned/data" "$work/owned/home/tunl"
layer owned "$work/owned" . $uid ./data ./home/tunl

json_list() { local first=1; printf '['; for item in "$@"; do [ $first = 1 ] || printf ','; first=0; printf '"%s"' "$item"; done; printf ']'; }
history() { local first=1; printf '['; for name in "${layers[@]}"; do [ $first = 1 ] || printf ','; first=0
  printf '{"created":"%s","created_by":"image/assemble.sh: %s"}' "$created" "${name%.tar.gz}"; done; printf ']'; }
created=$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)
version=${image##*:}
packages_label=$(printf '%s' "$package_list" | paste -sd, -)
cat > "$work/blobs/config.json" <<EOF
{"architecture":"$arch","os":"linux","created":"$created",
 "config":{
  "User":"$uid:$uid",
  "ExposedPorts":{"2222/tcp":{},"8080/tcp":{}},
  "Env":["PATH=$java_home/bin:/usr/bin:/bin","JAVA_HOME=$java_home","LANG=C.UTF-8","HOME=/home/tunl","TUNL_DATADIR=/data"],
  "Entrypoint":["$java_home/bin/java","-XX:MaxRAMPercentage=75","-XX:+ExitOnOutOfMemoryError","-cp","/app","org.springframework.boot.loader.launch.JarLauncher"],
  "WorkingDir":"/app",
  "Volumes":{"/data":{}},
  "Labels":{
   "org.opencontainers.image.title":"tunl-relay",
   "org.opencontainers.image.description":"tunl support-session relay: SSH on 2222, HTTP API and auditor page on 8080",
   "org.opencontainers.image.version":"$version",
   "com.linbit.tunl.debian-packages":"$packages_label"}},
 "rootfs":{"type":"layers","diff_ids":$(json_list "${diff_ids[@]}")},
 "history":$(history)}
EOF
config_name=$(sha256sum "$work/blobs/config.json" | cut -d' ' -f1).json
mv "$work/blobs/config.json" "$work/blobs/$config_name"
printf '[{"Config":"%s","RepoTags":["%s"],"Layers":%s}]\n' "$config_name" "$image" "$(json_list "${layers[@]}")" \
  > "$work/blobs/manifest.json"
mkdir -p "$(dirname "$out")"
tar --create --file "$out" --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner -C "$work/blobs" .
echo "wrote $image to $out ($(du -h "$out" | cut -f1)); runtime: $(printf '%s' "$package_list" | paste -sd' ' -)"
rm -rf "$work"
