package main

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestWatcherShow: on a terminal the board is redrawn over the last drawing; elsewhere only
// what changed is printed, once.
func TestWatcherShow(t *testing.T) {
	t.Parallel()
	start := time.Now().Add(-time.Minute)
	boardWith := func(status string) *board {
		return &board{Pipeline: "app", Execution: "e1", Status: "InProgress", Stages: []stageBox{
			{Name: "Build", Status: status, Actions: []actionRow{{Name: "Compile", Provider: "Commands", Status: status, Start: &start}}}}}
	}

	t.Run("RedrawsInPlaceOnATerminal", func(t *testing.T) {
		t.Parallel()
		var out bytes.Buffer
		w := &watcher{out: &out, live: true}
		w.show(boardWith("InProgress"))
		first := out.String()
		require.NotContains(t, first, "\x1b[")
		lines := strings.Count(first, "\n")
		out.Reset()
		w.show(boardWith("Succeeded"))
		require.True(t, strings.HasPrefix(out.String(), "\x1b["+strconv.Itoa(lines)+"A\x1b[J"), out.String())
		require.Contains(t, out.String(), "Succeeded")
	})
	t.Run("PrintsChangesOnceElsewhere", func(t *testing.T) {
		t.Parallel()
		var out bytes.Buffer
		w := &watcher{out: &out}
		w.show(boardWith("InProgress"))
		w.show(boardWith("InProgress"))
		w.show(boardWith("Succeeded"))
		require.Equal(t, 1, strings.Count(out.String(), "Build/Compile InProgress"))
		require.Equal(t, 1, strings.Count(out.String(), "Build/Compile Succeeded"))
		require.Equal(t, 1, strings.Count(out.String(), "stage Build Succeeded"))
		require.NotContains(t, out.String(), "┌", "no boxes in a log")
	})
}
