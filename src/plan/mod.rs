//! The planner: `plan(&Desired, &Live, &Policy) -> Plan`, pure and deterministic.
