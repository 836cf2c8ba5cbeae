#!/usr/bin/env bash
# dist-macos.sh VERSION: the macOS app, build/dist/Blotter.app (one universal binary, Apple
# silicon and Intel) and build/dist/blotter_<VERSION>_macos_universal.zip of it. It runs on a
# Mac with Xcode's command line tools (clang, lipo, iconutil, sips, codesign, ditto): Wails'
# macOS window is Objective-C built with cgo against Apple's SDK, which no Linux machine has.
# The app is signed ad hoc (Apple silicon runs nothing unsigned); a Developer ID signature
# and notarisation are for whoever ships it. Never run on this project's CI (Linux).
set -euo pipefail
cd "$(dirname "$0")/.."
umask 022

version=${1:?usage: dist-macos.sh VERSION}
die() { echo "dist-macos: $*" >&2; exit 1; }
[ "$(uname -s)" = Darwin ] || die "the macOS app is built on a Mac (Wails' macOS window needs Apple's SDK and cgo): run 'make dist-macos' there"
for tool in clang lipo iconutil sips codesign ditto; do
	command -v "$tool" >/dev/null || die "$tool is needed: install Xcode's command line tools (xcode-select --install)"
done
numeric=0.0.0
if [[ $version =~ ^([0-9]+)\.([0-9]+)\.([0-9]+) ]]; then
	numeric="${BASH_REMATCH[1]}.${BASH_REMATCH[2]}.${BASH_REMATCH[3]}"
fi

(cd frontend && npm ci --no-audit --no-fund && npm run build)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ldflags="-w -s -X github.com/blotterapp/blotter/internal/version.Version=$version"
ldflags+=" -X github.com/blotterapp/blotter/internal/version.Commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
for arch in arm64 amd64; do
	target=$([ $arch = arm64 ] && echo arm64-apple-macos10.15 || echo x86_64-apple-macos10.15)
	CGO_ENABLED=1 GOOS=darwin GOARCH=$arch CC="clang -target $target" CGO_LDFLAGS="-mmacosx-version-min=10.15" \
		go build -tags desktop,production,sqlite_fts5 -ldflags "$ldflags" -o "$work/Blotter-$arch" .
done

app=build/dist/Blotter.app
rm -rf "$app"
mkdir -p "$app/Contents/MacOS" "$app/Contents/Resources"
lipo -create -output "$app/Contents/MacOS/Blotter" "$work/Blotter-arm64" "$work/Blotter-amd64"
sed -e "s/@VERSION@/$version/" -e "s/@NUMERIC_VERSION@/$numeric/" build/darwin/Info.plist >"$app/Contents/Info.plist"
plutil -lint "$app/Contents/Info.plist"

iconset="$work/Blotter.iconset"
mkdir -p "$iconset"
for size in 16 32 128 256 512; do
	sips -z $size $size build/appicon.png --out "$iconset/icon_${size}x${size}.png" >/dev/null
	sips -z $((size * 2)) $((size * 2)) build/appicon.png --out "$iconset/icon_${size}x${size}@2x.png" >/dev/null
done
iconutil -c icns -o "$app/Contents/Resources/Blotter.icns" "$iconset"

codesign --force --deep --sign - "$app"
codesign --verify --deep --strict "$app"
"$app/Contents/MacOS/Blotter" --version
ditto -c -k --keepParent "$app" "build/dist/blotter_${version}_macos_universal.zip"
ls -l "build/dist/blotter_${version}_macos_universal.zip"
