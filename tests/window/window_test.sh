# Sourced by the window tests (POSIX sh) after `set -u`: window_test_start OUTDIR skips (exit 77) without Xvfb
# or xdotool, clears OUTDIR's screenshots and app log, starts a private Xvfb (tests/xvfb.sh) and makes sure
# that the app ($app_pid, set by the caller once it starts it) and Xvfb are ended on every exit path.
. "$(dirname "$0")/../xvfb.sh"
app_pid=
window_test_cleanup() {
    [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null
    [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null && wait "$xvfb_pid" 2>/dev/null
}
window_test_start() {
    command -v Xvfb >/dev/null || { echo "SKIP: Xvfb is not installed"; exit 77; }
    command -v xdotool >/dev/null || { echo "SKIP: xdotool is not installed (deps/debian-packages.txt)"; exit 77; }
    mkdir -p "$1"
    rm -f "$1"/*.png "$1"/app.log
    trap window_test_cleanup EXIT
    trap 'exit 1' INT TERM
    xvfb_start "$1/xvfb.log" || exit 1
}
