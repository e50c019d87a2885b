#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian machine with the .NET SDK.
# Installs what is missing when it can (Debian: postgresql, chromium, the RADIUS and PAM clients freeradius-utils,
# pamtester and libpam-radius-auth, OpenLDAP's slapd and ldap-utils with libldap, apache2-utils, openssl and oathtool; npm: the independent checkers in
# tests/js),
# otherwise says exactly what to install. Each test process starts its own throwaway PostgreSQL cluster
# (initdb in a temporary folder, a free port) and stops it at the end.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v radclient >/dev/null 2>&1 || missing+=(freeradius-utils)
command -v pamtester >/dev/null 2>&1 || missing+=(pamtester)
ls /lib/*/security/pam_radius_auth.so /usr/lib/*/security/pam_radius_auth.so >/dev/null 2>&1 || missing+=(libpam-radius-auth)
[ -x /usr/sbin/slapd ] || missing+=(slapd)
command -v ldapmodify >/dev/null 2>&1 || missing+=(ldap-utils)
ls /usr/lib/*/libldap*.so* >/dev/null 2>&1 || missing+=(libldap-2.5-0)
# Independent writers of the password hashes SQL stores read: htpasswd (bcrypt) and openssl (PBKDF2, SHA-2).
command -v htpasswd >/dev/null 2>&1 || missing+=(apache2-utils)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
# An independent generator of HOTP/TOTP codes for the imported hardware tokens (RFC 4226/6238).
command -v oathtool >/dev/null 2>&1 || missing+=(oathtool)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing Debian packages: ${missing[*]}"
    apt-get update -qq
    # The tests start their own slapd: keep the package from starting a system one (policy-rc.d, exit 101).
    made_policy=""
    [ -e /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; made_policy=1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    [ -z "$made_policy" ] || rm -f /usr/sbin/policy-rc.d
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    echo "Installing Debian packages: ${missing[*]}"
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Missing: ${missing[*]}. Install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

(cd tests/js && npm ci --no-audit --no-fund --loglevel=error)

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
status=0
dotnet test Idp.sln -c Release --results-directory "$results" "$@" 2>&1 | tee "$results/output.txt" || status=$?

# One closing line for the whole run, summed over the test assemblies.
awk '/^(Passed|Failed)!/ {
       for (i = 1; i <= NF; i++) {
         gsub(",", "", $(i + 1))
         if ($i == "Failed:") f += $(i + 1)
         if ($i == "Passed:") p += $(i + 1)
         if ($i == "Skipped:") s += $(i + 1)
       }
     }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$results/output.txt"
exit $status
