package schedule

import "time"

// Next is NextIn(after, time.UTC): EventBridge reads cron() in UTC.
func (c *Cron) Next(after time.Time) time.Time { return c.NextIn(after, time.UTC) }

// NextIn is the first minute strictly after after's minute whose wall clock in loc c names
// (zero: never). It walks day by day to the last year cron knows. A wall-clock time that a
// daylight-saving change skips never comes; one that it repeats comes twice.
func (c *Cron) NextIn(after time.Time, loc *time.Location) time.Time {
	t := after.In(loc).Truncate(time.Minute).Add(time.Minute)
	// day is a calendar date, kept in UTC so that walking it never meets a DST change.
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	for ; day.Year() <= maxYear; day = day.AddDate(0, 0, 1) {
		if !c.years[day.Year()] {
			day = time.Date(day.Year()+1, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
			continue
		}
		if !c.months[int(day.Month())] || !c.dayMatches(day) {
			continue
		}
		if at, ok := c.firstMinute(day, t, loc); ok {
			return at
		}
	}
	return time.Time{}
}

// Matches reports whether c names the wall-clock minute of t in t's location.
func (c *Cron) Matches(t time.Time) bool {
	if !c.years[t.Year()] || !c.months[int(t.Month())] || !c.hours[t.Hour()] || !c.minutes[t.Minute()] {
		return false
	}
	return c.dayMatches(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC))
}

// firstMinute is the first matching hour and minute of day, in loc, at or after from.
func (c *Cron) firstMinute(day, from time.Time, loc *time.Location) (time.Time, bool) {
	for h := 0; h < 24; h++ {
		if !c.hours[h] {
			continue
		}
		for m := 0; m < 60; m++ {
			if !c.minutes[m] {
				continue
			}
			if at, ok := wallClock(day, h, m, from, loc); ok {
				return at, true
			}
		}
	}
	return time.Time{}, false
}

// wallClock is the first instant at or after from whose wall clock in loc reads day h:m.
// time.Date picks one of a repeated time's two instants, so the hour either side is tried.
func wallClock(day time.Time, h, m int, from time.Time, loc *time.Location) (time.Time, bool) {
	at := time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, loc)
	for _, c := range [...]time.Time{at.Add(-time.Hour), at, at.Add(time.Hour)} {
		if c.Before(from) || c.Hour() != h || c.Minute() != m || c.Day() != day.Day() {
			continue
		}
		return c, true
	}
	return time.Time{}, false
}

func (c *Cron) dayMatches(day time.Time) bool {
	if c.domAny {
		return c.dow.matches(day)
	}
	return c.dom.matches(day)
}

func lastDay(day time.Time) int {
	return time.Date(day.Year(), day.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func (d *dayOfMonth) matches(day time.Time) bool {
	n, last := day.Day(), lastDay(day)
	if d.days[n] || (d.last && n == last) {
		return true
	}
	if d.lastW && n == nearestWeekday(day, last) {
		return true
	}
	for _, b := range d.before {
		if n == last-b {
			return true
		}
	}
	for _, w := range d.weekday {
		if w <= last && n == nearestWeekday(day, w) {
			return true
		}
	}
	return false
}

// nearestWeekday is the weekday (Monday to Friday) nearest day n of day's month, not
// leaving the month.
func nearestWeekday(day time.Time, n int) int {
	d := time.Date(day.Year(), day.Month(), n, 0, 0, 0, 0, time.UTC)
	switch d.Weekday() {
	case time.Saturday:
		if n == 1 {
			return 3
		}
		return n - 1
	case time.Sunday:
		if n == lastDay(day) {
			return n - 2
		}
		return n + 1
	}
	return n
}

func (d *dayOfWeek) matches(day time.Time) bool {
	wd := int(day.Weekday()) + 1 // 1 = Sunday
	if d.days[wd] {
		return true
	}
	for _, l := range d.last {
		if l == wd && day.Day()+7 > lastDay(day) {
			return true
		}
	}
	for _, nk := range d.nth {
		if nk[0] == wd && (day.Day()-1)/7+1 == nk[1] {
			return true
		}
	}
	return false
}
