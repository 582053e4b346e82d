package runner

import (
	"bytes"
	"cmp"
	"io"
	"slices"
)

// maskText replaces a secret in logs and summaries.
const maskText = "****"

// MaskWriter replaces secret strings with "****" on their way to an underlying writer, also
// when a secret is split across writes: a tail that could start a secret is held back until
// the next Write or Flush decides. Where secrets overlap, the longest one starting first is
// masked. It is not safe for concurrent use.
type MaskWriter struct {
	w       io.Writer
	m       masker
	pending []byte
	out     []byte
}

// NewMaskWriter returns a MaskWriter writing to w; empty secrets are ignored.
func NewMaskWriter(w io.Writer, secrets ...string) *MaskWriter {
	return &MaskWriter{w: w, m: newMasker(secrets)}
}

// Write masks p and writes what is decided; it reports len(p) on success even though a
// possible secret prefix is still held back.
func (mw *MaskWriter) Write(p []byte) (int, error) {
	buf := p
	if len(mw.pending) > 0 {
		mw.pending = append(mw.pending, p...)
		buf = mw.pending
	}
	out, rest := mw.m.mask(mw.out[:0], buf, false)
	mw.out = out[:0]
	mw.pending = append(mw.pending[:0], rest...) // rest may alias pending; append copies forward
	if len(out) == 0 {
		return len(p), nil
	}
	if _, err := mw.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes the held-back bytes: at the end of the stream they cannot become a secret.
func (mw *MaskWriter) Flush() error {
	if len(mw.pending) == 0 {
		return nil
	}
	out, _ := mw.m.mask(mw.out[:0], mw.pending, true)
	mw.pending = mw.pending[:0]
	_, err := mw.w.Write(out)
	return err
}

// Mask returns s with every secret replaced by "****".
func Mask(s string, secrets ...string) string {
	m := newMasker(secrets)
	if len(m.secrets) == 0 {
		return s
	}
	out, _ := m.mask(nil, []byte(s), true)
	return string(out)
}

type masker struct {
	secrets [][]byte // longest first, so the longest of overlapping secrets wins
	first   [256]bool
}

func newMasker(secrets []string) masker {
	var m masker
	for _, s := range secrets {
		if s != "" && !slices.ContainsFunc(m.secrets, func(b []byte) bool { return string(b) == s }) {
			m.secrets = append(m.secrets, []byte(s))
			m.first[s[0]] = true
		}
	}
	slices.SortStableFunc(m.secrets, func(a, b []byte) int { return cmp.Compare(len(b), len(a)) })
	return m
}

// mask appends buf to out with secrets replaced. Unless final, it stops at the first place
// where a secret may begin but buf ends too early to tell, and returns the rest.
func (m *masker) mask(out, buf []byte, final bool) (masked, rest []byte) {
	start := 0
	for i := 0; i < len(buf); {
		if !m.first[buf[i]] {
			i++
			continue
		}
		n, partial := m.matchAt(buf[i:], final)
		switch {
		case partial:
			return append(out, buf[start:i]...), buf[i:]
		case n > 0:
			out = append(append(out, buf[start:i]...), maskText...)
			i += n
			start = i
		default:
			i++
		}
	}
	return append(out, buf[start:]...), nil
}

// matchAt returns the length of the secret b starts with, or partial when b is a proper
// prefix of a secret at least as long as any full match.
func (m *masker) matchAt(b []byte, final bool) (n int, partial bool) {
	for _, s := range m.secrets {
		if len(b) >= len(s) {
			if bytes.HasPrefix(b, s) {
				return len(s), false
			}
		} else if !final && bytes.HasPrefix(s, b) {
			return 0, true
		}
	}
	return 0, false
}
