#!/bin/sh
# Runs a Windows program under Wine: the emulator of the win-x64 CTest suite
# (CMAKE_CROSSCOMPILING_EMULATOR in toolchains/win-x64.cmake). Usage: wine-run.sh PROGRAM.exe [ARG...]
#
# - A Wine prefix of its own (unless WINEPREFIX is set), so a user's ~/.wine, whatever its
#   settings, neither breaks the tests nor is changed by them.
# - The prefix is made once, under a lock: on a fresh machine the first tests start in
#   parallel, and each would otherwise try to make it (tens of seconds on a busy machine).
# - One Wine server outlives the single tests (until 60 s after the last program ends).
#   Without it Wine stops its own processes (services, devices) whenever no program runs and
#   starts them again for the next one: seconds per program instead of a fraction of one.
# - Wine's own processes are started here, with no output to inherit: started by a test
#   program, they would hold its stdout open until the server ends, and the test (which waits
#   for the end of its output) would hang that long.
# - `exec`, so the caller's process is the program's: a signal it sends arrives there
#   (Wine passes SIGINT on as Ctrl-C), and the exit code is the program's.
export WINEDEBUG=-all
export WINEPREFIX="${WINEPREFIX:-${XDG_CACHE_HOME:-$HOME/.cache}/cloudnonce/wine}"
mkdir -p "$WINEPREFIX" &&
# -o: the server, which outlives this script, must not inherit (and keep) the lock.
flock -o "$WINEPREFIX/.cnd-lock" sh -c '
    exec </dev/null >/dev/null 2>&1
    wineserver -p60
    case $? in
        0) ;;            # a new server: start Wine'"'"'s processes below
        2) exit 0 ;;     # one is running, and so are they
        *) exit 1 ;;
    esac
    if test -f "$WINEPREFIX/.cnd-ready"; then
        wineboot
    else
        WINEDLLOVERRIDES="mscoree,mshtml=" wineboot -i && touch "$WINEPREFIX/.cnd-ready"
    fi
' || { echo "wine-run.sh: could not prepare the Wine prefix $WINEPREFIX (try: WINEPREFIX=$WINEPREFIX wineboot -i)" >&2; exit 125; }
exec wine "$@"
