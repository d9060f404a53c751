#!/bin/sh
# Installs the Debian packages the LDAP integration tests need: a Samba AD domain controller
# (samba, samba-ad-dc, winbind) and the OpenLDAP command-line tools (ldapmodify). Run as root.
# Idempotent: when everything is already installed it returns at once, without apt-get update.
set -eu

PACKAGES="samba samba-ad-dc winbind ldap-utils openssl"

missing=""
for pkg in $PACKAGES; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  case "$status" in
    "install ok installed") ;;
    *) missing="$missing $pkg" ;;
  esac
done

if [ -z "$missing" ]; then
  echo "ci-install: already installed: $PACKAGES"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "ci-install: must run as root to install:$missing" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "ci-install: installing:$missing"
apt-get update
# Recommended packages are wanted: samba-ad-dc relies on some of them (e.g. python3 modules).
# shellcheck disable=SC2086
apt-get install -y --install-recommends $missing
