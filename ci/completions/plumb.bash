# bash completion for plumb
_plumb() {
	local cur prev cmds
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	cmds="baseline build check dump explain rules schema semver version"
	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "$cmds --help" -- "$cur"))
		return
	fi
	case "$prev" in
	--format) COMPREPLY=($(compgen -W "text json sarif github" -- "$cur")); return ;;
	--fail-on) COMPREPLY=($(compgen -W "error warning info" -- "$cur")); return ;;
	esac
	case "${COMP_WORDS[1]}" in
	build)
		if [[ "$cur" == -* ]]; then
			COMPREPLY=($(compgen -W "--sources --flux --help" -- "$cur"))
		else
			COMPREPLY=($(compgen -d -- "$cur"))
		fi ;;
	explain) COMPREPLY=($(compgen -W "$(plumb rules 2>/dev/null | cut -d' ' -f1)" -- "$cur")) ;;
	check)
		if [[ "$cur" == -* ]]; then
			COMPREPLY=($(compgen -W "--format --output --fail-on --stdin-filename --jobs --no-ignore --config --rules --baseline --staged --diff-base --include-worktree --new-only --history --since --help" -- "$cur"))
		else
			COMPREPLY=($(compgen -f -- "$cur"))
		fi ;;
	*) COMPREPLY=($(compgen -f -- "$cur")) ;;
	esac
}
complete -F _plumb plumb
