package console

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestListingExcerpts(t *testing.T) {
	t.Parallel()
	var lines []string
	for i := range 30 {
		lines = append(lines, "l"+strings.Repeat("x", i))
	}
	d := editorData{Text: strings.Join(lines, "\n") + "\n"}
	d.fail([]fieldError{{Line: 3, Msg: "a"}, {Msg: "whole"}, {Line: 20, Msg: "b"}, {Line: 20, Msg: "c"}})
	var got []int
	for _, l := range d.Listing {
		if l.Gap {
			got = append(got, 0)
			continue
		}
		got = append(got, l.N)
	}
	require.Equal(t, []int{1, 2, 3, 4, 5, 6, 7, 0, 16, 17, 18, 19, 20, 21, 22, 23, 24}, got)
	require.Equal(t, "err-3 err-4", d.Listing[12].IDs(), "line 20 carries both of its errors")
	require.Equal(t, "l", d.Listing[0].Text)
}
