package main

import (
	"time"

	"sluice/bench/internal/procmem"
)

// watch samples pid's VmRSS every 10 ms until the returned function is called, which
// returns the highest sample (kB).
func watch(pid int) func() int64 {
	stop, done := make(chan struct{}), make(chan int64)
	go func() {
		var top int64
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			top = max(top, procmem.Sample(pid).RSS)
			select {
			case <-stop:
				done <- top
				return
			case <-tick.C:
			}
		}
	}()
	return func() int64 { close(stop); return <-done }
}
