//! The applier: runs a plan's steps against the Edge API, safely and in order.
