# bash completion for cairn, the planner for research careers.
#
# Command names come from `cairn help --commands`, each command's options and
# subcommands (the words its usage starts an alternative with: metric add |
# log | set | rm | show) from the usage line `cairn help NAME` prints, and the formats
# of import and export from `cairn help --formats import|export`, all asked
# at completion time, so the completion follows the command table and the
# table of formats without being edited.  Only option values (kinds,
# statuses, sort fields, set's FIELD= names) are listed here; keep them in
# step with lib/core/item.c and lib/core/query.c.
#
# Install as /usr/share/bash-completion/completions/cairn, or source it.

# The cairn the user is typing (./build/cairn works too).
_cairn_prog()
{
	local p=${COMP_WORDS[0]}

	p=${p/#\~/$HOME}
	if [[ $p == */* && -x $p ]] || command -v -- "$p" >/dev/null 2>&1; then
		printf '%s\n' "$p"
	else
		printf 'cairn\n'
	fi
}

# The usage line of a command (name, alias or unique prefix), without
# "usage: cairn ".
_cairn_usage()
{
	"$1" help "$2" 2>/dev/null | sed -n '1s/^usage: cairn //p'
}

_cairn_values()
{
	# _cairn_values OPTION-OR-FIELD: the values it takes, or nothing.
	case $1 in
	--kind | kind) echo "goal milestone question idea" ;;
	--to) echo "goal milestone question" ;;
	--status) echo "idea planned active paused done dropped" ;;
	status) echo "idea planned active paused done" ;;
	--driven | driven) echo "goal idea" ;;
	--visibility | visibility) echo "private lab public" ;;
	--scope | scope | --novelty | novelty) echo "1 2 3 4 5" ;;
	--due | due) echo "today tomorrow +1w +2w +1m +3m +6m +1y" ;;
	--since | --until) echo "today yesterday -1w -1m -3m -1y" ;;
	--as-of) echo "post" ;;
	--sort)
		local f s="id title kind status due created started finished
			scope p_success novelty likelihood parent"
		for f in $s; do printf '%s -%s ' "$f" "$f"; done
		;;
	esac
}

# The subcommands in a usage line ("metric add ID NAME ... | log ID ..."):
# the first word of each alternative after the command's name, when it is
# a lower-case name; "add|rm" gives both.  An alternative may name the
# command again ("sync [--watch] | sync login URL ..."): the word after it.
_cairn_subcommands()
{
	local alt w cmd=${1%% *} u=${1#* } IFS='|'

	# Alternatives are separated by " | "; make that one character.
	set -- ${u// | /|}
	for alt in "$@"; do
		alt=${alt#"$cmd "}
		w=${alt%% *}
		case $w in
		[a-z]*) ;;
		*) continue ;;
		esac
		printf '%s\n' ${w//[|]/ }
	done
}

# Options of cairn itself, before the command.
_cairn_globals="--db --json --no-color --version --help -h"
# set's FIELD names (lib/core/item-check.c, cairn_item_fields).
_cairn_fields="title body kind scope p_success novelty estimate due
	likelihood driven visibility status rank"

_cairn()
{
	local cur prev prog i w= w2 cmd= cmdi=0 usage opts vals field
	local IFS=$' \t\n'

	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	prog=$(_cairn_prog)

	# "--opt=value" split at '=' by COMP_WORDBREAKS: "--opt" "=" "val".
	if [[ $cur == = ]]; then
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		cur=
		w=eq
	elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
		w=eq
	fi

	# Find the command: the first word that is not a global option.
	for ((i = 1; i < COMP_CWORD; i++)); do
		w2=${COMP_WORDS[i]}
		case $w2 in
		--db) ((i++)) ;;
		--db=* | --json | --no-color | -h | --help | --version) ;;
		=) ;;
		-*) ;;
		*)
			if [[ ${COMP_WORDS[i - 1]} == = && ${COMP_WORDS[i - 2]} == --db ]]; then
				continue
			fi
			cmd=$w2
			cmdi=$i
			break
			;;
		esac
	done

	if [[ -z $cmd ]]; then
		if [[ $prev == --db ]]; then
			compopt -o filenames 2>/dev/null
			COMPREPLY=($(compgen -f -- "$cur"))
		elif [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$_cairn_globals" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$("$prog" help --commands 2>/dev/null)" -- "$cur"))
		fi
		return 0
	fi

	usage=$(_cairn_usage "$prog" "$cmd")
	cmd=${usage%% *}
	[[ -n $cmd ]] || return 0

	# The value of an option that takes one (all but these flags).
	case $prev in
	--all | --ready | --root | --force | --commands | --formats | --json | --no-color | --help) ;;
	--out)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur"))
		return 0
		;;
	--format)
		# Only the formats this command reads or writes.
		case $cmd in
		import) vals=$("$prog" help --formats import 2>/dev/null) ;;
		export) vals=$("$prog" help --formats export 2>/dev/null) ;;
		esac
		[[ -n $vals ]] && COMPREPLY=($(compgen -W "$vals" -- "$cur"))
		return 0
		;;
	--*)
		vals=$(_cairn_values "$prev")
		[[ -n $vals ]] && COMPREPLY=($(compgen -W "$vals" -- "$cur"))
		return 0
		;;
	esac

	if [[ $cur == -* && $cmd != tag ]]; then
		opts=$(printf '%s\n' "$usage" | grep -o -- '--[a-z][a-z-]*' | sort -u)
		COMPREPLY=($(compgen -W "$opts --json --no-color --help" -- "$cur"))
		return 0
	fi

	case $cmd in
	help)
		if [[ $prev == --formats ]]; then
			COMPREPLY=($(compgen -W "import export" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$("$prog" help --commands 2>/dev/null)" -- "$cur"))
		fi
		;;
	import)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur"))
		;;
	publish)
		compopt -o dirnames 2>/dev/null
		COMPREPLY=($(compgen -d -- "$cur"))
		;;
	paper)
		if ((COMP_CWORD == cmdi + 1)); then
			COMPREPLY=($(compgen -W "$(_cairn_subcommands "$usage")" -- "$cur"))
		elif [[ ${COMP_WORDS[cmdi + 1]} == import ]]; then
			compopt -o filenames 2>/dev/null
			COMPREPLY=($(compgen -f -- "$cur"))
		fi
		;;
	dep | metric | focus | predict | report | sync)
		((COMP_CWORD == cmdi + 1)) &&
			COMPREPLY=($(compgen -W "$(_cairn_subcommands "$usage")" -- "$cur"))
		;;
	demo)
		compopt -o dirnames 2>/dev/null
		COMPREPLY=($(compgen -d -- "$cur"))
		;;
	add)
		((COMP_CWORD == cmdi + 1)) &&
			COMPREPLY=($(compgen -W "goal milestone question idea" -- "$cur"))
		;;
	set)
		((COMP_CWORD > cmdi + 1)) || return 0
		if [[ $w == eq ]]; then
			# "FIELD" "=" "VAL": complete VAL alone.
			vals=$(_cairn_values "$prev")
			COMPREPLY=($(compgen -W "$vals" -- "$cur"))
		elif [[ $cur == *=* ]]; then
			field=${cur%%=*}
			vals=$(_cairn_values "$field")
			COMPREPLY=($(compgen -P "$field=" -W "$vals" -- "${cur#*=}"))
		else
			compopt -o nospace 2>/dev/null
			COMPREPLY=($(compgen -S = -W "$_cairn_fields" -- "$cur"))
		fi
		;;
	esac
	return 0
}

complete -F _cairn cairn
