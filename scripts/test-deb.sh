#!/usr/bin/env bash
# test-deb.sh: build the Debian package and check it as a user gets it.
#
# Always (no root needed, nothing installed on this machine):
#   - builds it with scripts/dist.sh from build/bin/blotter (made by `make test`'s desktop
#     step with the version stamped in; `make build` when there is none, or an unstamped one);
#   - dpkg-deb --info: name, architecture, the version the binary says, and a Depends that
#     covers every library the binary links (a new cgo library without its package fails);
#   - dpkg-deb --contents: the binary, the desktop entry, the icons, the copyright, all root's;
#   - the package unpacked to a temporary folder: the desktop entry validates, the icons have
#     their sizes, the binary says its version, and its window opens under Xvfb with the
#     WM_CLASS the entry's StartupWMClass names (what docks match the window to the entry by).
# With CI=1 or CI=true, as root or with sudo: installs it for real with apt-get, runs
# `blotter --version` and opens the window from $PATH, then removes it. A blotter installed
# some other way is left alone (that part is skipped).
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "test-deb: FAIL: $*" >&2; exit 1; }
say() { echo "test-deb: $*"; }
for tool in dpkg-deb Xvfb xdotool xprop identify dbus-daemon; do
	command -v "$tool" >/dev/null || die "$tool is missing: run 'make deps'"
done

tmp=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT

# (a) Build the package.
bin=build/bin/blotter
if [ ! -x "$bin" ] || [[ $("$bin" --version) == "blotter dev "* ]]; then
	make build
fi
./scripts/dist.sh "$bin" >/dev/null
debs=(build/dist/blotter_*.deb)
[ ${#debs[@]} = 1 ] && [ -f "${debs[0]}" ] || die "build/dist holds ${#debs[@]} packages: ${debs[*]}"
deb=${debs[0]}
say "built $deb ($(du -h "$deb" | cut -f1))"

# (b) Its control fields.
version=$(sed -n 's/^blotter \([^ ]*\) (commit .*/\1/p' <<<"$("$bin" --version)")
field() { dpkg-deb --field "$deb" "$1"; }
[ "$(field Package)" = blotter ] || die "Package: $(field Package)"
[ "$(field Architecture)" = "$(dpkg --print-architecture)" ] || die "Architecture: $(field Architecture)"
# The binary's version as Debian reads versions: 0.9.0-3-gabc1234-dirty is 0.9.0+3.gabc1234.dirty;
# before the first tag, abc1234 is 0.0~gitabc1234.
if [[ $version =~ ^[0-9] ]]; then
	want=$(sed 's/-/+/; s/-/./g' <<<"$version")
else
	want=0.0~git${version//-/.}
fi
debver=$(field Version)
[ "$debver" = "$want" ] || die "Version: $debver, want $want (the binary says $version)"
deb_name=$(basename "$deb")
[ "$deb_name" = "blotter_${debver}_$(field Architecture).deb" ] || die "the file is named $deb_name"
depends=$(field Depends)
for pkg in libgtk-3-0 libwebkit2gtk-4.1-0; do
	grep -qE "(^|, )$pkg( |,|$)" <<<"$depends" || die "Depends has no $pkg: $depends"
done
# Every library the binary links comes from a package it depends on.
for lib in $(objdump -p "$bin" | awk '$1 == "NEEDED" { print $2 }'); do
	owner=$(dpkg -S "*/$lib" 2>/dev/null | cut -d: -f1 | grep -v -- '-dev$' | head -1)
	[ -n "$owner" ] || die "no installed package holds $lib, which the binary links"
	grep -qE "(^|, )$owner( |,|$)" <<<"$depends" || die "the binary links $lib ($owner), which Depends does not name: $depends"
done
say "control: blotter $debver $(field Architecture), depends on the packages of every linked library"

# (b) Its contents.
contents=$(dpkg-deb --contents "$deb")
for path in ./usr/bin/blotter ./usr/share/applications/blotter.desktop ./usr/share/doc/blotter/copyright \
	./usr/share/icons/hicolor/48x48/apps/blotter.png ./usr/share/icons/hicolor/256x256/apps/blotter.png \
	./usr/share/icons/hicolor/scalable/apps/blotter.svg; do
	grep -qE " $path\$" <<<"$contents" || die "the package has no $path"
done
grep -qE '^-rwxr-xr-x root/root .* \./usr/bin/blotter$' <<<"$contents" || die "usr/bin/blotter is not an executable of root's: $(grep usr/bin/blotter <<<"$contents")"
if grep -vE '^[-d]rw[-x]r-[-x]r-[-x] root/root ' <<<"$contents"; then die "the lines above are not root's, or not plain files and folders"; fi
say "contents: $(wc -l <<<"$contents") entries, the expected paths present, all root's"

# Unpacked: the entry, the icons, the binary.
root="$tmp/root"
dpkg-deb --extract "$deb" "$root"
if command -v desktop-file-validate >/dev/null; then
	desktop-file-validate "$root/usr/share/applications/blotter.desktop" || die "the desktop entry does not validate"
fi
for size in 16 48 256 512; do
	got=$(identify -format '%wx%h' "$root/usr/share/icons/hicolor/${size}x${size}/apps/blotter.png")
	[ "$got" = "${size}x${size}" ] || die "the ${size}x${size} icon is $got"
done
grep -q '^ github.com/wailsapp/wails/v2 v' "$root/usr/share/doc/blotter/copyright" && ! grep -q @GO_MODULES@ "$root/usr/share/doc/blotter/copyright" ||
	die "the copyright file does not list the Go modules compiled in"
entry() { sed -n "s/^$1=//p" "$root/usr/share/applications/blotter.desktop" | head -1; }
[ "$(entry Exec)" = blotter ] && [ "$(entry Icon)" = blotter ] || die "the entry runs '$(entry Exec)' with icon '$(entry Icon)'"
got=$("$root/usr/bin/blotter" --version)
[ "$got" = "$("$bin" --version)" ] || die "the packaged binary says '$got'"
say "unpacked: the entry validates, the icons have their sizes, the copyright lists the modules, the binary says '$got'"

# The tarball beside it: the same binary, the entry, the icon, the README, in one folder.
tarball=build/dist/blotter_${version}_linux_$(dpkg --print-architecture).tar.gz
listing=$(tar -tzf "$tarball") || die "no tarball $tarball"
for f in blotter blotter.desktop blotter.png README.md; do
	grep -qx "blotter_${version}_linux_[a-z0-9]*/$f" <<<"$listing" || die "$tarball has no $f: $listing"
done
say "tarball: $(basename "$tarball") holds $(wc -l <<<"$listing") entries"

# window BINARY: the app opens its window on a display of its own (and a session bus of its
# own, so that no running Blotter takes the launch over), with the class the entry names.
window() {
	local app=$1 display data bus buspid pid win class xvfb
	exec 3>"$tmp/display"
	Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp >"$tmp/xvfb.log" 2>&1 &
	xvfb=$!
	pids+=("$xvfb")
	exec 3>&-
	for _ in $(seq 50); do [ -s "$tmp/display" ] && break; sleep 0.1; done
	display=:$(head -1 "$tmp/display")
	[ "$display" != : ] || die "Xvfb did not start: $(cat "$tmp/xvfb.log")"
	{ read -r bus; read -r buspid; } < <(dbus-daemon --session --fork --print-address=1 --print-pid=1)
	pids+=("$buspid")
	data=$(mktemp -d "$tmp/data.XXXX")
	DISPLAY=$display DBUS_SESSION_BUS_ADDRESS=$bus NO_AT_BRIDGE=1 "$app" --data-dir "$data" >"$tmp/app.log" 2>&1 &
	pid=$!
	pids+=("$pid")
	win=
	for _ in $(seq 60); do
		win=$(DISPLAY=$display xdotool search --name '^Blotter$' 2>/dev/null | head -1) || true
		[ -n "$win" ] && break
		kill -0 "$pid" 2>/dev/null || die "$app ended before its window showed: $(cat "$tmp/app.log")"
		sleep 0.5
	done
	[ -n "$win" ] || die "no Blotter window within 30 s: $(cat "$tmp/app.log")"
	class=$(DISPLAY=$display xprop -id "$win" WM_CLASS)
	[[ $class == *"\"$(entry StartupWMClass)\""* ]] || die "the window's $class is not the entry's StartupWMClass=$(entry StartupWMClass)"
	[ -f "$data/blotter.db" ] || die "the app opened no database in its data dir"
	kill "$pid" "$buspid" "$xvfb" 2>/dev/null || true
	wait "$pid" "$xvfb" 2>/dev/null || true
	pids=()
	say "$app: the window opened (${class#*= })"
}
window "$root/usr/bin/blotter"

# (c) Installed for real: in CI only, as it changes the machine.
if [ "${CI:-}" != 1 ] && [ "${CI:-}" != true ]; then
	say "not installed (CI is not set): the package checks out"
	exit 0
fi
sudo=
if [ "$(id -u)" != 0 ]; then
	sudo -n true 2>/dev/null || die "installing the package needs root or sudo without a password"
	sudo=sudo
fi
if dpkg -s blotter >/dev/null 2>&1; then
	say "a blotter package is installed already: left alone, the install is not tested"
	exit 0
fi
remove() { $sudo apt-get remove -y -qq blotter >/dev/null 2>&1 || true; cleanup; }
trap remove EXIT
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$PWD/$deb" >"$tmp/apt.log" 2>&1 ||
	die "apt-get install: $(cat "$tmp/apt.log")"
[ "$(command -v blotter)" = /usr/bin/blotter ] || die "blotter on \$PATH is $(command -v blotter)"
got=$(blotter --version)
[ "$got" = "$("$bin" --version)" ] || die "the installed blotter says '$got'"
say "installed: blotter --version says '$got'"
window blotter
$sudo apt-get remove -y -qq blotter >"$tmp/apt.log" 2>&1 || die "apt-get remove: $(cat "$tmp/apt.log")"
[ ! -e /usr/bin/blotter ] || die "/usr/bin/blotter is still there after apt-get remove"
say "removed: the package installs, runs and removes cleanly"
