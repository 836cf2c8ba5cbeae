#!/usr/bin/env bash
# dist.sh BINARY: package the desktop build for Linux into build/dist/ (`make dist` builds the
# binary first). Makes
#   blotter_<debian version>_<arch>.deb     with dpkg-deb: /usr/bin/blotter (the app and the
#                                           CLI), the desktop entry, the icons, the copyright
#   blotter_<version>_linux_<arch>.tar.gz   the binary, the desktop entry, the icon, README.md
# The version is the one stamped into the binary, so the package never names other code than
# it holds; a binary without one (a plain `go build`) is refused.
set -euo pipefail
cd "$(dirname "$0")/.."
umask 022

bin=${1:-build/bin/blotter}
out=build/dist

die() { echo "dist: $*" >&2; exit 1; }
[ -x "$bin" ] || die "no binary at $bin: run 'make dist' (or 'make build' first)"
command -v dpkg-deb >/dev/null || die "dpkg-deb is needed (Debian's dpkg package)"
command -v go >/dev/null || die "go is needed to list the modules compiled in (go version -m)"
command -v convert >/dev/null || die "ImageMagick's convert is needed for the icon sizes (apt-get install imagemagick)"

# "blotter 0.9.0-3-gabc1234-dirty (commit abc1234, built 2026-11-23)"
line=$("$bin" --version) || die "$bin --version failed"
version=$(sed -n 's/^blotter \([^ ]*\) (commit .*/\1/p' <<<"$line")
[ -n "$version" ] || die "$bin --version said '$line', not 'blotter VERSION (commit …)'"
[ "$version" != dev ] || die "$bin has no version stamped in (built without make): build it with 'make build'"

# Debian's version has to start with a digit and may not hold '-' without a Debian revision:
# v0.9.0 -> 0.9.0; 0.9.0-3-gabc1234-dirty -> 0.9.0+3.gabc1234.dirty; with no tag yet,
# abc1234-dirty -> 0.0~gitabc1234.dirty (sorts before any release).
debversion() {
	local v=$1
	if [[ $v =~ ^[0-9] ]]; then
		v=${v/-/+}
	else
		v=0.0~git$v
	fi
	v=${v//-/.}
	[[ $v =~ ^[0-9][A-Za-z0-9.+~]*$ ]] || die "cannot make a Debian version of '$1'"
	echo "$v"
}
debver=$(debversion "$version")
arch=$(dpkg --print-architecture)

# Runtime dependencies: the libraries the binary links (objdump -p build/bin/blotter | grep
# NEEDED), turned into packages by `dpkg-shlibdeps -O build/bin/blotter` on Debian 12:
#   libc6 (>= 2.34), libgdk-pixbuf-2.0-0 (>= 2.22.0), libglib2.0-0 (>= 2.16.0),
#   libgtk-3-0 (>= 3.21.4), libjavascriptcoregtk-4.1-0, libsoup-3.0-0 (>= 2.4.0),
#   libwebkit2gtk-4.1-0 (>= 2.39.91)
# Kept as a list here rather than run at each build, as dpkg-shlibdeps needs dpkg-dev and a
# debian/ tree. Run it again after adding a cgo library. Everything else (X11 for screenshots,
# the clipboard and hotkeys; D-Bus for the keyring and capture forwarding) is spoken in pure Go.
depends="libc6 (>= 2.34), libgdk-pixbuf-2.0-0 (>= 2.22.0), libglib2.0-0 (>= 2.16.0), libgtk-3-0 (>= 3.21.4), libjavascriptcoregtk-4.1-0, libsoup-3.0-0 (>= 2.4.0), libwebkit2gtk-4.1-0 (>= 2.39.91)"
# Not needed to run, but used when there: links open in the browser through xdg-open; tokens
# are kept in a Secret Service keyring (gnome-keyring, or KDE's or KeePassXC's: only suggested).
recommends="xdg-utils"
suggests="gnome-keyring"

rm -f "$out"/blotter_*.deb "$out"/blotter_*_linux_*.tar.gz # the Windows installer stays
mkdir -p "$out"

# The desktop entry must be one desktops accept (desktop-file-utils; `make deps` installs it).
if command -v desktop-file-validate >/dev/null; then
	desktop-file-validate build/linux/blotter.desktop || die "build/linux/blotter.desktop does not validate"
else
	echo "dist: desktop-file-validate not found (apt-get install desktop-file-utils): the desktop entry is not checked" >&2
fi

# stage DIR: the installed tree, as /usr has it.
stage() {
	local root=$1
	install -D -m 0755 "$bin" "$root/usr/bin/blotter"
	install -D -m 0644 build/linux/blotter.desktop "$root/usr/share/applications/blotter.desktop"
	for size in 16 24 32 48 64 128 256 512; do
		mkdir -p "$root/usr/share/icons/hicolor/${size}x${size}/apps"
		convert build/appicon.png -resize "${size}x${size}" -strip "PNG32:$root/usr/share/icons/hicolor/${size}x${size}/apps/blotter.png"
	done
	install -D -m 0644 build/appicon.svg "$root/usr/share/icons/hicolor/scalable/apps/blotter.svg"
	install -D -m 0644 README.md "$root/usr/share/doc/blotter/README.md"
	# The copyright file names the Go modules compiled into the binary.
	mkdir -p "$root/usr/share/doc/blotter"
	awk -v modules="$modules" '$1 == "@GO_MODULES@" { print modules; next } { print }' \
		build/linux/copyright >"$root/usr/share/doc/blotter/copyright"
	chmod 0644 "$root/usr/share/doc/blotter/copyright"
}
modules=$(go version -m "$bin" | awk '$1 == "dep" { printf " %s %s\n", $2, $3 }') || die "go version -m $bin failed"

# The Debian package.
pkg="$out/blotter_${debver}_${arch}"
stage "$pkg"
mkdir -p "$pkg/DEBIAN"
(cd "$pkg" && find usr -type f -print0 | sort -z | xargs -0 md5sum) >"$pkg/DEBIAN/md5sums"
installed=$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
cat >"$pkg/DEBIAN/control" <<CONTROL
Package: blotter
Version: $debver
Architecture: $arch
Maintainer: ${DEB_MAINTAINER:-Blotter developers <blotter@example.invalid>}
Installed-Size: $installed
Depends: $depends
Recommends: $recommends
Suggests: $suggests
Section: utils
Priority: optional
Description: security incident timeline: instant capture, a tamper-evident record
 Blotter keeps a security incident's timeline while the incident is happening:
 notes stamped the moment they are typed, evidence files hashed into a vault,
 and every edit kept as a revision in a hash-chained log. One binary is the
 desktop app (GTK and WebKitGTK) and the command line (blotter help).
CONTROL
chmod 0644 "$pkg/DEBIAN/control" "$pkg/DEBIAN/md5sums"
# --root-owner-group: the files are root's in the package whoever builds it (no fakeroot).
dpkg-deb --root-owner-group --build "$pkg" "$pkg.deb" >/dev/null
rm -rf "$pkg"

# The tarball: for other distributions, or no root; README says where the files go.
tarname="blotter_${version}_linux_${arch}"
tardir="$out/$tarname"
mkdir -p "$tardir"
install -m 0755 "$bin" "$tardir/blotter"
install -m 0644 build/linux/blotter.desktop "$tardir/blotter.desktop"
convert build/appicon.png -resize 256x256 -strip "PNG32:$tardir/blotter.png"
install -m 0644 build/appicon.svg "$tardir/blotter.svg"
install -m 0644 README.md "$tardir/README.md"
tar -C "$out" --sort=name --owner=0 --group=0 --numeric-owner -cf - "$tarname" | gzip -n -9 >"$tardir.tar.gz"
rm -rf "$tardir"

ls -l "$out"
