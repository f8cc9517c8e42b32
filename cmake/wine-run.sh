#!/bin/sh
# Runs a Windows program under Wine: the emulator of the win-x64 CTest suite
# (CMAKE_CROSSCOMPILING_EMULATOR in toolchains/win-x64.cmake). Usage: wine-run.sh PROGRAM.exe [ARG...]
#
# - A Wine prefix of its own (unless WINEPREFIX is set), so a user's ~/.wine, whatever its
#   settings, neither breaks the tests nor is changed by them.
# - The prefix is made once, under a lock: on a fresh machine the first tests start in
#   parallel, and each would otherwise try to make it (tens of seconds on a busy machine).
# - One Wine server outlives the single tests (until 60 s after the last program ends).
#   Without it Wine stops its system processes whenever no program runs and starts them
#   again for the next one: seconds per program instead of a fraction of one.
# - `exec`, so the caller's process is the program's: a signal it sends arrives there
#   (Wine passes SIGINT on as Ctrl-C), and the exit code is the program's.
export WINEDEBUG=-all
export WINEPREFIX="${WINEPREFIX:-${XDG_CACHE_HOME:-$HOME/.cache}/cloudnonce/wine}"
mkdir -p "$WINEPREFIX" &&
# -o: the server, which outlives this script, must not inherit (and keep) the lock.
flock -o "$WINEPREFIX/.cnd-lock" sh -c '
    wineserver -p60 </dev/null >/dev/null 2>&1
    test -f "$WINEPREFIX/.cnd-ready" && exit 0
    WINEDLLOVERRIDES="mscoree,mshtml=" wineboot -i </dev/null >/dev/null 2>&1 && touch "$WINEPREFIX/.cnd-ready"
' || { echo "wine-run.sh: could not prepare the Wine prefix $WINEPREFIX (run: wineboot -i)" >&2; exit 125; }
exec wine "$@"
