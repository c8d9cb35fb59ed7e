//! The write permissions a plan needs: the permission of each operation its steps call
//! (`edge::ops`), with the number of steps per operation. Pure.

use std::collections::BTreeMap;

use super::{PermissionNeed, WriteNeeds};
use crate::plan::Plan;

/// What `apply` of `plan` would need. A refused plan needs nothing, and says why.
pub fn write_needs(plan: &Plan) -> WriteNeeds {
    let mut by_permission: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for step in &plan.steps {
        let op = step.call.op();
        *by_permission
            .entry(op.permission)
            .or_default()
            .entry(op.id)
            .or_insert(0) += 1;
    }
    WriteNeeds {
        plan_refused: plan
            .errors
            .iter()
            .map(|error| error.message.clone())
            .collect(),
        permissions: by_permission
            .into_iter()
            .map(|(permission, operations)| PermissionNeed {
                permission: permission.to_string(),
                operations: operations
                    .into_iter()
                    .map(|(op, steps)| (op.to_string(), steps))
                    .collect(),
            })
            .collect(),
    }
}
