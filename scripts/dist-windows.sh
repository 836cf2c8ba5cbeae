#!/usr/bin/env bash
# dist-windows.sh VERSION: the Windows installer, build/dist/blotter_<VERSION>_windows_amd64_setup.exe,
# from the cross build in build/cross/ (`make dist-windows` builds it first) with Debian's NSIS
# and build/windows/installer.nsi. The version is the Makefile's (the one stamped into the
# binaries); Windows' numeric file version takes its leading X.Y.Z, else 0.0.0.
set -euo pipefail
cd "$(dirname "$0")/.."
umask 022

version=${1:?usage: dist-windows.sh VERSION}
out=build/dist
die() { echo "dist-windows: $*" >&2; exit 1; }
command -v makensis >/dev/null || die "makensis is needed (Debian's nsis package; make deps installs it)"
command -v convert >/dev/null || die "ImageMagick's convert is needed for the icon"
for f in blotter.exe blotter-cli.exe; do
	[ -f "build/cross/$f" ] || die "no build/cross/$f: run 'make cross' first"
done

numeric=0.0.0.0
if [[ $version =~ ^([0-9]+)\.([0-9]+)\.([0-9]+) ]]; then
	numeric="${BASH_REMATCH[1]}.${BASH_REMATCH[2]}.${BASH_REMATCH[3]}.0"
fi

src=$(mktemp -d)
trap 'rm -rf "$src"' EXIT
cp build/cross/blotter.exe build/cross/blotter-cli.exe "$src/"
# README with Windows line ends, for Notepad.
sed 's/$/\r/' README.md >"$src/README.md"
convert build/appicon.png -define icon:auto-resize=256,64,48,32,16 "$src/blotter.ico"

mkdir -p "$out"
setup="$out/blotter_${version}_windows_amd64_setup.exe"
makensis -V2 -INPUTCHARSET UTF8 -DVERSION="$version" -DNUMERIC_VERSION="$numeric" -DSRC="$src" \
	-DOUTFILE="$(pwd)/$setup" build/windows/installer.nsi
file "$setup" | grep -q 'PE32+ executable (GUI) x86-64' || die "$setup is not a Windows GUI program: $(file "$setup")"
ls -l "$setup"
