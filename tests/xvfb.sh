# SPDX-License-Identifier: MIT
# Sourced by the Xvfb-based tests (POSIX sh). xvfb_start LOGFILE starts a private Xvfb on a display number the
# X server picks itself (-displayfd: the first free one, never one another server or another ctest run holds),
# waits until it accepts clients, exports DISPLAY and sets xvfb_pid. The caller kills $xvfb_pid on exit.
xvfb_pid=
xvfb_start() {
    _xvfb_log=$1
    _xvfb_fd_file=$_xvfb_log.display
    : >"$_xvfb_fd_file"
    # -noreset: an X server resets when its last client disconnects, and a test's short-lived xdotool calls
    # are often the only clients until a slow app (a sanitizer build) connects; an app that connects during
    # the reset gets no display (SDL falls back to "offscreen"), or a window the reset destroys (BadWindow).
    Xvfb -displayfd 3 -noreset -screen 0 1280x720x24 -nolisten tcp 3>"$_xvfb_fd_file" >"$_xvfb_log" 2>&1 &
    xvfb_pid=$!
    _xvfb_i=0
    while [ ! -s "$_xvfb_fd_file" ]; do
        _xvfb_i=$((_xvfb_i + 1))
        if [ $_xvfb_i -gt 150 ] || ! kill -0 "$xvfb_pid" 2>/dev/null; then
            echo "FAIL: Xvfb did not start within 15 s (log: $_xvfb_log)"
            cat "$_xvfb_log"
            return 1
        fi
        sleep 0.1
    done
    DISPLAY=:$(head -n 1 "$_xvfb_fd_file" | tr -d ' \n')
    export DISPLAY
    echo "Xvfb on display $DISPLAY (pid $xvfb_pid)"
}
