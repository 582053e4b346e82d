package codebuild

import (
	"fmt"
	"strings"

	"sluice/shellword"
)

// scriptPrefix starts the names the generated script uses for itself; they are not
// carried from one phase to the next.
const scriptPrefix = "__sluice_"

type scriptParams struct {
	Commands  []string
	Nonce     string // the log pipe's marker nonce (see logPipe)
	StateFile string // receives "<command number> <exit status>" when the shell exits
	EnvFile   string // receives the shell's variables, NAME=VALUE, NUL-terminated
}

// script builds one shell session running the commands in order. There is no `set -e`:
// as in CodeBuild, a command is one unit (a multi-line block is judged by its own exit
// status), and the first command that fails ends the session with its status.
//
// The EXIT trap records which command was running and how the shell ended, and dumps the
// shell's variables, exported or not, plus PWD: CodeBuild carries both from phase to
// phase (a buildspec may set `VERSION=1` in pre_build and use it in build). The trap also
// covers a command that calls `exit` or trips a `set -e` of its own.
func script(p scriptParams) string {
	var b strings.Builder
	fmt.Fprintf(&b, exitTrap, shellword.Quote(p.StateFile), shellword.Quote(p.EnvFile))
	for i, c := range p.Commands {
		fmt.Fprintf(&b, "__sluice_i=%d\n", i+1)
		fmt.Fprintf(&b, "printf '\\000sluice:%%s:T\\000Running command %%s\\n' %s %s\n", p.Nonce, shellword.Quote(c))
		b.WriteString(c)
		b.WriteString("\n__sluice_rc=$?; [ \"$__sluice_rc\" -eq 0 ] || exit \"$__sluice_rc\"\n")
	}
	b.WriteString("exit 0\n")
	return b.String()
}

// exitTrap is the script's prologue. The dump reads `set`, which lists every shell
// variable (quoted, one per line, possibly continued on more lines), keeps the names, and
// prints each variable that is set with printf: a shell value cannot hold a NUL, so the
// NUL-separated dump survives any value. `set +x` keeps a build's xtrace out of the log.
const exitTrap = `__sluice_i=0
__sluice_exit() {
	{ set +x; } 2>/dev/null
	printf '%%s %%s' "$__sluice_i" "$1" >| %s
	set | while IFS= read -r __sluice_l; do
		case $__sluice_l in
		[A-Za-z_]*=*) __sluice_n=${__sluice_l%%%%=*} ;;
		*) continue ;;
		esac
		case $__sluice_n in *[!A-Za-z0-9_]*) continue ;; esac
		eval "[ -z \"\${$__sluice_n+x}\" ] || printf '%%s=%%s\\0' \"\$__sluice_n\" \"\${$__sluice_n}\""
	done >| %s
}
trap '__sluice_exit $?' EXIT
`
