//! Fault injection: seeded, reproducible latency, errors, rate limiting, dropped connections and
//! ambiguous writes. The same seed and the same sequence of requests give the same faults.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::edge::ops::Op;

/// What to inject, and how often. Rates are fractions of requests in 0..=1, drawn in the order
/// error, rate limit, drop, ambiguous; their sum should stay at or below 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct FaultConfig {
    /// Seeds the generator; `PUT /_emulator/faults` and `Control::set_faults` restart it.
    pub seed: u64,
    /// Added to every affected request.
    pub latency_ms: u64,
    /// A further 0..=jitter_ms, drawn per request.
    pub jitter_ms: u64,
    /// Answered 500, 502 or 503 without running the operation.
    pub error_rate: f64,
    /// Answered 429 with `Retry-After: retry_after_seconds` without running the operation.
    pub rate_limit_rate: f64,
    pub retry_after_seconds: u64,
    /// Connection closed without an answer, the operation not run.
    pub drop_rate: f64,
    /// Writes only: the operation runs and its change stays, but the answer is a 502 or the
    /// connection closes without one.
    pub ambiguous_rate: f64,
    /// Operation ids (`team-create`) the faults apply to; empty means every operation.
    pub operations: Vec<String>,
    /// Faults for the next affected requests, in order, before the random ones.
    pub script: Vec<Fault>,
}

impl FaultConfig {
    /// Refuses rates outside 0..=1 (or not numbers) and rates whose sum passes 1, naming the
    /// field: a rate of 5 would otherwise fail every request without saying why.
    pub fn check(&self) -> Result<(), String> {
        let rates = [
            ("errorRate", self.error_rate),
            ("rateLimitRate", self.rate_limit_rate),
            ("dropRate", self.drop_rate),
            ("ambiguousRate", self.ambiguous_rate),
        ];
        for (name, rate) in rates {
            if !(0.0..=1.0).contains(&rate) {
                return Err(format!(
                    "{name} is {rate}: a rate is a fraction of requests from 0 to 1"
                ));
            }
        }
        let sum: f64 = rates.iter().map(|(_, rate)| rate).sum();
        if sum > 1.0 + f64::EPSILON {
            return Err(format!(
                "the rates add up to {sum}: their sum is a fraction of requests, at most 1"
            ));
        }
        Ok(())
    }
}

/// One injected outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Fault {
    /// No fault (useful in scripts).
    None,
    Error500,
    Error502,
    Error503,
    /// 429 with `Retry-After`.
    RateLimited,
    /// Close the connection without answering; nothing applied.
    Drop,
    /// Apply, then answer 502.
    AmbiguousError,
    /// Apply, then close the connection without answering.
    AmbiguousDrop,
}

impl Fault {
    /// Whether the operation runs under this fault.
    pub fn runs_operation(self) -> bool {
        matches!(
            self,
            Fault::None | Fault::AmbiguousError | Fault::AmbiguousDrop
        )
    }
}

/// A fault decision for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub latency: Duration,
    pub fault: Fault,
}

/// SplitMix64: tiny, fast and good enough to spread faults; seeded from a `u64`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn next_unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The fault generator: the configuration, its generator and how far the script has got.
#[derive(Debug, Clone)]
pub(crate) struct FaultEngine {
    config: FaultConfig,
    rng: SplitMix64,
    script_position: usize,
}

impl FaultEngine {
    pub(crate) fn new(config: FaultConfig) -> FaultEngine {
        FaultEngine {
            rng: SplitMix64(config.seed),
            config,
            script_position: 0,
        }
    }

    pub(crate) fn config(&self) -> &FaultConfig {
        &self.config
    }

    /// Decides the fault of one API request. Every request draws the same number of random
    /// values whatever the outcome, so one changed outcome does not shift the later ones.
    pub(crate) fn decide(&mut self, op: Option<&Op>) -> Decision {
        let latency_draw = self.rng.next_u64();
        let choice = self.rng.next_unit();
        let variant = self.rng.next_u64();
        let affected = self.config.operations.is_empty()
            || op.is_some_and(|op| self.config.operations.iter().any(|id| id == op.id));
        if !affected {
            return Decision {
                latency: Duration::ZERO,
                fault: Fault::None,
            };
        }
        let jitter = match self.config.jitter_ms {
            0 => 0,
            jitter => latency_draw % jitter.saturating_add(1),
        };
        let latency = Duration::from_millis(self.config.latency_ms.saturating_add(jitter));
        if let Some(fault) = self.config.script.get(self.script_position) {
            self.script_position += 1;
            return Decision {
                latency,
                fault: *fault,
            };
        }
        let is_write = op.is_some_and(|op| !op.permission.ends_with(".read"));
        let c = &self.config;
        let mut threshold = c.error_rate;
        let fault = if choice < threshold {
            [Fault::Error500, Fault::Error502, Fault::Error503][(variant % 3) as usize]
        } else if choice < {
            threshold += c.rate_limit_rate;
            threshold
        } {
            Fault::RateLimited
        } else if choice < {
            threshold += c.drop_rate;
            threshold
        } {
            Fault::Drop
        } else if choice < threshold + c.ambiguous_rate && is_write {
            if variant.is_multiple_of(2) {
                Fault::AmbiguousError
            } else {
                Fault::AmbiguousDrop
            }
        } else {
            Fault::None
        };
        Decision { latency, fault }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: `PUT /_emulator/faults {"errorRate": 5}` was taken, and every request then
    /// failed without a word about why.
    #[test]
    fn rates_outside_0_to_1_or_summing_past_1_are_refused_by_name() {
        assert_eq!(FaultConfig::default().check(), Ok(()));
        for (config, named) in [
            (
                FaultConfig {
                    error_rate: 5.0,
                    ..FaultConfig::default()
                },
                "errorRate",
            ),
            (
                FaultConfig {
                    drop_rate: -1.0,
                    ..FaultConfig::default()
                },
                "dropRate",
            ),
            (
                FaultConfig {
                    ambiguous_rate: f64::NAN,
                    ..FaultConfig::default()
                },
                "ambiguousRate",
            ),
            (
                FaultConfig {
                    error_rate: 0.6,
                    rate_limit_rate: 0.6,
                    ..FaultConfig::default()
                },
                "add up to",
            ),
        ] {
            let refusal = config.check().unwrap_err();
            assert!(refusal.contains(named), "{refusal}");
        }
    }
    use crate::edge::ops;

    fn outcomes(config: &FaultConfig) -> Vec<Fault> {
        let mut engine = FaultEngine::new(config.clone());
        (0..200)
            .map(|i| {
                let op = if i % 2 == 0 {
                    &ops::TEAM_CREATE
                } else {
                    &ops::TEAM_LIST_PUT
                };
                engine.decide(Some(op)).fault
            })
            .collect()
    }

    #[test]
    fn the_largest_jitter_killed_the_server() {
        let mut engine = FaultEngine::new(FaultConfig {
            latency_ms: u64::MAX,
            jitter_ms: u64::MAX,
            ..FaultConfig::default()
        });
        let decision = engine.decide(Some(&ops::TEAM_CREATE));
        assert_eq!(decision.latency, Duration::from_millis(u64::MAX));
    }

    #[test]
    fn same_seed_same_faults_and_rates_are_roughly_honoured() {
        let config = FaultConfig {
            seed: 7,
            error_rate: 0.1,
            rate_limit_rate: 0.1,
            drop_rate: 0.1,
            ambiguous_rate: 0.2,
            ..FaultConfig::default()
        };
        let first = outcomes(&config);
        assert_eq!(first, outcomes(&config));
        let n_none = first.iter().filter(|f| **f == Fault::None).count();
        assert!(
            (60..=140).contains(&n_none),
            "{n_none} of 200 without fault"
        );
        // Reads are never ambiguous.
        assert!(
            first
                .iter()
                .skip(1)
                .step_by(2)
                .all(|f| !matches!(f, Fault::AmbiguousDrop | Fault::AmbiguousError))
        );
        let other = FaultConfig { seed: 8, ..config };
        assert_ne!(first, outcomes(&other));
    }

    #[test]
    fn script_comes_first_and_operations_filter() {
        let config = FaultConfig {
            script: vec![Fault::Drop, Fault::AmbiguousError],
            operations: vec!["team-create".to_string()],
            ..FaultConfig::default()
        };
        let mut engine = FaultEngine::new(config);
        assert_eq!(engine.decide(Some(&ops::TEAM_LIST_PUT)).fault, Fault::None);
        assert_eq!(engine.decide(Some(&ops::TEAM_CREATE)).fault, Fault::Drop);
        assert_eq!(
            engine.decide(Some(&ops::TEAM_CREATE)).fault,
            Fault::AmbiguousError
        );
        assert_eq!(engine.decide(Some(&ops::TEAM_CREATE)).fault, Fault::None);
    }
}
