; Blotter's Windows installer (NSIS 3, Debian's `nsis`): scripts/dist-windows.sh builds it with
;   makensis -DVERSION=0.9.0 -DNUMERIC_VERSION=0.9.0.0 -DSRC=<folder with the files> -DOUTFILE=<setup.exe>
; A per-user install: no administrator needed (responders' laptops are often locked down), into
; %LOCALAPPDATA%\Programs\Blotter, as other per-user desktop apps do. It installs the desktop app
; (blotter.exe, a GUI program) and the command line (blotter-cli.exe, a console program, as a GUI
; program has no console to print to), a Start menu shortcut, the folder on the user's PATH as
; `blotter-cli`, and an entry in Settings > Apps to uninstall. The data dir is the user's and is
; kept on uninstall: it holds the record.

; A 64-bit installer: the app is amd64 only, and Debian's Wine (wine64), which tests it, runs
; 64-bit programs only.
Target amd64-unicode
ManifestDPIAware true
RequestExecutionLevel user
SetCompressor /SOLID lzma

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "StrFunc.nsh"
!include "WinMessages.nsh"
${StrStr}
${UnStrRep}

!define APP "Blotter"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Blotter"
; WebView2, which the window is drawn with: Windows 11 and current Windows 10 have it.
!define WEBVIEW2_KEY "Software\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"

Name "${APP}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\Blotter"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
BrandingText "${APP} ${VERSION}"

VIProductVersion "${NUMERIC_VERSION}"
VIAddVersionKey "ProductName" "${APP}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "FileDescription" "${APP} installer"
VIAddVersionKey "LegalCopyright" "Blotter developers"

!define MUI_ICON "${SRC}\blotter.ico"
!define MUI_UNICON "${SRC}\blotter.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\blotter.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Start Blotter"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Function .onInit
	; The window needs WebView2; say so, with where to get it, rather than install an app that
	; cannot open (the installer downloads nothing itself).
	ReadRegStr $0 HKLM "${WEBVIEW2_KEY}" "pv"
	${If} $0 == ""
		ReadRegStr $0 HKCU "${WEBVIEW2_KEY}" "pv"
	${EndIf}
	${If} $0 == ""
	${OrIf} $0 == "0.0.0.0"
		IfSilent +2
		MessageBox MB_OK|MB_ICONINFORMATION "Blotter's window needs Microsoft Edge WebView2, which this computer does not seem to have.$\n$\nThe command line (blotter-cli) works without it. Get WebView2 from https://developer.microsoft.com/microsoft-edge/webview2/"
	${EndIf}
FunctionEnd

Section "Blotter" SecMain
	SetOutPath "$INSTDIR"
	File "${SRC}\blotter.exe"
	File "${SRC}\blotter-cli.exe"
	File "${SRC}\blotter.ico"
	File "${SRC}\README.md"
	WriteUninstaller "$INSTDIR\uninstall.exe"

	CreateDirectory "$SMPROGRAMS"
	CreateShortcut "$SMPROGRAMS\Blotter.lnk" "$INSTDIR\blotter.exe" "" "$INSTDIR\blotter.ico"

	WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP}"
	WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
	WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "Blotter developers"
	WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\blotter.ico"
	WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
	WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
	WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
	WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
	WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
	SectionGetSize ${SecMain} $0
	WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" $0

	; The folder on the user's PATH (once), so that a new terminal finds blotter-cli.
	ReadRegStr $0 HKCU "Environment" "Path"
	${StrStr} $1 ";$0;" ";$INSTDIR;"
	${If} $1 == ""
		${If} $0 == ""
			WriteRegExpandStr HKCU "Environment" "Path" "$INSTDIR"
		${Else}
			WriteRegExpandStr HKCU "Environment" "Path" "$0;$INSTDIR"
		${EndIf}
		SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=2000
	${EndIf}
SectionEnd

Section "Uninstall"
	; A running app holds blotter.exe open: ask for it to be closed first.
retry:
	Delete "$INSTDIR\blotter.exe"
	${If} ${FileExists} "$INSTDIR\blotter.exe"
		MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "Blotter is running. Close it, then retry." /SD IDCANCEL IDRETRY retry
		Abort "Blotter is running: close it and uninstall again."
	${EndIf}
	Delete "$INSTDIR\blotter-cli.exe"
	Delete "$INSTDIR\blotter.ico"
	Delete "$INSTDIR\README.md"
	Delete "$INSTDIR\uninstall.exe"
	RMDir "$INSTDIR"
	Delete "$SMPROGRAMS\Blotter.lnk"
	DeleteRegKey HKCU "${UNINSTALL_KEY}"
	; Starting at login is the app's setting (a Run value, and Task Manager's switch for it):
	; it goes with the app.
	DeleteRegValue HKCU "Software\Microsoft\Windows\CurrentVersion\Run" "Blotter"
	DeleteRegValue HKCU "Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run" "Blotter"

	ReadRegStr $0 HKCU "Environment" "Path"
	${UnStrRep} $1 ";$0;" ";$INSTDIR;" ";"
	; Take off the separators added around it above.
	StrCpy $2 $1 1
	${If} $2 == ";"
		StrCpy $1 $1 "" 1
	${EndIf}
	StrCpy $2 $1 1 -1
	${If} $2 == ";"
		StrCpy $1 $1 -1
	${EndIf}
	${If} $1 != $0
		${If} $1 == ""
			DeleteRegValue HKCU "Environment" "Path"
		${Else}
			WriteRegExpandStr HKCU "Environment" "Path" "$1"
		${EndIf}
		SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=2000
	${EndIf}
SectionEnd
