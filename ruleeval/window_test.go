package ruleeval_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/ruleeval"
)

const workingHours = "0 0 9-17 ? * MON-FRI *" // the AWS docs' example

// utc reads "2006-01-02 15:04:05" (seconds optional) in UTC.
func utc(t testing.TB, s string) time.Time {
	t.Helper()
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02 15:04"} {
		if v, err := time.Parse(layout, s); err == nil {
			return v
		}
	}
	t.Fatalf("bad time %q in the test table", s)
	return time.Time{}
}

func TestInWindow(t *testing.T) {
	t.Parallel()
	// 2026-12-07 is a Monday. want "" means inside; "never" means outside with no next opening.
	for _, tc := range []struct {
		name, cron, zone, now, next string
	}{
		{"DocsExampleOpensAtNine", workingHours, "", "2026-12-07 09:00", ""},
		{"DocsExampleHourSeventeenIsWhole", workingHours, "", "2026-12-07 17:59:59", ""},
		{"DocsExampleClosesAtSix", workingHours, "", "2026-12-07 18:00", "2026-12-08 09:00"},
		{"DocsExampleBeforeNine", workingHours, "", "2026-12-07 08:59:59", "2026-12-07 09:00"},
		{"DocsExampleFridayEveningToMonday", workingHours, "", "2026-12-11 18:30", "2026-12-14 09:00"},
		{"DocsExampleSaturday", workingHours, "", "2026-12-12 12:00", "2026-12-14 09:00"},
		{"YearOmitted", "0 0 9-17 ? * MON-FRI", "", "2026-12-08 12:00", ""},
		{"SecondsStar", "* 0 9-17 ? * 2-6 *", "", "2026-12-08 12:00", ""},
		{"MinuteRangeRestricts", "0 0-29 9 ? * MON *", "", "2026-12-07 09:29:59", ""},
		{"MinuteRangeCloses", "0 0-29 9 ? * MON *", "", "2026-12-07 09:30", "2026-12-14 09:00"},
		{"SingleMinuteIsOneMinute", "0 30 9 * * ? *", "", "2026-12-07 09:31", "2026-12-08 09:30"},
		{"MinuteStep", "0 */15 * * * ? *", "", "2026-12-07 10:16", "2026-12-07 10:30"},
		{"HoursList", "0 0 8,12,16 * * ? *", "", "2026-12-07 12:40", ""},
		{"HoursWrapMidnight", "0 0 22-5 * * ? *", "", "2026-12-07 03:10", ""},
		{"HoursWrapOutside", "0 0 22-5 * * ? *", "", "2026-12-07 12:00", "2026-12-07 22:00"},
		{"LastDayOfMonth", "0 0 * L * ? *", "", "2027-02-28 12:00", ""},
		{"LastDayOfMonthNext", "0 0 * L * ? *", "", "2027-02-27 12:00", "2027-02-28 00:00"},
		{"LeapYearLastDay", "0 0 * L 2 ? *", "", "2028-02-28 12:00", "2028-02-29 00:00"},
		{"ThreeBeforeLast", "0 0 * L-3 * ? *", "", "2026-12-07 12:00", "2026-12-28 00:00"},
		{"NearestWeekdaySaturday", "0 0 * 15W * ? *", "", "2026-08-14 10:00", ""},
		{"NearestWeekdayNotTheSaturday", "0 0 * 15W * ? *", "", "2026-08-15 10:00", "2026-09-15 00:00"},
		{"LastWeekday", "0 0 * LW * ? *", "", "2027-01-30 10:00", "2027-02-26 00:00"},
		{"LastWeekdayFriday", "0 0 * LW * ? *", "", "2027-01-29 10:00", ""},
		{"SecondTuesday", "0 0 9-17 ? * 3#2 *", "", "2026-12-07 10:00", "2026-12-08 09:00"},
		{"SecondTuesdayInside", "0 0 9-17 ? * TUE#2 *", "", "2026-12-08 10:00", ""},
		{"LastFriday", "0 0 * ? * 6L *", "", "2026-12-07 10:00", "2026-12-25 00:00"},
		{"LAloneIsSaturday", "0 0 * ? * L *", "", "2026-12-12 10:00", ""},
		{"MonthNames", "0 0 * * JAN-MAR ? *", "", "2026-12-07 10:00", "2027-01-01 00:00"},
		{"LowerCaseNames", "0 0 9 ? * mon *", "", "2026-12-07 09:10", ""},
		{"YearLater", "0 0 * * * ? 2027", "", "2026-12-07 10:00", "2027-01-01 00:00"},
		{"YearStep", "0 0 * * * ? 2026/2", "", "2027-06-01 10:00", "2028-01-01 00:00"},
		{"YearPast", "0 0 * * * ? 2020", "", "2026-12-07 10:00", "never"},
		{"LastYearCronKnows", "0 0 * * * ? 2199", "", "2199-12-31 23:59", ""},
		{"NewYorkWinter", workingHours, "America/New_York", "2026-12-07 14:00", ""},
		{"NewYorkWinterBefore", workingHours, "America/New_York", "2026-12-07 13:59", "2026-12-07 14:00"},
		{"NewYorkSummer", workingHours, "America/New_York", "2026-07-06 13:00", ""},
		{"NewYorkSummerLast", workingHours, "America/New_York", "2026-07-06 21:59", ""},
		{"NewYorkAcrossSpringForward", workingHours, "America/New_York", "2026-03-06 23:00", "2026-03-09 13:00"},
		{"NewYorkSkippedHourNeverComes", "0 0 2 * * ? *", "America/New_York", "2026-03-08 06:00", "2026-03-09 06:00"},
		{"NewYorkRepeatedHourFirst", "0 0 1 * * ? *", "America/New_York", "2026-11-01 05:30", ""},
		{"NewYorkRepeatedHourSecond", "0 0 1 * * ? *", "America/New_York", "2026-11-01 06:30", ""},
		{"NewYorkRepeatedHourOpens", "0 0 1 * * ? *", "America/New_York", "2026-11-01 04:59", "2026-11-01 05:00"},
		{"ParisRepeatedTimeFirst", "0 30 2 * * ? *", "Europe/Paris", "2026-10-25 00:00", "2026-10-25 00:30"},
		{"ParisRepeatedTimeSecond", "0 30 2 * * ? *", "Europe/Paris", "2026-10-25 00:45", "2026-10-25 01:30"},
		{"IndiaOffset", workingHours, "UTC+05:30", "2026-12-07 03:30", ""},
		{"IndiaOffsetBefore", workingHours, "UTC+05:30", "2026-12-07 03:29", "2026-12-07 03:30"},
		{"IndiaOffsetShift", workingHours, "UTC+05:30", "2026-12-07 12:29", ""},
		{"IndiaOffsetClosed", workingHours, "UTC+05:30", "2026-12-07 12:30", "2026-12-08 03:30"},
		{"NegativeOffset", "0 0 9 * * ? *", "UTC-8", "2026-12-07 17:00", ""},
		{"IndiaByName", workingHours, "Asia/Kolkata", "2026-12-07 03:30", ""},
		{"IndiaByAbbreviation", workingHours, "IST", "2026-12-07 03:30", ""},
		{"PSTKeepsDaylightSaving", "0 0 9 * * ? *", "PST", "2026-07-06 16:00", ""},
		{"ESTKeepsDaylightSaving", "0 0 9 * * ? *", "EST", "2026-07-06 13:00", ""},
		{"UTCByName", "0 0 9 * * ? *", "UTC", "2026-07-06 09:00", ""},
		{"GMTOffset", "0 0 9 * * ? *", "GMT+2", "2026-07-06 07:00", ""},
		{"CET", "0 0 9 * * ? *", "CET", "2026-07-06 07:00", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			inside, next, err := ruleeval.InWindow(tc.cron, tc.zone, utc(t, tc.now))
			require.NoError(t, err)
			switch tc.next {
			case "":
				require.True(t, inside)
				require.True(t, next.IsZero())
			case "never":
				require.False(t, inside)
				require.True(t, next.IsZero(), next)
			default:
				require.False(t, inside)
				require.True(t, utc(t, tc.next).Equal(next), "next opening %s, want %s UTC", next, tc.next)
			}
		})
	}
}

// TestNextOpenIsInside checks the contract the engine's summary relies on: the opening
// InWindow reports is inside the window, and the minute before it is not.
func TestNextOpenIsInside(t *testing.T) {
	t.Parallel()
	now := utc(t, "2026-12-07 00:00")
	for _, tc := range []struct{ cron, zone string }{
		{workingHours, ""}, {workingHours, "America/New_York"}, {"0 0 * L-3 * ? *", "UTC+05:30"},
		{"0 0 9-17 ? * 6#3 *", "Australia/Sydney"}, {"0 0 2 * 3 ? *", "America/New_York"},
	} {
		for step := 0; step < 50; step++ {
			inside, next, err := ruleeval.InWindow(tc.cron, tc.zone, now)
			require.NoError(t, err)
			if inside {
				now = now.Add(7 * time.Hour)
				continue
			}
			require.True(t, next.After(now), "%s %s: next %s after %s", tc.cron, tc.zone, next, now)
			in, _, _ := ruleeval.InWindow(tc.cron, tc.zone, next)
			require.True(t, in, "%s %s: %s", tc.cron, tc.zone, next)
			before, _, _ := ruleeval.InWindow(tc.cron, tc.zone, next.Add(-time.Minute))
			require.False(t, before, "%s %s: the minute before %s", tc.cron, tc.zone, next)
			now = next.Add(3 * time.Hour)
		}
	}
}

func TestValidateWindow(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, cron, zone, text string }{
		{"OK", workingHours, "", ""},
		{"OKNoYear", "0 0 9-17 ? * MON-FRI", "America/New_York", ""},
		{"OKOffset", workingHours, "UTC-08:00", ""},
		{"OKAbbreviationAnyCase", workingHours, "pdt", ""},
		{"OKEtc", workingHours, "Etc/GMT+5", ""},
		{"ErrEmpty", "", "", "Cron '' has 0 fields"},
		{"ErrFiveFields", "0 9-17 ? * MON-FRI", "", "has 5 fields"},
		{"ErrEightFields", workingHours + " *", "", "has 8 fields"},
		{"ErrSeconds", "30 0 9-17 ? * MON-FRI *", "", "seconds field '30'"},
		{"ErrSecondsStep", "0/15 0 9-17 ? * MON-FRI *", "", "seconds must be * or 0"},
		{"ErrMinutes", "0 60 9 ? * MON *", "", "invalid minutes field '60'"},
		{"ErrHours", "0 0 9-24 ? * MON *", "", "invalid hours field '9-24'"},
		{"ErrDayOfMonth", "0 0 9 32 * ? *", "", "invalid day-of-month field '32'"},
		{"ErrLastOffset", "0 0 9 L-31 * ? *", "", "invalid day-of-month field 'L-31'"},
		{"ErrMonth", "0 0 9 ? 13 MON *", "", "invalid month field '13'"},
		{"ErrDayOfWeek", "0 0 9 ? * MON-FUN *", "", "invalid day-of-week field 'MON-FUN'"},
		{"ErrNth", "0 0 9 ? * 3#6 *", "", "invalid day-of-week field '3#6'"},
		{"ErrYear", "0 0 9 ? * MON 1969", "", "invalid year field '1969'"},
		{"ErrBothDays", "0 0 9 * * MON *", "", "'?' in exactly one of day-of-month and day-of-week"},
		{"ErrNeitherDay", "0 0 9 ? * ? *", "", "'?' in exactly one of day-of-month and day-of-week"},
		{"ErrZone", workingHours, "Mars/Olympus_Mons", "TimeZone 'Mars/Olympus_Mons' is not a time zone"},
		{"ErrHostZone", workingHours, "Local", "TimeZone 'Local' is not a time zone"},
		{"ErrOffsetTooFar", workingHours, "UTC+15:00", "TimeZone 'UTC+15:00'"},
		{"ErrOffsetMinutes", workingHours, "UTC+05:60", "TimeZone 'UTC+05:60'"},
		{"ErrOffsetSpelling", workingHours, "UTC+5h", "TimeZone 'UTC+5h'"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := ruleeval.ValidateWindow(tc.cron, tc.zone)
			if tc.text == "" {
				require.NoError(t, err)
				return
			}
			require.Equal(t, sluice.EInvalid, sluice.ErrorCode(err))
			require.ErrorContains(t, err, tc.text)
			_, _, runErr := ruleeval.InWindow(tc.cron, tc.zone, utc(t, "2026-12-07 10:00"))
			require.Equal(t, err, runErr, "InWindow refuses what ValidateWindow refuses")
		})
	}
}
