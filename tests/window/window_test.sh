# SPDX-License-Identifier: MIT
# Sourced by the window tests (POSIX sh) after `set -u`. window_test_start OUTDIR skips (exit 77) without Xvfb
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
# window_test_preview OUTDIR SETTLE_SECONDS: waits up to 30 s for the app's ($app_pid) preview window, gives
# the first frames SETTLE_SECONDS to arrive and sets wid, X, Y, WIDTH and HEIGHT; exits 1 with a FAIL line and
# the app's log (OUTDIR/app.log) when the window never appears, the app exits or the window vanishes.
window_test_preview() {
    wid=
    _wt_i=0
    while [ -z "$wid" ]; do
        wid=$(xdotool search --name "Parallax simulated headset" 2>/dev/null | head -n 1)
        _wt_i=$((_wt_i + 1))
        [ $_wt_i -gt 300 ] && { echo "FAIL: no preview window after 30 s"; cat "$1/app.log"; exit 1; }
        kill -0 "$app_pid" 2>/dev/null || { echo "FAIL: the app exited before its window appeared"; cat "$1/app.log"; exit 1; }
        sleep 0.1
    done
    sleep "$2"
    kill -0 "$app_pid" 2>/dev/null || { wait "$app_pid"; echo "FAIL: the app exited (status $?) with its window open"; cat "$1/app.log"; exit 1; }
    _wt_geom=$(xdotool getwindowgeometry --shell "$wid" 2>&1) || {
        echo "FAIL: window $wid vanished while the app runs: $_wt_geom"
        xdotool search --name "Parallax" 2>&1; cat "$1/app.log"; exit 1
    }
    eval "$_wt_geom"
    echo "preview window $wid at $X,$Y size ${WIDTH}x$HEIGHT"
}
# window_test_wait_exit SECONDS WHAT: waits up to SECONDS for the app to exit with status 0; a FAIL line naming
# WHAT ("of Escape") and fail=1 otherwise.
window_test_wait_exit() {
    _wt_i=0
    while kill -0 "$app_pid" 2>/dev/null; do
        _wt_i=$((_wt_i + 1))
        [ $_wt_i -gt $(($1 * 10)) ] && { echo "FAIL: the app did not exit within $1 s $2"; fail=1; break; }
        sleep 0.1
    done
    if ! kill -0 "$app_pid" 2>/dev/null; then
        wait "$app_pid"
        _wt_rc=$?
        app_pid=
        [ $_wt_rc = 0 ] || { echo "FAIL: the app exited with $_wt_rc $2"; fail=1; }
    fi
}
# window_test_escape OUTDIR SECONDS: presses Escape (in the focused window), waits up to SECONDS for the app to
# exit with status 0, prints its log (OUTDIR/app.log) and checks it for validation messages; any problem
# prints a FAIL line and sets fail=1.
window_test_escape() {
    xdotool key Escape
    window_test_wait_exit "$2" "of Escape"
    cat "$1/app.log"
    if grep -nE 'VUID-|Validation Error' "$1/app.log" >"$1/validation.txt"; then
        head -10 "$1/validation.txt"
        echo "FAIL: validation messages"
        fail=1
    fi
}
# window_test_scene PNG WHAT: screenshots the area $X $Y $WIDTH $HEIGHT into PNG and checks that both eyes show
# the scene ($shot --scene). A slow start (the ThreadSanitizer build, a loaded machine) may leave the first
# frames still to come, so it looks again for up to 10 s; then it prints a FAIL line naming WHAT and sets fail=1.
window_test_scene() {
    _ws_n=0
    until "$shot" "$1" "$X" "$Y" "$WIDTH" "$HEIGHT" --scene >"$1.log" 2>&1; do
        _ws_n=$((_ws_n + 1))
        [ $_ws_n -ge 20 ] && { cat "$1.log"; echo "FAIL: $2 content"; fail=1; return 1; }
        sleep 0.5
    done
    cat "$1.log"
}
