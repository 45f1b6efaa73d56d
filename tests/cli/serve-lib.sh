# serve-lib.sh: helpers for tests of `cairn serve` (source after lib.sh).
#
#   serve_start [ARGS...]  start `cairn serve --port 0 ARGS` in the
#                          background with a fixed token; sets $BASE
#                          (http://127.0.0.1:PORT), $HOSTPORT, $TOKEN, $PID
#   serve_stop             SIGTERM, wait, and check it exited 0
#   (http METHOD PATH [CURL ARGS...], one request to $BASE, is lib.sh's)
#   authed METHOD PATH [CURL ARGS...]
#                          http with the token as a Bearer header
#   csrf                   the session's CSRF token (GET /api/session)
#   json_write METHOD PATH JSON
#                          authed with the CSRF header and a JSON body
need curl "the serve tests talk HTTP"

TOKEN=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
serve_start() {
	CAIRN_SERVE_TOKEN=$TOKEN "$CAIRN" serve --port 0 "$@" \
		>"$TMP/serve.out" 2>"$TMP/serve.err" &
	PID=$!
	for _ in $(seq 1 200); do
		[ -s "$TMP/serve.out" ] && break
		kill -0 "$PID" 2>/dev/null || break
		sleep 0.05
	done
	url=$(head -n 1 "$TMP/serve.out")
	BASE=${url%%/\?token=*}
	HOSTPORT=${BASE#http://}
	case "$url" in
	http://127.0.0.1:*/\?token=$TOKEN) pass ;;
	*) fail "serve printed no URL: '$url' ($(cat "$TMP/serve.err"))" ;;
	esac
}

serve_stop() {
	kill -TERM "$PID"
	wait "$PID"
	st=$?
	if [ "$st" -eq 0 ]; then pass; else
		fail "serve exited $st on SIGTERM: $(cat "$TMP/serve.err")"
	fi
}

authed() {
	a_method=$1
	a_path=$2
	shift 2
	http "$a_method" "$a_path" -H "Authorization: Bearer $TOKEN" "$@"
}

csrf() {
	authed GET /api/session
	printf '%s' "$body" | py -c 'import json,sys; print(json.load(sys.stdin)["csrf"])'
}

json_write() {
	authed "$1" "$2" -H "X-CSRF-Token: $CSRF" \
		-H 'Content-Type: application/json' --data-binary "$3"
}

# status WANT DESC: fail unless the last request answered WANT.
status() {
	if [ "$code" = "$1" ]; then pass; else
		fail "$2: status $code, wanted $1"
	fi
}
