# Sourced by the scripts that run Windows programs under Wine (Debian's wine64):
#   source scripts/wine/prefix.sh; wine_prefix DIR
# makes a throwaway Wine prefix in DIR/prefix and exports what the programs run with; "$wine"
# runs a program. Debian 12's Wine 8.0 lacks bcryptprimitives.dll, whose ProcessPrng Go 1.22+
# needs for the runtime's random numbers: a ten-line stand-in (bcryptprimitives.c) is built
# with mingw-w64 and put in the prefix's system32.
wine=/usr/lib/wine/wine64
wine_prefix() {
	local dir=$1 here
	here=$(dirname "${BASH_SOURCE[0]}")
	[ -x "$wine" ] || { echo "wine64 is missing (make deps installs it)" >&2; return 1; }
	# mscoree and mshtml off: a first run would otherwise offer to download Mono and Gecko.
	export WINEPREFIX="$dir/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="bcryptprimitives=n;mscoree,mshtml="
	"$wine" wineboot --init >/dev/null 2>&1 || true
	printf 'LIBRARY bcryptprimitives\nEXPORTS\n  ProcessPrng\n' >"$dir/bcryptprimitives.def"
	x86_64-w64-mingw32-gcc -O2 -shared -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
		"$here/bcryptprimitives.c" "$dir/bcryptprimitives.def" -ladvapi32
}
