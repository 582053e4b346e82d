package runner_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/runner"
)

func TestMaskWriter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		secrets []string
		in      string
		want    string
	}{
		{"NoSecrets", nil, "plain text", "plain text"},
		{"One", []string{"hunter2"}, "pw=hunter2;", "pw=****;"},
		{"Repeated", []string{"ab"}, "abab-ab", "********-****"},
		{"PrefixAtEndIsFlushed", []string{"hunter2"}, "ends with hunt", "ends with hunt"},
		{"LongestWins", []string{"abc", "abcdef"}, "xabcdefx abcx", "x****x ****x"},
		{"OverlapFirstWins", []string{"xyz", "yzq"}, "xyzq", "****q"},
		{"EmptySecretIgnored", []string{""}, "text", "text"},
		{"Multiline", []string{"line1\nline2"}, "a line1\nline2 b", "a **** b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, runner.Mask(tt.in, tt.secrets...))
			// Every way of splitting the input in two writes gives the same output.
			for cut := range len(tt.in) + 1 {
				var out bytes.Buffer
				w := runner.NewMaskWriter(&out, tt.secrets...)
				n, err := w.Write([]byte(tt.in[:cut]))
				require.NoError(t, err)
				require.Equal(t, cut, n)
				_, err = w.Write([]byte(tt.in[cut:]))
				require.NoError(t, err)
				require.NoError(t, w.Flush())
				require.Equal(t, tt.want, out.String(), "cut at %d", cut)
			}
		})
	}
	t.Run("ByteAtATime", func(t *testing.T) {
		t.Parallel()
		var out bytes.Buffer
		w := runner.NewMaskWriter(&out, "secret", "sec")
		for _, c := range []byte("a secret, a sec, a se") {
			_, err := w.Write([]byte{c})
			require.NoError(t, err)
		}
		require.NoError(t, w.Flush())
		require.Equal(t, "a ****, a ****, a se", out.String())
	})
}
