package githost

import (
	"bytes"
	"fmt"
	"net/http"
	"time"
)

// pushReportWait bounds how long a push's response waits for onPush's lines: a trigger that
// is slow to start its executions delays the pusher's prompt by this much at most, and the
// executions still start (the lines are then only missing from the push's output).
const pushReportWait = 10 * time.Second

// flushPkt is the pkt-line that ends receive-pack's response when it multiplexes side-band
// channels: what follows the report and the hooks' messages.
var flushPkt = []byte("0000")

// sidebandTail passes receive-pack's response through, holding back its last four bytes so
// that, when the response is multiplexed (side-band or side-band-64k, which git asks for),
// messages can go on band 2 before its final flush: git prints them as "remote: ..." lines,
// as it prints the output of a post-receive hook.
type sidebandTail struct {
	http.ResponseWriter
	head []byte // the response's first bytes, up to five
	held []byte // the last bytes written, up to four, not yet passed on
}

func (t *sidebandTail) Write(p []byte) (int, error) {
	if len(t.head) < 5 {
		t.head = append(t.head, p[:min(len(p), 5-len(t.head))]...)
	}
	buf := append(t.held, p...)
	if len(buf) <= len(flushPkt) {
		t.held = buf
		return len(p), nil
	}
	cut := len(buf) - len(flushPkt)
	t.held = append([]byte(nil), buf[cut:]...)
	if _, err := t.ResponseWriter.Write(buf[:cut]); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush passes on what was written, but the held bytes.
func (t *sidebandTail) Flush() { _ = http.NewResponseController(t.ResponseWriter).Flush() }

// multiplexed reports whether the response is receive-pack's on side-band channels: its
// first packet is on band 1, and it ends with a flush.
func (t *sidebandTail) multiplexed() bool {
	return len(t.head) == 5 && t.head[4] == 1 && bytes.Equal(t.held, flushPkt)
}

// finish writes lines on band 2 when the response is multiplexed, then the held bytes.
func (t *sidebandTail) finish(lines []string) {
	if t.multiplexed() {
		for _, l := range lines {
			msg := []byte(l + "\n")
			if len(msg) > 1000 {
				msg = append(msg[:999], '\n')
			}
			_, _ = fmt.Fprintf(t.ResponseWriter, "%04x\x02%s", len(msg)+5, msg)
		}
	}
	_, _ = t.ResponseWriter.Write(t.held)
}
