package schedule

import (
	"strconv"
	"strings"
)

// Cron is a parsed cron expression: minutes hours day-of-month month day-of-week year.
// EventBridge's cron() reads it in UTC; NextIn and Matches read it in any location.
type Cron struct {
	minutes, hours, months [61]bool // indexed by value
	years                  map[int]bool
	dom                    dayOfMonth
	dow                    dayOfWeek
	domAny                 bool // day-of-month is "?": day-of-week decides
}

type dayOfMonth struct {
	days    [32]bool
	last    bool  // L
	weekday []int // nW: the weekday nearest n
	lastW   bool  // LW
	before  []int // L-n (Quartz only): n days before the last day
}

type dayOfWeek struct {
	days [8]bool  // 1 = Sunday
	last []int    // nL: the last weekday n of the month
	nth  [][2]int // d#k: the k-th weekday d
}

const (
	minYear = 1970
	maxYear = 2199
)

var monthNames = map[string]int{"JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6, "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12}
var dayNames = map[string]int{"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}

func badCron() error { return invalid("Parameter ScheduleExpression is not valid.") }

// Syntax says which cron dialect ParseFields reads.
type Syntax int

const (
	// EventBridge is the cron() of EventBridge's schedule expressions.
	EventBridge Syntax = iota
	// Quartz adds L-n in the day-of-month field (n days before the month's last day), as
	// CodePipeline's DeploymentWindow rule documents it.
	Quartz
)

func parseCron(body string) (Schedule, error) {
	c, err := ParseFields(strings.Split(body, " "), EventBridge)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// ParseFields reads the six fields minutes, hours, day-of-month, month, day-of-week and year.
// Exactly one of day-of-month and day-of-week must be "?". A bad field is an *Error with
// EventBridge's message, which names no field.
func ParseFields(f []string, syntax Syntax) (*Cron, error) {
	if len(f) != 6 {
		return nil, badCron()
	}
	c := &Cron{years: map[int]bool{}}
	if (f[2] == "?") == (f[4] == "?") {
		return nil, badCron() // exactly one of day-of-month and day-of-week is "?"
	}
	if err := setField(c.minutes[:], f[0], 0, 59, nil); err != nil {
		return nil, err
	}
	if err := setField(c.hours[:], f[1], 0, 23, nil); err != nil {
		return nil, err
	}
	if err := setField(c.months[:], f[3], 1, 12, monthNames); err != nil {
		return nil, err
	}
	if err := c.setYears(f[5]); err != nil {
		return nil, err
	}
	c.domAny = f[2] == "?"
	var err error
	if c.domAny {
		err = c.dow.parse(f[4])
	} else {
		err = c.dom.parse(f[2], syntax)
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Cron) setYears(field string) error {
	years := make([]bool, maxYear+1)
	if err := setField(years, field, minYear, maxYear, nil); err != nil {
		return err
	}
	for y := minYear; y <= maxYear; y++ {
		if years[y] {
			c.years[y] = true
		}
	}
	return nil
}

// setField sets set[v] for every v the field names: "*", n, a-b (wrapping when a > b),
// x/step (x is *, n or a-b), and lists of these.
func setField(set []bool, field string, lo, hi int, names map[string]int) error {
	for _, item := range strings.Split(field, ",") {
		if err := setItem(set, item, lo, hi, names); err != nil {
			return err
		}
	}
	return nil
}

func setItem(set []bool, item string, lo, hi int, names map[string]int) error {
	base, step := item, 1
	if i := strings.IndexByte(item, '/'); i >= 0 {
		s, err := strconv.Atoi(item[i+1:])
		if err != nil || s <= 0 || s > hi-lo+1 {
			return badCron()
		}
		base, step = item[:i], s
	}
	from, to := lo, hi
	switch {
	case base == "*":
	case strings.Contains(base, "-"):
		a, b, _ := strings.Cut(base, "-")
		var err error
		if from, err = value(a, lo, hi, names); err != nil {
			return err
		}
		if to, err = value(b, lo, hi, names); err != nil {
			return err
		}
	default:
		v, err := value(base, lo, hi, names)
		if err != nil {
			return err
		}
		from = v
		if step == 1 {
			to = v
		}
	}
	n := hi - lo + 1
	span := (to - from + n) % n
	for k := 0; k <= span; k += step {
		set[lo+(from-lo+k)%n] = true
	}
	return nil
}

func value(s string, lo, hi int, names map[string]int) (int, error) {
	if v, ok := names[strings.ToUpper(s)]; ok {
		return v, nil
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < lo || v > hi || s == "" || s[0] == '+' || s[0] == '-' {
		return 0, badCron()
	}
	return v, nil
}

func (d *dayOfMonth) parse(field string, syntax Syntax) error {
	for _, item := range strings.Split(field, ",") {
		switch {
		case item == "L":
			d.last = true
		case item == "LW":
			d.lastW = true
		case syntax == Quartz && strings.HasPrefix(item, "L-"):
			n, err := value(item[2:], 1, 30, nil)
			if err != nil {
				return err
			}
			d.before = append(d.before, n)
		case strings.HasSuffix(item, "W"):
			n, err := value(strings.TrimSuffix(item, "W"), 1, 31, nil)
			if err != nil {
				return err
			}
			d.weekday = append(d.weekday, n)
		default:
			if err := setItem(d.days[:], item, 1, 31, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

func (d *dayOfWeek) parse(field string) error {
	if strings.Contains(field, "#") {
		a, b, _ := strings.Cut(field, "#")
		day, err := value(a, 1, 7, dayNames)
		if err != nil {
			return err
		}
		k, err := value(b, 1, 5, nil)
		if err != nil {
			return err
		}
		d.nth = append(d.nth, [2]int{day, k})
		return nil
	}
	for _, item := range strings.Split(field, ",") {
		switch {
		case item == "L":
			d.days[7] = true // Quartz: L alone is the last day of the week, Saturday
		case len(item) > 1 && strings.HasSuffix(item, "L"):
			day, err := value(strings.TrimSuffix(item, "L"), 1, 7, dayNames)
			if err != nil {
				return err
			}
			d.last = append(d.last, day)
		default:
			if err := setItem(d.days[:], item, 1, 7, dayNames); err != nil {
				return err
			}
		}
	}
	return nil
}
