//! Share-of-assignment math: what a distribution change means for each rep.
//!
//! A rep's share is their weight over the sum of the distribution's weights. It is computed in
//! integer tenths of a percent, rounded half up, so the numbers are exact and identical on every
//! machine. Shares are rounded independently and need not add up to exactly 100.0%.

use std::collections::{BTreeMap, BTreeSet};

use super::types::{Share, ShareChange};
use crate::model::Email;

/// `weight / total` in tenths of a percent, rounded half up; 0 when the total is 0 (a
/// distribution whose every weight is 0 assigns nothing to anyone).
pub fn share_of(weight: u32, total: u64) -> Share {
    if total == 0 {
        return Share(0);
    }
    let tenths = (u64::from(weight) * 2000 + total) / (2 * total);
    // weight <= total, so tenths <= 1000 and fits.
    Share(u32::try_from(tenths).unwrap_or(1000))
}

/// Every rep's weight and share before and after, sorted by email. `None` for a side means the
/// distribution does not exist on that side (created or deleted).
pub fn share_changes(
    before: Option<&BTreeMap<Email, u32>>,
    after: Option<&BTreeMap<Email, u32>>,
) -> Vec<ShareChange> {
    let total = |weights: Option<&BTreeMap<Email, u32>>| -> u64 {
        weights.map_or(0, |weights| weights.values().map(|w| u64::from(*w)).sum())
    };
    let (total_before, total_after) = (total(before), total(after));
    let emails: BTreeSet<&Email> = before
        .into_iter()
        .flat_map(BTreeMap::keys)
        .chain(after.into_iter().flat_map(BTreeMap::keys))
        .collect();
    emails
        .into_iter()
        .map(|email| {
            let weight_before = before.and_then(|weights| weights.get(email)).copied();
            let weight_after = after.and_then(|weights| weights.get(email)).copied();
            ShareChange {
                email: email.clone(),
                weight_before,
                weight_after,
                before: weight_before.map(|weight| share_of(weight, total_before)),
                after: weight_after.map(|weight| share_of(weight, total_after)),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weights(pairs: &[(&str, u32)]) -> BTreeMap<Email, u32> {
        pairs
            .iter()
            .map(|(email, weight)| (Email::parse(email).unwrap(), *weight))
            .collect()
    }

    #[test]
    fn shares_are_weight_over_sum_with_one_decimal() {
        assert_eq!(share_of(100, 350), Share(286));
        assert_eq!(share_of(50, 350), Share(143));
        assert_eq!(share_of(0, 350), Share(0));
        assert_eq!(share_of(1, 3), Share(333));
        assert_eq!(share_of(2, 3), Share(667));
        assert_eq!(share_of(5, 5), Share(1000));
        assert_eq!(share_of(0, 0), Share(0));
    }

    #[test]
    fn the_demo_weight_change_moves_shares_as_expected() {
        // Inbound Demo Requests: Mia 50 -> 100 (DEMO-ORG deliberate difference 2).
        let before = weights(&[
            ("liam.patel@acme.example", 100),
            ("sofia.rossi@acme.example", 100),
            ("noah.kim@acme.example", 100),
            ("mia.johansson@acme.example", 50),
            ("ethan.brooks@acme.example", 0),
        ]);
        let mut after = before.clone();
        after.insert(Email::parse("mia.johansson@acme.example").unwrap(), 100);
        let changes = share_changes(Some(&before), Some(&after));
        let mia = changes
            .iter()
            .find(|change| change.email.as_str() == "mia.johansson@acme.example")
            .unwrap();
        assert_eq!(
            (mia.before, mia.after),
            (Some(Share(143)), Some(Share(250)))
        );
        let liam = changes
            .iter()
            .find(|change| change.email.as_str() == "liam.patel@acme.example")
            .unwrap();
        assert_eq!(
            (liam.before, liam.after),
            (Some(Share(286)), Some(Share(250)))
        );
    }

    #[test]
    fn created_and_deleted_distributions_have_one_side() {
        let weights = weights(&[("a@x.example", 1), ("b@x.example", 1)]);
        let created = share_changes(None, Some(&weights));
        assert!(
            created
                .iter()
                .all(|c| c.before.is_none() && c.after == Some(Share(500)))
        );
        let deleted = share_changes(Some(&weights), None);
        assert!(
            deleted
                .iter()
                .all(|c| c.after.is_none() && c.before == Some(Share(500)))
        );
    }
}
