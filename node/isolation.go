package node

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"sluice"
	"sluice/sandbox"
)

// isolate prepares what keeps actions from the control plane: the data directory private
// to this user, the work root outside it, and the sandbox that hides both and the key
// files (the root key's, the encryption key's beside the data directory) from the actions'
// code.
func (n *Node) isolate() (sluice.Sandbox, error) {
	if err := privateTree(n.Config.DataDir); err != nil {
		return nil, fmt.Errorf("make the data directory private: %w", err)
	}
	if err := n.makeWorkRoot(); err != nil {
		return nil, err
	}
	hide := []string{n.Config.DataDir, n.Config.WorkDir, filepath.Join(n.Config.DataDir, KeyFile), n.Config.EncryptionKeyFile}
	sb, err := sandbox.New(n.Config.Sandbox, hide)
	if err != nil {
		return nil, err
	}
	if err := sandbox.Reachable(sb, n.Config.WorkDir); err != nil {
		return nil, err
	}
	if n.Config.Sandbox == sandbox.ModeOff {
		n.Log.Warn(sandbox.OffWarning)
		fmt.Fprintln(n.Options.Err, sandbox.OffWarning)
	}
	return sb, nil
}

// makeWorkRoot makes the directory of the workspaces: --work-dir, else a new one under
// os.TempDir() that Close removes. Its mode lets the sandbox's user pass through to its own
// workspace, not list the others.
func (n *Node) makeWorkRoot() error {
	if n.Config.WorkDir == "" {
		dir, err := os.MkdirTemp("", "sluice-work-")
		if err != nil {
			return fmt.Errorf("make the work directory: %w", err)
		}
		n.Config.WorkDir, n.tempWorkRoot = dir, dir
	} else if err := os.MkdirAll(n.Config.WorkDir, 0o711); err != nil {
		return fmt.Errorf("--work-dir: %w", err)
	}
	return os.Chmod(n.Config.WorkDir, 0o711)
}

// privateTree takes the group's and others' permissions off dir and everything in it:
// the database, keys, repositories, artifacts and logs are the server's alone. Symlinks
// are left as they are.
func privateTree(dir string) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.Type()&fs.ModeSymlink != 0 {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if fi.Mode().Perm()&0o077 != 0 {
			return os.Chmod(path, fi.Mode().Perm()&^0o077)
		}
		return nil
	})
}
