#!/usr/bin/env bash
# windows-resources.sh VERSION OUT.syso: the Windows resources of blotter.exe, compiled with
# mingw-w64's windres into a COFF object that `go build` links into a Windows build of the
# package it lies in: the icon (resource 3, the one Wails' window takes), the manifest
# (build/windows/blotter.exe.manifest: per-monitor DPI awareness) and the version information
# Explorer shows (Properties > Details). `make cross` runs it for the desktop build only.
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:?usage: windows-resources.sh VERSION OUT.syso}
out=${2:?usage: windows-resources.sh VERSION OUT.syso}
die() { echo "windows-resources: $*" >&2; exit 1; }
windres=x86_64-w64-mingw32-windres
command -v "$windres" >/dev/null || die "$windres is needed (Debian's binutils-mingw-w64-x86-64, which gcc-mingw-w64-x86-64 brings)"
command -v convert >/dev/null || die "ImageMagick's convert is needed for the icon"

# Windows' numeric version takes the leading X.Y.Z of the version, else 0.0.0; the text keeps
# it whole (a resource string cannot hold a double quote).
numeric=0,0,0,0
if [[ $version =~ ^([0-9]+)\.([0-9]+)\.([0-9]+) ]]; then
	numeric="${BASH_REMATCH[1]},${BASH_REMATCH[2]},${BASH_REMATCH[3]},0"
fi
text=${version//\"/}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
convert build/appicon.png -define icon:auto-resize=256,64,48,32,16 "$work/blotter.ico"
cp build/windows/blotter.exe.manifest "$work/"
cat >"$work/blotter.rc" <<RC
3 ICON "blotter.ico"
1 24 "blotter.exe.manifest"
1 VERSIONINFO
FILEVERSION $numeric
PRODUCTVERSION $numeric
FILEFLAGSMASK 0x3f
FILEFLAGS 0x0
FILEOS 0x40004
FILETYPE 0x1
FILESUBTYPE 0x0
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "040904b0"
    BEGIN
      VALUE "CompanyName", "Blotter"
      VALUE "FileDescription", "Blotter, the incident timeline"
      VALUE "FileVersion", "$text"
      VALUE "InternalName", "blotter"
      VALUE "LegalCopyright", "Blotter's authors"
      VALUE "ProductName", "Blotter"
      VALUE "ProductVersion", "$text"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x409, 1200
  END
END
RC
(cd "$work" && "$windres" --input blotter.rc --output-format coff --output resources.syso)
mv "$work/resources.syso" "$out"
