package node

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/google/uuid"
)

// serverIDFile holds the id this server's in-process and Lambda workers carry in their
// names (sluice.WorkerID.Server), so that on restart it tells its own jobs from those of
// other servers on the same store.
const serverIDFile = "server-id"

// serverID reads the server id kept at path (dirLock.idFile), or makes and stores one on
// first start. The file is locked first: two servers never race here.
func serverID(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		id := strings.TrimSpace(string(b))
		if _, err := uuid.Parse(id); err != nil {
			return "", fmt.Errorf("%s does not hold a server id; remove it to make a new one", path)
		}
		return id, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("read the server id: %w", err)
	}
	id := uuid.NewString()
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(id+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("store the server id: %w", err)
	}
	return id, os.Rename(tmp, path)
}
