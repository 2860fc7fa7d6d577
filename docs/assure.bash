# bash completion for assure 0.1.0, made by 'assure help --completion'
_assure() {
	local cur=${COMP_WORDS[COMP_CWORD]} words=
	if [ "$COMP_CWORD" -eq 1 ]; then
		words="check rules explain diff audit history config help --version --help"
	else
		case ${COMP_WORDS[1]} in
		check) words="--repo --rev --worktree --index --rules --param --params --ignore --config --no-config --max-file-size --max-findings --as-of --format --output --repository-uri --fail-on --changed-since --domain --stats --baseline --baseline-file --waivers --no-waivers --max-waiver-days --help" ;;
		rules) words="--rules --param --params --help" ;;
		explain) words="--rules --param --params --help" ;;
		diff) words="--repo --rules --param --params --ignore --config --no-config --max-file-size --max-findings --as-of --format --fail-on --waivers --no-waivers --max-waiver-days --help" ;;
		audit) words="--repo --rules --param --params --ignore --config --no-config --max-file-size --max-findings --first-parent --since --until --as-of --quiet --waivers --no-waivers --max-waiver-days --stats --paths --format --out --fail-on --help" ;;
		history) words="--repo --rules --param --params --ignore --config --no-config --max-file-size --max-findings --first-parent --since --until --as-of --quiet --waivers --no-waivers --max-waiver-days --stats --rule --subject --path --format --help" ;;
		config) words="--repo --rev --worktree --index --rules --param --params --ignore --config --no-config --fail-on --format --keys --help" ;;
		help) words="--man --completion --help" ;;
		esac
	fi
	COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _assure assure
