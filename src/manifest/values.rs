//! Checks of the values inside reset periodicities that the types alone do not catch: real
//! calendar dates, local times, day numbers, and IANA time zone names (against the time zone
//! database bundled with scoville, so the answer is the same on every machine).

use crate::model::{CappingReset, MeetingLimitReset, WorkspaceResetPeriodicity};

/// A problem with one value: the message and a hint.
pub type ValueProblem = (String, String);

/// Problems with a Meeting distribution's limit reset.
pub fn meeting_reset(reset: &MeetingLimitReset) -> Vec<ValueProblem> {
    let mut problems = Vec::new();
    let (every, starts_on, timezone) = match reset {
        MeetingLimitReset::Daily {
            every,
            starts_on,
            reset_local_time,
            timezone,
        } => {
            if !is_local_time(reset_local_time) {
                problems.push((
                    format!("`resetLocalTime: {reset_local_time}` is not a time of day"),
                    "write it as HH:MM on a 24-hour clock, e.g. 00:00 or 17:30".to_string(),
                ));
            }
            (every, starts_on, timezone)
        }
        MeetingLimitReset::Weekly {
            every,
            starts_on,
            timezone,
            ..
        } => (every, starts_on, timezone),
        MeetingLimitReset::Monthly {
            every,
            starts_on,
            reset_day,
            timezone,
        } => {
            if !(1..=28).contains(reset_day) {
                problems.push((
                    format!("`resetDay: {reset_day}` is out of range"),
                    "a monthly reset day is 1 to 28, so that every month has it".to_string(),
                ));
            }
            (every, starts_on, timezone)
        }
    };
    if *every == 0 {
        problems.push((
            "`every: 0` never resets".to_string(),
            "use 1 or more".to_string(),
        ));
    }
    if !is_date(starts_on) {
        problems.push((
            format!("`startsOn: {starts_on}` is not a date"),
            "write the day as YYYY-MM-DD, e.g. 2026-01-05".to_string(),
        ));
    }
    problems.extend(time_zone("timezone", timezone));
    problems
}

/// Problems with a distribution's capping reset.
pub fn capping_reset(reset: &CappingReset) -> Vec<ValueProblem> {
    match reset {
        CappingReset::HourlyRolling => Vec::new(),
        CappingReset::Daily { time_zone: zone } | CappingReset::Monthly { time_zone: zone } => {
            time_zone("timeZone", zone).into_iter().collect()
        }
        CappingReset::Weekly {
            time_zone: zone,
            day_of_week,
        } => {
            let mut problems: Vec<ValueProblem> = time_zone("timeZone", zone).into_iter().collect();
            if !(1..=7).contains(day_of_week) {
                problems.push((
                    format!("`dayOfWeek: {day_of_week}` is out of range"),
                    "1 is Monday and 7 is Sunday".to_string(),
                ));
            }
            problems
        }
    }
}

/// Problems with a workspace's reset periodicity.
pub fn workspace_reset(reset: &WorkspaceResetPeriodicity) -> Vec<ValueProblem> {
    match reset {
        WorkspaceResetPeriodicity::Never => Vec::new(),
        WorkspaceResetPeriodicity::Weekly {
            day_of_week,
            time_zone: zone,
        } => {
            let mut problems: Vec<ValueProblem> = time_zone("timeZone", zone).into_iter().collect();
            if !(1..=7).contains(day_of_week) {
                problems.push((
                    format!("`dayOfWeek: {day_of_week}` is out of range"),
                    "1 is Monday and 7 is Sunday".to_string(),
                ));
            }
            problems
        }
        WorkspaceResetPeriodicity::Daily { time_zone: zone }
        | WorkspaceResetPeriodicity::Monthly { time_zone: zone } => {
            time_zone("timeZone", zone).into_iter().collect()
        }
        WorkspaceResetPeriodicity::Quarterly {
            first_month,
            time_zone: zone,
        } => {
            let mut problems: Vec<ValueProblem> = time_zone("timeZone", zone).into_iter().collect();
            if !(1..=3).contains(first_month) {
                problems.push((
                    format!("`firstMonth: {first_month}` is out of range"),
                    "the first month of a quarter is 1, 2 or 3".to_string(),
                ));
            }
            problems
        }
        WorkspaceResetPeriodicity::Yearly {
            month_of_year,
            time_zone: zone,
        } => {
            let mut problems: Vec<ValueProblem> = time_zone("timeZone", zone).into_iter().collect();
            if !(1..=12).contains(month_of_year) {
                problems.push((
                    format!("`monthOfYear: {month_of_year}` is out of range"),
                    "a month is 1 (January) to 12 (December)".to_string(),
                ));
            }
            problems
        }
    }
}

/// `YYYY-MM-DD` naming a real day.
pub fn is_date(text: &str) -> bool {
    text.len() == 10 && text.parse::<jiff::civil::Date>().is_ok()
}

/// `HH:MM` on a 24-hour clock.
fn is_local_time(text: &str) -> bool {
    let Some((hours, minutes)) = text.split_once(':') else {
        return false;
    };
    let two_digits = |part: &str| part.len() == 2 && part.bytes().all(|b| b.is_ascii_digit());
    two_digits(hours)
        && two_digits(minutes)
        && hours.parse::<u8>().is_ok_and(|h| h < 24)
        && minutes.parse::<u8>().is_ok_and(|m| m < 60)
}

/// A problem when `name` is not a time zone of the IANA database, with the closest name.
fn time_zone(key: &str, name: &str) -> Option<ValueProblem> {
    let database = jiff::tz::db();
    if database.get(name).is_ok() {
        return None;
    }
    // No IANA name is near this long: a longer value gets no suggestion, so a hostile one
    // (hundreds of kilobytes) is not compared with every name of the database.
    const LONGEST_ZONE_NAME: usize = 64;
    let lowered = name.to_lowercase();
    let closest = database
        .available()
        .filter(|_| name.len() <= LONGEST_ZONE_NAME)
        .map(|candidate| candidate.as_str().to_string())
        .map(|candidate| {
            (
                strsim::jaro_winkler(&candidate.to_lowercase(), &lowered),
                candidate,
            )
        })
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate);
    let hint = match closest {
        Some(candidate) => format!("did you mean `{candidate}`? Time zones are IANA names"),
        None => {
            "use an IANA time zone name, e.g. America/New_York, Europe/London or UTC".to_string()
        }
    };
    Some((format!("`{key}: {name}` is not a time zone"), hint))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DayOfWeek;

    #[test]
    fn real_dates_times_and_zones_pass() {
        let reset = MeetingLimitReset::Daily {
            every: 1,
            starts_on: "2026-01-05".into(),
            reset_local_time: "00:00".into(),
            timezone: "America/New_York".into(),
        };
        assert!(meeting_reset(&reset).is_empty());
        assert!(
            capping_reset(&CappingReset::Weekly {
                time_zone: "UTC".into(),
                day_of_week: 7
            })
            .is_empty()
        );
    }

    #[test]
    fn impossible_values_are_named_with_a_hint() {
        let reset = MeetingLimitReset::Weekly {
            every: 0,
            starts_on: "2026-02-30".into(),
            reset_day_of_week: DayOfWeek::Monday,
            timezone: "America/NewYork".into(),
        };
        let problems = meeting_reset(&reset);
        let messages: Vec<&str> = problems.iter().map(|(m, _)| m.as_str()).collect();
        assert_eq!(
            messages,
            [
                "`every: 0` never resets",
                "`startsOn: 2026-02-30` is not a date",
                "`timezone: America/NewYork` is not a time zone"
            ]
        );
        assert!(
            problems[2].1.contains("America/New_York"),
            "{}",
            problems[2].1
        );
        let daily = MeetingLimitReset::Daily {
            every: 1,
            starts_on: "2026-01-05".into(),
            reset_local_time: "25:99".into(),
            timezone: "UTC".into(),
        };
        assert_eq!(meeting_reset(&daily).len(), 1);
        let weekly = CappingReset::Weekly {
            time_zone: "Europe/London".into(),
            day_of_week: 9,
        };
        assert_eq!(
            capping_reset(&weekly)[0].0,
            "`dayOfWeek: 9` is out of range"
        );
    }
}
