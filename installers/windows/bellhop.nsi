; Bellhop's Windows installer (NSIS 3, Modern UI 2).
; Built by `make installer` on Windows; compiled on Linux by tests/installer/test_nsis.py
; against a stand-in bundle to prove the script is valid.
;   makensis -DVERSION=0.1.0 -DBUNDLE=dist\bellhop -DICON=build\icons\bellhop.ico
;            -DOUTFILE=dist\Bellhop-0.1.0-setup.exe installers\windows\bellhop.nsi
; Installs for the current user only (no administrator prompt), into
; %LOCALAPPDATA%\Programs\Bellhop, like other per-user apps.

Unicode true
!include "MUI2.nsh"

!ifndef VERSION
  !define VERSION "0.0.0"
!endif
!ifndef BUNDLE
  !define BUNDLE "..\..\dist\bellhop"
!endif
!ifndef OUTFILE
  !define OUTFILE "Bellhop-${VERSION}-setup.exe"
!endif
!define APP "Bellhop"
!define EXE "bellhop.exe"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP}"
; The same value Bellhop's "Start Bellhop when I log in" setting writes and removes.
!define RUN_KEY "Software\Microsoft\Windows\CurrentVersion\Run"

Name "${APP}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP}"
InstallDirRegKey HKCU "Software\${APP}" "InstallDir"
RequestExecutionLevel user
SetCompressor /SOLID lzma
VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${APP}"
VIAddVersionKey "FileDescription" "${APP} installer"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "LegalCopyright" "MIT License"

!ifdef ICON
  !define MUI_ICON "${ICON}"
  !define MUI_UNICON "${ICON}"
!endif
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "TradChinese"

LangString NameApp ${LANG_ENGLISH} "Bellhop (required)"
LangString NameApp ${LANG_TRADCHINESE} "Bellhop（必要）"
LangString NameDesktop ${LANG_ENGLISH} "Desktop shortcut"
LangString NameDesktop ${LANG_TRADCHINESE} "桌面捷徑"
LangString NameStartup ${LANG_ENGLISH} "Start Bellhop when I log in"
LangString NameStartup ${LANG_TRADCHINESE} "登入時自動啟動 Bellhop"
LangString DescApp ${LANG_ENGLISH} "The app and a Start menu shortcut."
LangString DescApp ${LANG_TRADCHINESE} "程式本身與開始功能表捷徑。"
LangString DescDesktop ${LANG_ENGLISH} "A Bellhop icon on the desktop."
LangString DescDesktop ${LANG_TRADCHINESE} "在桌面放一個 Bellhop 圖示。"
LangString DescStartup ${LANG_ENGLISH} "So your rules keep working after the computer restarts. You can change this later in Settings."
LangString DescStartup ${LANG_TRADCHINESE} "電腦重新開機後規則仍會繼續運作。之後可在「設定」中更改。"
LangString RunningApp ${LANG_ENGLISH} "Bellhop is running. Quit it from its tray icon, then press Retry."
LangString RunningApp ${LANG_TRADCHINESE} "Bellhop 正在執行。請從系統匣圖示結束它，再按「重試」。"

Section "!$(NameApp)" SecApp
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; A running Bellhop keeps its files open: ask the user to quit it first.
  retry:
  ClearErrors
  IfFileExists "$INSTDIR\${EXE}" 0 copy
  FileOpen $0 "$INSTDIR\${EXE}" a
  IfErrors 0 closed
  MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(RunningApp)" IDRETRY retry
  Abort
  closed:
  FileClose $0
  copy:
  File /r "${BUNDLE}\*.*"
  CreateDirectory "$SMPROGRAMS\${APP}"
  CreateShortcut "$SMPROGRAMS\${APP}\${APP}.lnk" "$INSTDIR\${EXE}"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  WriteRegStr HKCU "Software\${APP}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "Bellhop"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${EXE}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Section /o "$(NameDesktop)" SecDesktop
  CreateShortcut "$DESKTOP\${APP}.lnk" "$INSTDIR\${EXE}"
SectionEnd

Section /o "$(NameStartup)" SecStartup
  WriteRegStr HKCU "${RUN_KEY}" "${APP}" '"$INSTDIR\${EXE}" --background'
SectionEnd

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecApp} $(DescApp)
  !insertmacro MUI_DESCRIPTION_TEXT ${SecDesktop} $(DescDesktop)
  !insertmacro MUI_DESCRIPTION_TEXT ${SecStartup} $(DescStartup)
!insertmacro MUI_FUNCTION_DESCRIPTION_END

Function .onInit
  !insertmacro MUI_LANGDLL_DISPLAY
FunctionEnd

Section "Uninstall"
  ; The data folder (%LOCALAPPDATA%\Bellhop: rules, events) and keychain entries stay:
  ; reinstalling brings everything back.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${APP}\${APP}.lnk"
  RMDir "$SMPROGRAMS\${APP}"
  Delete "$DESKTOP\${APP}.lnk"
  DeleteRegValue HKCU "${RUN_KEY}" "${APP}"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "Software\${APP}"
SectionEnd

Function un.onInit
  !insertmacro MUI_UNGETLANGUAGE
FunctionEnd
