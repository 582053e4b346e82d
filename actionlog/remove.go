package actionlog

import (
	"errors"
	"io/fs"
	"os"
)

// Remove deletes id's log and its stamps, as retention prunes the action run; a log that
// was never written is no error. It runs under the sink's lock, so no writer opens the log
// meanwhile, and wakes the log's followers, whose next read finds nothing.
func (s *FileSink) Remove(id string) error {
	name, err := s.Path(id)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	for _, f := range []string{name, timesName(name)} {
		if err := os.Remove(f); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	s.Notify(id)
	return errors.Join(errs...)
}
