package schedule

import "time"

// Next walks day by day from after's day to the last year cron knows, and takes the first
// minute of a matching day after after.
func (c *Cron) Next(after time.Time) time.Time {
	t := after.UTC().Truncate(time.Minute).Add(time.Minute)
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	for ; day.Year() <= maxYear; day = day.AddDate(0, 0, 1) {
		if !c.years[day.Year()] {
			day = time.Date(day.Year()+1, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
			continue
		}
		if !c.months[int(day.Month())] || !c.dayMatches(day) {
			continue
		}
		if at, ok := c.firstMinute(day, t); ok {
			return at
		}
	}
	return time.Time{}
}

// firstMinute is the first matching hour and minute of day at or after from.
func (c *Cron) firstMinute(day, from time.Time) (time.Time, bool) {
	for h := 0; h < 24; h++ {
		if !c.hours[h] {
			continue
		}
		for m := 0; m < 60; m++ {
			if !c.minutes[m] {
				continue
			}
			if at := day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute); !at.Before(from) {
				return at, true
			}
		}
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
