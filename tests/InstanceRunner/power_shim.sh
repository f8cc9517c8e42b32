#!/bin/sh
# poweroff, halt, reboot, shutdown, systemctl and telinit of one simulated instance (see
# instance_runner.py). Installed first on the user-data's PATH and bound over the real commands, it
# asks the runner to end this instance instead of the host. Time arguments (shutdown +5) are not
# simulated: the instance goes down at once.
runner='@RUNNER_URL@'
instance='@INSTANCE_ID@'
name=${0##*/}

# The first argument that is not an option (systemctl's verb, telinit's runlevel).
verb() {
    for arg; do
        case $arg in -*) ;; *) printf '%s' "$arg"; return ;; esac
    done
}

case $name in
poweroff | halt) action=poweroff ;;
reboot) action=reboot ;;
shutdown)
    action=poweroff
    for arg; do
        case $arg in
        -r | --reboot) action=reboot ;;
        -c) exit 0 ;;
        esac
    done
    ;;
systemctl | telinit)
    case $(verb "$@") in
    poweroff | halt | 0) action=poweroff ;;
    reboot | kexec | 6) action=reboot ;;
    *)
        echo "$name: not available in a simulated instance" >&2
        exit 1
        ;;
    esac
    ;;
*)
    echo "power shim: unknown command name '$name'" >&2
    exit 1
    ;;
esac

curl --silent --fail --max-time 5 -o /dev/null -X POST "$runner/_runner/instances/$instance/$action" && exit 0
echo "$name: the instance runner did not answer; ending this process group" >&2
kill -KILL 0
