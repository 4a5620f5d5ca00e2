#!/usr/bin/env bash
# Pack dist/Bellhop.app into a drag-to-Applications disk image (macOS only: hdiutil).
#   installers/macos/make_dmg.sh dist/Bellhop.app dist/Bellhop-0.1.0.dmg
# Sign and notarize the .app before this step for a release (README: "Signing").
set -euo pipefail
app="${1:?path to Bellhop.app}"
out="${2:?path of the .dmg to write}"
staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT
cp -R "$app" "$staging/"
ln -s /Applications "$staging/Applications"  # drag the app onto this
rm -f "$out"
hdiutil create -volname "Bellhop" -srcfolder "$staging" -fs HFS+ -format UDZO -ov "$out"
if [ -n "${BELLHOP_CODESIGN_IDENTITY:-}" ]; then
    codesign --sign "$BELLHOP_CODESIGN_IDENTITY" --timestamp "$out"
fi
echo "$out"
