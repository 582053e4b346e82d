package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"sluice/bench/internal/pgdb"
)

// cpuTimes is CPU time a process spent: its own (user and system), and its reaped
// children's.
type cpuTimes struct {
	self, children time.Duration
	per            map[int]time.Duration // per process, for pgCPU's backends
}

func (a cpuTimes) sub(b cpuTimes) cpuTimes {
	d := cpuTimes{self: a.self - b.self, children: a.children - b.children}
	if a.per != nil { // backends: those alive at the end, less what each had spent at the start
		d.self = 0
		for pid, t := range a.per {
			d.self += t - b.per[pid]
		}
	}
	return d
}

// ticks is the kernel's USER_HZ, 100 on Linux.
const ticks = 100

// cpuOf reads pid's /proc/PID/stat: utime, stime, cutime and cstime (fields 14-17).
func cpuOf(pid int) cpuTimes {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return cpuTimes{}
	}
	// The command name (field 2) is in parentheses and may hold spaces: count after it.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	n := func(i int) time.Duration { // i: the field's number in proc(5)
		v, _ := strconv.ParseInt(f[i-3], 10, 64)
		return time.Duration(v) * time.Second / ticks
	}
	return cpuTimes{self: n(14) + n(15), children: n(16) + n(17)}
}

// pgCPU is the CPU time of db's backends, the server's connections (no database: zero). A
// connection that closed between two readings is missed; the server's pool keeps its own.
func pgCPU(db *pgdb.Database) cpuTimes {
	t := cpuTimes{per: map[int]time.Duration{}}
	if db == nil {
		return t
	}
	pids, err := db.Backends(context.Background())
	if err != nil {
		return t
	}
	for _, pid := range pids {
		c := cpuOf(pid)
		t.per[pid] = c.self
		t.self += c.self
	}
	return t
}

// logErrors fails when the server logged an error, quoting the first few.
func logErrors(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var lines []string
	n := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if strings.Contains(sc.Text(), `"level":"ERROR"`) || strings.Contains(sc.Text(), "level=ERROR") {
			n++
			if len(lines) < 5 {
				lines = append(lines, sc.Text())
			}
		}
	}
	if n > 0 {
		return fmt.Errorf("the server logged %d errors, the first:\n%s", n, strings.Join(lines, "\n"))
	}
	return nil
}
