#!/bin/bash
# CloudNonce worker: EC2 user-data that scans one slot of a search (contract: worker/PROTOCOL.md).
#
# The controller renders this template by replacing @MANIFEST_URL@ and @SHUTDOWN_AT@. The worker holds
# no credentials: it reads its metadata from IMDSv2 and talks to S3 only through presigned URLs.
#
# Needs bash, curl and coreutils only (true of every Amazon Linux 2023 image). JSON is read in bash
# rather than with python3 because the controller writes the manifest in a known flat shape
# (PROTOCOL.md, "Reading the manifest"), and the worker should not depend on the image's Python.
set -u
export TZ=UTC LC_ALL=C  # C: EPOCHREALTIME's decimal point is a '.'

# stamp VAR: the time now in Unix seconds to the microsecond (bash 5), for the timeline the reports carry.
stamp() { printf -v "$1" '%s' "${EPOCHREALTIME:-$(date +%s.%N)}"; }
booted='' scanner_downloaded='' scanner_verified='' scan_started='' scan_ended=''
stamp booted

MANIFEST_URL='@MANIFEST_URL@'
SHUTDOWN_AT='@SHUTDOWN_AT@'
IMDS=${CND_IMDS_ENDPOINT:-http://169.254.169.254}

log() { printf '%(%Y-%m-%dT%H:%M:%SZ)T cnd-worker: %s\n' -1 "$*"; }

# Power commands are called by name: a test runner puts its own first on PATH.
halt_instance() { log "powering off: $*"; poweroff; exit 0; }

# 1. A lost or crashed controller must never leave this instance running.
[[ $SHUTDOWN_AT =~ ^[0-9]+$ ]] || halt_instance "the template was not rendered (SHUTDOWN_AT='$SHUTDOWN_AT')"
printf -v now '%(%s)T' -1
( sleep $(( SHUTDOWN_AT > now ? SHUTDOWN_AT - now : 0 )); poweroff ) </dev/null >/dev/null 2>&1 &
log "scheduled power-off at $SHUTDOWN_AT (in $(( SHUTDOWN_AT - now )) s)"

work=$(mktemp -d "${TMPDIR:-/var/tmp}/cnd-worker.XXXXXX") || halt_instance "cannot create a work directory"
cd "$work" || halt_instance "cannot enter $work"

curl_quiet() { curl --silent --show-error --fail --connect-timeout 5 --retry 3 --retry-delay 1 --retry-all-errors "$@"; }

# json_read VAR TEXT KEY: sets VAR to the value of KEY in the flat JSON object TEXT, a string
# unquoted and unescaped (\/ and \uXXXX, as .NET writes them), any other scalar as written.
# Fails when the key is absent. No subshell: it runs for every progress line.
json_read() {
    local re="\"$3\"[[:space:]]*:[[:space:]]*(\"([^\"\\\\]|\\\\.)*\"|[^,}[:space:]]+)"
    [[ $2 =~ $re ]] || return 1
    local value=${BASH_REMATCH[1]}
    if [[ $value == \"* ]]; then
        value=${value:1:${#value}-2}
        printf -v "$1" '%b' "${value//\\\//\/}"
    else
        printf -v "$1" '%s' "$value"
    fi
}

# 2. Who am I: launch index and instance id from IMDSv2; then my slot of the manifest.
token=$(curl_quiet --max-time 10 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' \
    "$IMDS/latest/api/token") || halt_instance "IMDS token request failed"
imds_get() { curl_quiet --max-time 10 -H "X-aws-ec2-metadata-token: $token" "$IMDS/latest/meta-data/$1"; }
launch_index=$(imds_get ami-launch-index) || halt_instance "IMDS ami-launch-index failed"
instance_id=$(imds_get instance-id) || halt_instance "IMDS instance-id failed"
[[ $launch_index =~ ^[0-9]+$ ]] || halt_instance "IMDS gave a malformed launch index '$launch_index'"
log "instance $instance_id, launch index $launch_index"

curl_quiet --max-time 30 -o manifest.json "$MANIFEST_URL" || halt_instance "manifest download failed"

# The slots are the only nested objects, so splitting at braces puts each slot on its own line
# and leaves the top-level fields on the others.
top='' slot_json=''
while IFS= read -r line; do
    if [[ $line == *'"launchIndex"'* ]]; then
        json_read index "$line" launchIndex && [[ $index == "$launch_index" ]] && slot_json=$line
    else
        top+=$line
    fi
done < <(tr '{}\r\n' '\n\n  ' < manifest.json)
[[ -n $slot_json ]] || halt_instance "the manifest has no slot for launch index $launch_index"

# Until the result URL is known there is nobody to tell; from here on every failure is reported.
json_read result_url "$slot_json" resultUrl || halt_instance "the slot has no resultUrl"
json_read search_id "$top" searchId || search_id=''
json_read slot "$slot_json" slot && [[ $slot =~ ^[0-9]+$ ]] || slot=null

# timeline_json: sets $timeline to the steps reached so far, as a JSON object (null for the others).
timeline_json() {
    printf -v timeline '{"booted":%s,"scannerDownloaded":%s,"scannerVerified":%s,"scanStarted":%s,"scanEnded":%s}' \
        "${booted:-null}" "${scanner_downloaded:-null}" "${scanner_verified:-null}" "${scan_started:-null}" "${scan_ended:-null}"
}

# put_result SCAN ERROR: SCAN is the scanner's result line or null; ERROR is empty on success.
put_result() {
    local error=null
    local message=${2//[\"\\]/}
    [[ -n $message ]] && error="\"${message//[[:cntrl:]]/ }\""
    timeline_json
    printf '{"searchId":"%s","slot":%s,"instanceId":"%s","launchIndex":%s,"scan":%s,"error":%s,"timeline":%s}\n' \
        "$search_id" "$slot" "$instance_id" "$launch_index" "$1" "$error" "$timeline" > result.json
    curl_quiet --max-time 20 -o /dev/null -X PUT --upload-file result.json -H 'Content-Type:' "$result_url" \
        || log "result upload failed"
}
fail() { log "error: $1"; put_result null "$1"; halt_instance "$1"; }

# read_field VAR TEXT KEY: json_read, or report the manifest as malformed.
read_field() { json_read "$@" || fail "the manifest has no $3"; }
read_field block_hex "$top" blockHex
read_field difficulty "$top" difficulty
read_field scanner_url "$top" scannerUrl
read_field scanner_sha "$top" scannerSha256
read_field deadline "$top" deadline
read_field interval "$top" progressIntervalSeconds
read_field start "$slot_json" start
read_field end "$slot_json" end
read_field progress_url "$slot_json" progressUrl
json_read threads "$top" threads || threads=0  # optional; 0: every core
for n in "$difficulty" "$deadline" "$start" "$end" "$threads"; do
    [[ $n =~ ^[0-9]+$ ]] || fail "the manifest has a malformed integer: '$n'"
done
[[ $interval =~ ^[0-9]+(\.[0-9]+)?$ ]] || fail "the manifest has a malformed progressIntervalSeconds: '$interval'"

# 3. Never run a scanner other than the one the controller uploaded. It stays non-executable
#    until its checksum is verified.
curl_quiet --max-time 120 -o cnd-scan "$scanner_url" || fail "scanner download failed"
stamp scanner_downloaded
actual_sha=$(sha256sum cnd-scan) && actual_sha=${actual_sha%% *}
if [[ $actual_sha != "${scanner_sha,,}" ]]; then
    rm -f cnd-scan
    fail "scanner checksum mismatch (expected $scanner_sha, got $actual_sha)"
fi
chmod 0755 cnd-scan
stamp scanner_verified

# put_progress LINE: LINE is a progress line from the scanner.
put_progress() {
    local next hashes rate seconds now
    json_read next "$1" next_nonce && json_read hashes "$1" hashes && json_read rate "$1" rate &&
        json_read seconds "$1" seconds || return 0
    printf -v now '%(%s)T' -1
    printf '{"searchId":"%s","slot":%s,"instanceId":"%s","launchIndex":%s,"nextNonce":%s,"hashes":%s,"rate":%s,"seconds":%s,"time":%s,"timeline":%s}\n' \
        "$search_id" "$slot" "$instance_id" "$launch_index" "$next" "$hashes" "$rate" "$seconds" "$now" "$timeline" > progress.json
    curl_quiet --max-time 10 -o /dev/null -X PUT --upload-file progress.json -H 'Content-Type:' "$progress_url" \
        || log "progress upload failed"
}

# 4. Report once before scanning, so the controller hears of this worker (and its timeline) without
#    waiting a progress interval; then scan, forwarding progress as it arrives. Only the latest progress
#    matters, so lines that queued up during a slow upload are skipped rather than sent late.
# time_left: sets time_limit to the whole seconds left before the deadline, or reports that none are.
time_left() {
    printf -v now '%(%s)T' -1
    time_limit=$(( deadline - now ))
    (( time_limit > 0 )) || fail "the deadline passed before the scan started"
}
time_left
log "scanning $start..$end at difficulty $difficulty for at most $time_limit s"
stamp scan_started
timeline_json
put_progress "{\"type\":\"progress\",\"next_nonce\":$start,\"hashes\":0,\"seconds\":0,\"rate\":0}"
time_left  # the report's upload took some of it
progress_line='"type"[[:space:]]*:[[:space:]]*"progress"'
result_line='"type"[[:space:]]*:[[:space:]]*"result"'
thread_option=()
(( threads > 0 )) && thread_option=(--threads "$threads")
./cnd-scan --block-hex "$block_hex" --start "$start" --end "$end" --difficulty "$difficulty" "${thread_option[@]}" \
    --time-limit "$time_limit" --progress-interval "$interval" 2> scan.err |
while IFS= read -r line; do
    while [[ $line =~ $progress_line ]] && read -r -t 0; do
        IFS= read -r next_line || break
        line=$next_line
    done
    if [[ $line =~ $progress_line ]]; then
        put_progress "$line"
    elif [[ $line =~ $result_line ]]; then
        printf '%s\n' "$line" > scan-result.json
    fi
done
scan_status=${PIPESTATUS[0]}
stamp scan_ended

# 5. Report and go.
if (( scan_status == 0 )) && [[ -s scan-result.json ]]; then
    put_result "$(< scan-result.json)" ""
    halt_instance "scan finished: $(< scan-result.json)"
fi
fail "scanner exited $scan_status: $(tail -n 1 scan.err 2>/dev/null)"
