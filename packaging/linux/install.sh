#!/usr/bin/env bash
# Install the desktop build (dist/PolyglotReader, made by `pyinstaller --noconfirm build.spec`) for
# the current user, with no root and no Python needed:
#
#   ~/.local/opt/polyglot-reader/            the bundle (replaced as a whole on re-install)
#   ~/.local/bin/reader, reader-cli          symlinks into it
#   ~/.local/share/applications/polyglot-reader.desktop
#   ~/.local/share/icons/hicolor/<size>/apps/polyglot-reader.{png,svg}
#
# Usage: packaging/linux/install.sh [BUNDLE_DIR]     (default: dist/PolyglotReader of this checkout)
#        packaging/linux/install.sh --uninstall
set -euo pipefail

APP_ID=polyglot-reader
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DATA_HOME="${XDG_DATA_HOME:-$HOME/.local/share}"
OPT_DIR="$HOME/.local/opt/$APP_ID"
BIN_DIR="$HOME/.local/bin"
APPS_DIR="$DATA_HOME/applications"
ICONS_DIR="$DATA_HOME/icons/hicolor"
PROGRAMS=(reader reader-cli)

die() { echo "install.sh: $*" >&2; exit 1; }

refresh_caches() {
    # Optional desktop tools: menus and icon themes pick the changes up without them, only later.
    if command -v update-desktop-database >/dev/null; then update-desktop-database -q "$APPS_DIR" || true; fi
    if command -v gtk-update-icon-cache >/dev/null && [ -f "$ICONS_DIR/index.theme" ]; then
        gtk-update-icon-cache -q -t "$ICONS_DIR" || true
    fi
}

uninstall() {
    for name in "${PROGRAMS[@]}"; do
        link="$BIN_DIR/$name"
        # Only our own symlinks: a `reader` from pip or elsewhere stays.
        if [ -L "$link" ] && [[ "$(readlink "$link")" == "$OPT_DIR/"* ]]; then rm -f "$link"; fi
    done
    rm -f "$APPS_DIR/$APP_ID.desktop"
    rm -f "$ICONS_DIR"/*/apps/"$APP_ID".png "$ICONS_DIR/scalable/apps/$APP_ID.svg"
    rm -rf "$OPT_DIR"
    refresh_caches
    echo "Polyglot Reader uninstalled (your library in ~/.local/share/PolyglotReader is kept)."
}

install() {
    local bundle="${1:-$HERE/../../dist/PolyglotReader}"
    if [ ! -x "$bundle/reader" ] || [ ! -x "$bundle/reader-cli" ]; then
        die "no built bundle at $bundle: run 'pyinstaller --noconfirm build.spec' first, or pass its folder"
    fi
    bundle="$(cd "$bundle" && pwd)"
    local resources="$bundle/_internal/resources"
    [ -d "$resources/icons" ] || die "$bundle has no _internal/resources/icons: is it a Polyglot Reader build?"

    # Copy beside the old install, then swap, so a failed copy leaves the old one working.
    mkdir -p "$(dirname "$OPT_DIR")" "$BIN_DIR" "$APPS_DIR"
    rm -rf "$OPT_DIR.new"
    cp -a "$bundle" "$OPT_DIR.new"
    rm -rf "$OPT_DIR"
    mv "$OPT_DIR.new" "$OPT_DIR"

    for name in "${PROGRAMS[@]}"; do
        ln -sfn "$OPT_DIR/$name" "$BIN_DIR/$name"
    done

    # Exec=reader relies on ~/.local/bin being on the PATH of the desktop session, which it often is
    # not: point the installed entry at the symlink itself.
    sed -e "s|^Exec=reader |Exec=$BIN_DIR/reader |" -e "s|^TryExec=reader$|TryExec=$BIN_DIR/reader|" \
        "$HERE/$APP_ID.desktop" > "$APPS_DIR/$APP_ID.desktop"
    chmod 644 "$APPS_DIR/$APP_ID.desktop"

    local png size
    for png in "$resources"/icons/icon-*.png; do
        size="${png##*/icon-}"; size="${size%.png}"
        mkdir -p "$ICONS_DIR/${size}x${size}/apps"
        cp "$png" "$ICONS_DIR/${size}x${size}/apps/$APP_ID.png"
    done
    if [ -f "$resources/icon.svg" ]; then
        mkdir -p "$ICONS_DIR/scalable/apps"
        cp "$resources/icon.svg" "$ICONS_DIR/scalable/apps/$APP_ID.svg"
    fi
    refresh_caches

    echo "Polyglot Reader installed in $OPT_DIR"
    echo "  programs: $BIN_DIR/reader, $BIN_DIR/reader-cli"
    echo "  menu entry: $APPS_DIR/$APP_ID.desktop"
    case ":$PATH:" in
        *":$BIN_DIR:"*) ;;
        *) echo "  note: $BIN_DIR is not on your PATH; add it to run reader and reader-cli from a shell." ;;
    esac
}

case "${1:-}" in
    --uninstall) uninstall ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' ;;
    *) install "$@" ;;
esac
