// Package procmem reads a process's memory from /proc for the benchmarks that report a
// server's resident set.
package procmem

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Memory is a process's resident set now (VmRSS: its anonymous memory, RssAnon, and the
// pages of files it maps, RssFile, mostly its own binary's) and its peak since start
// (VmHWM), in kB.
type Memory struct{ RSS, Anon, File, HWM int64 }

func (m Memory) String() string {
	return fmt.Sprintf("%6.1f MB (anon %5.1f, file %5.1f)", mb(m.RSS), mb(m.Anon), mb(m.File))
}

func mb(kb int64) float64 { return float64(kb) / 1024 }

// Sample reads pid's /proc/PID/status; a process that is gone reads as zero.
func Sample(pid int) Memory {
	var m Memory
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return m
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), ":")
		kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		switch k {
		case "VmRSS":
			m.RSS = kb
		case "RssAnon":
			m.Anon = kb
		case "RssFile":
			m.File = kb
		case "VmHWM":
			m.HWM = kb
		}
	}
	return m
}
