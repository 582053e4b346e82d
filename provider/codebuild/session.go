package codebuild

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"sluice/shellword"
)

// sessionResult is how one shell session ended.
type sessionResult struct {
	ok      bool
	command string // the command that failed; "" when not known
	code    int    // its exit status
	reason  string // why the session failed, when it was not a command's exit status
}

// message says why a session failed in CodeBuild's words.
func (r sessionResult) message() string {
	switch {
	case r.reason != "":
		return r.reason
	case r.command != "":
		return fmt.Sprintf("Error while executing command: %s. Reason: exit status %d", shorten(r.command), r.code)
	default:
		return fmt.Sprintf("The shell exited with status %d", r.code)
	}
}

// session runs commands in one shell, starting from the build's current variables and
// directory, and moves the build to the variables and directory the shell ended with.
// succeeding is CODEBUILD_BUILD_SUCCEEDING: whether anything has failed so far.
func (b *build) session(ctx context.Context, commands []string, succeeding bool) sessionResult {
	if len(commands) == 0 {
		return sessionResult{ok: true}
	}
	b.sessions++
	n := strconv.Itoa(b.sessions)
	out := filepath.Join(b.files, n) // the shell's own: its state and variables
	p := scriptParams{Commands: commands, Nonce: b.log.nonce, StateFile: filepath.Join(out, "state"), EnvFile: filepath.Join(out, "env")}
	if err := b.prepareSession(out, n, p); err != nil {
		return sessionResult{reason: fmt.Sprintf("cannot write the phase's script: %v", err)}
	}
	env := maps.Clone(b.env)
	env["CODEBUILD_BUILD_SUCCEEDING"] = "0"
	if succeeding {
		env["CODEBUILD_BUILD_SUCCEEDING"] = "1"
	}
	env["PWD"] = b.dir
	launch := filepath.Join(b.files, n+".launch")
	err := writeScript(launch, launcher(b.dir, b.shell, filepath.Join(b.files, n+".sh"), env.list()))
	if err != nil {
		return sessionResult{reason: fmt.Sprintf("cannot write the phase's script: %v", err)}
	}
	code, err := b.group.run(ctx, launch)
	b.log.sync()
	switch {
	case ctx.Err() != nil:
		return sessionResult{reason: "The build was stopped"}
	case err != nil:
		return sessionResult{reason: fmt.Sprintf("The shell %s could not be run: %v", b.shell, err)}
	}
	b.carry(p.EnvFile)
	return ended(commands, p.StateFile, code)
}

// prepareSession writes the session's script where only the worker writes, and makes the
// directory its shell writes its state to, handed to the sandbox.
func (b *build) prepareSession(out, n string, p scriptParams) error {
	if err := writeScript(filepath.Join(b.files, n+".sh"), script(p)); err != nil {
		return err
	}
	if err := os.Mkdir(out, 0o700); err != nil {
		return err
	}
	return b.rc.Sandbox.Own(out)
}

// writeScript writes a script the sandbox's user may read but not change.
func writeScript(name, text string) error {
	if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
		return err
	}
	return os.Chmod(name, 0o644) // whatever the umask
}

// ended reads the state the EXIT trap wrote. Without it (a build that replaced the trap,
// a shell killed by a signal) the shell's own exit status is all there is.
func ended(commands []string, stateFile string, status int) sessionResult {
	var i, code int
	data, err := readNoFollow(stateFile)
	if _, scanErr := fmt.Sscanf(string(data), "%d %d", &i, &code); err != nil || scanErr != nil {
		if status > 128 {
			return sessionResult{reason: fmt.Sprintf("The shell was killed (signal: %s)", syscall.Signal(status-128))}
		}
		return sessionResult{ok: status == 0, code: status}
	}
	r := sessionResult{ok: code == 0, code: code}
	if !r.ok && i >= 1 && i <= len(commands) {
		r.command = commands[i-1]
	}
	return r
}

// carry takes the variables and directory from the shell's dump. A missing dump leaves
// the build where it was; so does a directory that no longer exists. Names that are not
// shell identifiers (CODEBUILD_SRC_DIR_my-app) never appear in a dump, and no shell
// command can have changed them, so they are kept as they were.
func (b *build) carry(envFile string) {
	data, err := readNoFollow(envFile)
	if err != nil || len(data) == 0 {
		return
	}
	dump := environment{}
	for kv := range bytes.SplitSeq(bytes.TrimSuffix(data, []byte{0}), []byte{0}) {
		if k, v, ok := strings.Cut(string(kv), "="); ok {
			dump[k] = v
		}
	}
	for k, v := range b.env {
		if !shellword.IsName(k) {
			dump[k] = v
		}
	}
	env, dir := carried(dump)
	b.env = env
	if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
		b.dir = dir
	}
}

// shorten keeps a command's first line, and at most 200 bytes of it, for messages.
func shorten(command string) string {
	line, _, multi := strings.Cut(strings.TrimSpace(command), "\n")
	if len(line) > 200 {
		line, multi = strings.ToValidUTF8(line[:200], ""), true
	}
	if multi {
		line += " ..."
	}
	return line
}

// readNoFollow reads a file the build's shell wrote. The file is the build's: a symlink
// there is not followed, so it cannot make the worker read anything else.
func readNoFollow(name string) ([]byte, error) {
	f, err := os.OpenFile(name, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return nil, errors.New(name + " is not a regular file")
	}
	return io.ReadAll(f)
}
