package commands

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"syscall"

	"sluice"
	"sluice/shellword"
)

// checkJob validates what the script is built from: output variable names are spliced into
// it, so only shell identifiers may pass.
func checkJob(data *sluice.JobData) string {
	if len(data.Commands) == 0 {
		return "commands must list at least one command"
	}
	for _, name := range data.OutputVariables {
		if !shellword.IsName(name) {
			return fmt.Sprintf("output variable %q is not a valid environment variable name", name)
		}
	}
	return ""
}

// environment is the runner's variables, then the action's (never the worker's own
// environment); exec keeps the last value of a name, so the action's own variables win.
func environment(runnerEnv []string, vars []sluice.EnvironmentVariable) ([]string, string) {
	env := append([]string(nil), runnerEnv...)
	for _, v := range vars {
		switch {
		case !shellword.IsName(v.Name):
			return nil, fmt.Sprintf("environment variable %q has an invalid name", v.Name)
		case v.Type == "SECRETS_MANAGER":
			return nil, fmt.Sprintf("environment variable %s: SECRETS_MANAGER values cannot be resolved by Sluice", v.Name)
		case v.Type != "" && v.Type != "PLAINTEXT":
			return nil, fmt.Sprintf("environment variable %s: unsupported type %q", v.Name, v.Type)
		case strings.IndexByte(v.Value, 0) >= 0:
			return nil, fmt.Sprintf("environment variable %s: the value contains a NUL byte", v.Name)
		}
		env = append(env, v.Name+"="+v.Value)
	}
	return env, ""
}

// script joins the commands into one shell session, so `cd` and `export` carry over, and
// appends a block that writes the output variables, NUL-separated (a shell value cannot
// hold a NUL, so any value survives, newlines included), to varsFile. The block runs only
// when every command succeeded; an unset variable is left out.
func script(commands, outputVars []string, varsFile string) string {
	var b strings.Builder
	b.WriteString("set -e\n")
	for _, c := range commands {
		fmt.Fprintf(&b, "printf '%%s\\n' %s\n%s\n", shellword.Quote("Running command "+c), c)
	}
	if len(outputVars) == 0 {
		return b.String() // an empty { } group is a syntax error
	}
	b.WriteString("{\n")
	for _, v := range outputVars {
		fmt.Fprintf(&b, "[ -z \"${%[1]s+set}\" ] || printf '%%s\\0%%s\\0' %[1]s \"$%[1]s\"\n", v)
	}
	fmt.Fprintf(&b, "} > %s\n", shellword.Quote(varsFile))
	return b.String()
}

// readVariables parses the NUL-separated name/value pairs the script wrote. The file is
// the action's: a symlink there is not followed, so it cannot make the worker read
// anything else.
func readVariables(name string) (map[string]string, error) {
	data, err := readNoFollow(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil // commands ended the shell early with `exit 0`
	}
	if err != nil || len(data) == 0 {
		return nil, err
	}
	fields := bytes.Split(bytes.TrimSuffix(data, []byte{0}), []byte{0})
	if len(fields)%2 != 0 {
		return nil, errors.New("malformed output variables file")
	}
	vars := make(map[string]string, len(fields)/2)
	for i := 0; i < len(fields); i += 2 {
		vars[string(fields[i])] = string(fields[i+1])
	}
	return vars, nil
}

func readNoFollow(name string) ([]byte, error) {
	f, err := os.OpenFile(name, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return nil, errors.New("the output variables file is not a regular file")
	}
	return io.ReadAll(f)
}
