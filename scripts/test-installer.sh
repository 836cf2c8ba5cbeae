#!/usr/bin/env bash
# test-installer.sh SETUP.EXE: installs Blotter's Windows installer under Wine (a fresh prefix)
# as a user would, silently, and checks what it did; then an upgrade over it, then the
# uninstaller. `make test-cross` runs it on the installer `make dist-windows` built.
set -euo pipefail
cd "$(dirname "$0")/.."
setup=${1:?usage: test-installer.sh SETUP.EXE}
[ -f "$setup" ] || { echo "test-installer: no $setup" >&2; exit 1; }
work=$(mktemp -d)
source scripts/wine/prefix.sh
trap '"${wine%64}server64" -k 2>/dev/null || true; rm -rf "$work"' EXIT
wine_prefix "$work"

fail() { echo "test-installer: $*" >&2; exit 1; }
# reg_value KEY NAME: the value's data, or nothing.
reg_value() { "$wine" reg query "$1" /v "$2" 2>/dev/null | tr -d '\r' | awk -v n="$2" '$1 == n { $1 = ""; $2 = ""; sub(/^  /, ""); print }'; }
users="$WINEPREFIX/drive_c/users/$(id -un)"
dir="$users/AppData/Local/Programs/Blotter"
windir='C:\users\'"$(id -un)"'\AppData\Local\Programs\Blotter'
uninstall_key='HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\Blotter'
run_key='HKCU\Software\Microsoft\Windows\CurrentVersion\Run'
approved_key='HKCU\Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run'

# The user's own PATH entries must survive install and uninstall.
"$wine" reg add 'HKCU\Environment' /v Path /t REG_EXPAND_SZ /d 'C:\tools;C:\more tools' /f >/dev/null

install() {
	"$wine" "$setup" /S || fail "the installer failed"
	"${wine%64}server64" -w
}
install
for f in blotter.exe blotter-cli.exe blotter.ico README.md uninstall.exe; do
	[ -f "$dir/$f" ] || fail "$f was not installed in $dir"
done
cmp -s build/cross/blotter.exe "$dir/blotter.exe" || fail "the installed blotter.exe is not the one built"
[ -f "$users/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Blotter.lnk" ] || fail "no Start menu shortcut"
[ "$(reg_value "$uninstall_key" DisplayName)" = Blotter ] || fail "not listed in Settings > Apps (no DisplayName)"
[ "$(reg_value "$uninstall_key" UninstallString)" = "\"$windir\\uninstall.exe\"" ] ||
	fail "UninstallString is '$(reg_value "$uninstall_key" UninstallString)'"
[ "$(reg_value 'HKCU\Environment' Path)" = "C:\\tools;C:\\more tools;$windir" ] ||
	fail "PATH after install is '$(reg_value 'HKCU\Environment' Path)'"

# The installed CLI runs, and keeps a record in the user's data dir.
version=$("$wine" "$dir/blotter-cli.exe" --version | tr -d '\r') || fail "blotter-cli --version failed"
[[ $version == "blotter "* ]] || fail "blotter-cli --version said '$version'"
"$wine" "$dir/blotter-cli.exe" incident new "Installer test" >/dev/null || fail "blotter-cli incident new failed"
"$wine" "$dir/blotter-cli.exe" note "from the installed CLI" >/dev/null || fail "blotter-cli note failed"
"$wine" "$dir/blotter-cli.exe" timeline | tr -d '\r' | grep -q "from the installed CLI" || fail "the note is not on the timeline"
data=$(find "$users" -name blotter.db -not -path "*/Programs/*" | head -1)
[ -n "$data" ] || fail "no data dir with blotter.db under $users"

# An upgrade (the same installer again) adds the folder to PATH once, not twice.
install
[ "$(reg_value 'HKCU\Environment' Path)" = "C:\\tools;C:\\more tools;$windir" ] ||
	fail "PATH after a second install is '$(reg_value 'HKCU\Environment' Path)'"

# Start at login, turned on from the installed CLI, starts the app beside it (the CLI has no
# window); uninstalling takes it away too.
"$wine" "$dir/blotter-cli.exe" config set autostart on >/dev/null || fail "blotter-cli config set autostart on failed"
[ "$(reg_value "$run_key" Blotter)" = "$windir\blotter.exe --side" ] ||
	fail "the Run value is '$(reg_value "$run_key" Blotter)', want the app with --side"
[ "$("$wine" "$dir/blotter-cli.exe" config get autostart | tr -d '\r')" = on ] || fail "config get autostart is not on"
# Turned off in Task Manager (its bytes for "off"): Blotter says off; the uninstaller removes it.
"$wine" reg add "$approved_key" /v Blotter /t REG_BINARY /d 030000000000000000000000 /f >/dev/null ||
	fail "cannot write Task Manager's switch"
[ "$("$wine" "$dir/blotter-cli.exe" config get autostart | tr -d '\r')" = off ] ||
	fail "config get autostart is not off while Task Manager has it off"
"$wine" "$dir/uninstall.exe" /S || fail "the uninstaller failed"
"${wine%64}server64" -w # it copies itself to a temp folder and runs from there
[ ! -e "$dir" ] || fail "$dir is still there after uninstalling: $(ls "$dir")"
[ ! -e "$users/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Blotter.lnk" ] || fail "the Start menu shortcut is still there"
[ -z "$(reg_value "$uninstall_key" DisplayName)" ] || fail "still listed in Settings > Apps"
[ -z "$(reg_value "$run_key" Blotter)" ] || fail "still started at login"
[ -z "$(reg_value "$approved_key" Blotter)" ] || fail "Task Manager's switch for Blotter is still there"
[ "$(reg_value 'HKCU\Environment' Path)" = 'C:\tools;C:\more tools' ] ||
	fail "PATH after uninstalling is '$(reg_value 'HKCU\Environment' Path)', want the user's own entries"
[ -f "$data" ] || fail "uninstalling removed the record ($data): it must stay"
echo "test-installer: $(basename "$setup") installs, upgrades and uninstalls under Wine $("$wine" --version) ($version)"
