package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// memory is a process's resident set now (VmRSS: its anonymous memory, RssAnon, and the
// pages of files it maps, RssFile, mostly its own binary's) and its peak since start
// (VmHWM), in kB.
type memory struct{ rss, anon, file, hwm int64 }

func (m memory) String() string {
	return fmt.Sprintf("%6.1f MB (anon %5.1f, file %5.1f)", mb(m.rss), mb(m.anon), mb(m.file))
}

func sample(pid int) memory {
	var m memory
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
			m.rss = kb
		case "RssAnon":
			m.anon = kb
		case "RssFile":
			m.file = kb
		case "VmHWM":
			m.hwm = kb
		}
	}
	return m
}
