package benchserver

import (
	"fmt"
	"os/exec"
	"path/filepath"
)

// SeedRepo pushes one commit (a README) to main of the hosted repository repo of the server at
// addr, from a clone made in dir/work.
func SeedRepo(dir, addr, repo string) error {
	work := filepath.Join(dir, "work")
	url := fmt.Sprintf("http://%s:%s@%s/v1/repos/%s", KeyID, Secret, addr, repo)
	script := fmt.Sprintf(`set -e
git init -q -b main %[1]s && cd %[1]s
echo bench > README
git add README
git -c user.name=bench -c user.email=bench@example.com commit -q -m seed
git push -q %[2]s HEAD:main`, work, url)
	if out, err := exec.Command("bash", "-c", script).CombinedOutput(); err != nil {
		return fmt.Errorf("seed repository: %v: %s", err, out)
	}
	return nil
}
