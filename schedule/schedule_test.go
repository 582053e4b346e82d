package schedule

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func at(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestNext(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ expr, after, want string }{
		{"rate(1 minute)", "2026-12-07 10:00", "2026-12-07 10:01"},
		{"rate(5 minutes)", "2026-12-07 10:00", "2026-12-07 10:05"},
		{"rate(1 hour)", "2026-12-07 10:30", "2026-12-07 11:30"},
		{"rate(2 days)", "2026-12-07 10:30", "2026-12-09 10:30"},
		{"cron(0 10 * * ? *)", "2026-12-07 10:00", "2026-12-08 10:00"},
		{"cron(0 10 * * ? *)", "2026-12-07 09:59", "2026-12-07 10:00"},
		{"cron(0/15 * * * ? *)", "2026-12-07 10:01", "2026-12-07 10:15"},
		{"cron(15 10 ? * 6L 2026-2027)", "2026-12-01 00:00", "2026-12-25 10:15"}, // last Friday
		{"cron(0 18 ? * MON-FRI *)", "2026-12-11 19:00", "2026-12-14 18:00"},     // Friday evening -> Monday
		{"cron(0 8 1 * ? *)", "2026-12-07 00:00", "2027-01-01 08:00"},
		{"cron(0 8 L * ? *)", "2027-02-01 00:00", "2027-02-28 08:00"},
		{"cron(0 8 15W * ? *)", "2026-08-01 00:00", "2026-08-14 08:00"},  // the 15th is a Saturday
		{"cron(0 8 1W * ? *)", "2026-08-01 00:00", "2026-08-03 08:00"},   // the 1st is a Saturday
		{"cron(0 9 ? * 3#2 *)", "2026-12-01 00:00", "2026-12-08 09:00"},  // second Tuesday
		{"cron(0 20-2 * * ? *)", "2026-12-07 02:30", "2026-12-07 20:00"}, // wrapping range
		{"cron(0 0 1 jan ? 2030)", "2026-12-07 00:00", "2030-01-01 00:00"},
		{"cron(0 0 29 2 ? *)", "2026-03-01 00:00", "2028-02-29 00:00"},
		{"cron(0 0 1 1 ? 2020)", "2026-12-07 00:00", ""}, // never again
	} {
		t.Run(tc.expr+" after "+tc.after, func(t *testing.T) {
			t.Parallel()
			s, err := Parse(tc.expr)
			require.NoError(t, err)
			got := s.Next(at(tc.after))
			if tc.want == "" {
				require.True(t, got.IsZero(), got)
				return
			}
			require.Equal(t, at(tc.want), got)
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	for _, expr := range []string{"", "rate()", "rate(1 minutes)", "rate(5 hour)", "rate(0 minutes)", "rate(-1 minute)",
		"rate(1 week)", "rate(1.5 hours)", "rate( 1 minute)", "cron(0 10 * * *)", "cron(0 10 * * * *)", "cron(0 10 ? * ? *)",
		"cron(60 10 * * ? *)", "cron(0 24 * * ? *)", "cron(0 0 32 * ? *)", "cron(0 0 * 13 ? *)", "cron(0 0 ? * 8 *)",
		"cron(0 0 * * ? 1969)", "cron(0 0 * * ? 2200)", "cron(0/0 0 * * ? *)", "cron(0 0 ? * 3#6 *)", "cron(a 0 * * ? *)",
		"cron(0  0 * * ? *)", "at(2026-12-07T10:00:00)", "cron(0 0 L-3 * ? *)"} { // L-n is Quartz's, not EventBridge's
		t.Run(expr, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(expr)
			var se *Error
			require.ErrorAs(t, err, &se)
		})
	}
}

// TestNextIn reads fields on another location's wall clock, across daylight-saving changes.
func TestNextIn(t *testing.T) {
	t.Parallel()
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	for _, tc := range []struct {
		name   string
		fields []string
		after  string
		want   string // UTC
	}{
		{"NineEST", []string{"0", "9", "*", "*", "?", "*"}, "2026-12-07 10:00", "2026-12-07 14:00"},
		{"NineEDT", []string{"0", "9", "*", "*", "?", "*"}, "2026-07-06 10:00", "2026-07-06 13:00"},
		{"SkippedHour", []string{"30", "2", "*", "*", "?", "*"}, "2026-03-08 06:00", "2026-03-09 06:30"},
		{"RepeatedHourSecondPass", []string{"30", "1", "*", "*", "?", "*"}, "2026-11-01 05:45", "2026-11-01 06:30"},
		{"LastMinusThree", []string{"0", "0", "L-3", "*", "?", "*"}, "2026-12-07 10:00", "2026-12-28 05:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := ParseFields(tc.fields, Quartz)
			require.NoError(t, err)
			got := c.NextIn(at(tc.after), ny)
			require.True(t, at(tc.want).Equal(got), got)
			require.True(t, c.Matches(got))
			require.False(t, c.Matches(got.Add(-time.Minute)))
		})
	}
}

func FuzzParseNext(f *testing.F) {
	for _, s := range []string{"rate(5 minutes)", "cron(0/5 8-17 ? * MON-FRI *)", "cron(0 8 LW * ? *)", "cron(0 0 ? * 6#3 2030/2)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		s, err := Parse(expr)
		if err != nil {
			return
		}
		after := at("2026-12-07 10:00")
		if next := s.Next(after); !next.IsZero() {
			require.True(t, next.After(after))
			require.Zero(t, next.Second())
		}
	})
}
